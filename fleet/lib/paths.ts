import path from "node:path";
import { fileURLToPath } from "node:url";

/** Root of the fleet/ folder in the repo (recipes live here); PXF_FLEET_DIR for code bundled elsewhere (the e2e CLI bundle). */
export const FLEET_DIR = process.env.PXF_FLEET_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const IMAGES_DIR = path.join(FLEET_DIR, "images");

/** Persistent runtime state: keys, secrets, pid files, docker data roots, logs. */
export const STATE_DIR = process.env.PXF_STATE_DIR ?? "/var/lib/pixelfox-fleet";
/** Build caches shared by every clone: image tarballs, compiled binaries, debootstrap rootfs. */
export const CACHE_DIR = process.env.PXF_CACHE_DIR ?? "/var/cache/pixelfox-fleet";
/** Volatile runtime files: sockets, exec roots, daemon pid files. */
export const RUN_DIR = "/run/pixelfox-fleet";

export const PID_DIR = path.join(STATE_DIR, "run");
export const LOG_DIR = path.join(STATE_DIR, "logs");
export const KEYS_DIR = path.join(STATE_DIR, "keys");
export const PANEL_KEY = path.join(KEYS_DIR, "panel_ed25519");
export const AUTHORIZED_KEYS = path.join(KEYS_DIR, "authorized_keys");
export const SECRETS_FILE = path.join(STATE_DIR, "secrets.json");
export const DOCKER_CONFIG_DIR = path.join(STATE_DIR, "docker-config");

export const BRIDGE = "pxf0";
export const BRIDGE_ADDR = "10.213.77.1";
export const PREFIX_LEN = 24;

export const REGISTRY_HOST = "127.0.0.1:5000";
export const REGISTRY_SOCK = path.join(RUN_DIR, "registry.sock");
export const APP_REPOSITORY = `${REGISTRY_HOST}/pixelfox/app`;

export const hostStateDir = (host: string) => path.join(STATE_DIR, host);
export const hostRunDir = (host: string) => path.join(RUN_DIR, host);
export const dockerSocket = (host: string) => path.join(RUN_DIR, host, "docker.sock");
export const netnsPath = (netns: string) => `/var/run/netns/${netns}`;
