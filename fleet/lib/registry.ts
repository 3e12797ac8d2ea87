/**
 * Docker registry (distribution v2, Debian's docker-registry) on 127.0.0.1:5000 in the root netns,
 * htpasswd (bcrypt) auth. Hosts reach it at their own 127.0.0.1:5000 through
 * socat (netns TCP 127.0.0.1:5000 -> unix socket -> root socat -> registry).
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { DOCKER_CONFIG_DIR, REGISTRY_HOST, REGISTRY_SOCK, RUN_DIR, STATE_DIR } from "./paths.js";
import type { HostSpec } from "./hosts.js";
import { ensureDaemon, livePid, logFile, runOk, stopDaemon, waitFor, type DaemonSpec } from "./proc.js";
import { writeIfChanged, type Secrets } from "./state.js";

export const REGISTRY_DIR = path.join(STATE_DIR, "registry");
const CONFIG = path.join(REGISTRY_DIR, "config.yml");
const HTPASSWD = path.join(REGISTRY_DIR, "htpasswd");

const registrySpec: DaemonSpec = { id: "registry", cmd: "/usr/bin/docker-registry", args: ["serve", CONFIG], token: CONFIG, stopOrder: 40 };
const rootFwdSpec: DaemonSpec = {
  id: "registry-sock",
  cmd: "/usr/bin/socat",
  token: REGISTRY_SOCK,
  stopOrder: 35,
  args: [`UNIX-LISTEN:${REGISTRY_SOCK},fork,unlink-early,mode=600`, `TCP:${REGISTRY_HOST}`],
};
const hostFwdSpec = (h: HostSpec): DaemonSpec => ({
  id: `${h.name}.registry-fwd`,
  cmd: "/usr/bin/socat",
  netns: h.netns,
  token: `UNIX-CONNECT:${REGISTRY_SOCK}`,
  stopOrder: 30,
  args: ["TCP-LISTEN:5000,bind=127.0.0.1,fork,reuseaddr", `UNIX-CONNECT:${REGISTRY_SOCK}`],
});

/** HTTP status of GET http://127.0.0.1:5000<p> (optionally with basic auth). */
export function registryGet(p: string, auth?: { user: string; pass: string }, method = "GET", accept?: string): Promise<number> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = {};
    if (auth) headers.authorization = "Basic " + Buffer.from(`${auth.user}:${auth.pass}`).toString("base64");
    if (accept) headers.accept = accept;
    const req = http.request({ host: "127.0.0.1", port: 5000, path: p, method, headers, timeout: 3000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("timeout", () => {
      req.destroy();
      resolve(0);
    });
    req.on("error", () => resolve(0));
    req.end();
  });
}

export async function ensureRegistry(s: Secrets): Promise<void> {
  fs.mkdirSync(path.join(REGISTRY_DIR, "data"), { recursive: true });
  fs.mkdirSync(RUN_DIR, { recursive: true });
  const htOk = fs.existsSync(HTPASSWD) && fs.readFileSync(HTPASSWD, "utf8").startsWith(`${s.registryUser}:`);
  let changed = false;
  if (!htOk) {
    // -i: password from stdin, never on a command line
    const line = await runOk("htpasswd", ["-niB", s.registryUser], { input: s.registryPassword + "\n" });
    fs.writeFileSync(HTPASSWD, line.trim() + "\n", { mode: 0o600 });
    changed = true;
  }
  const config = [
    "version: 0.1",
    "log:",
    "  level: info",
    "  accesslog:",
    "    disabled: false",
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${path.join(REGISTRY_DIR, "data")}`,
    "  delete:",
    "    enabled: true",
    "http:",
    `  addr: ${REGISTRY_HOST}`,
    `  secret: ${s.registryHttpSecret}`,
    "auth:",
    "  htpasswd:",
    "    realm: pixelfox-fleet",
    `    path: ${HTPASSWD}`,
    "",
  ].join("\n");
  changed = writeIfChanged(CONFIG, config, 0o600) || changed;
  if (changed && livePid(registrySpec.id)) await stopDaemon(registrySpec.id);
  if (ensureDaemon(registrySpec)) {
    await waitFor(
      "registry on 127.0.0.1:5000 (/v2/ answering 401)",
      async () => (await registryGet("/v2/")) === 401,
      20_000,
      logFile("registry"),
    );
  }
  ensureDaemon(rootFwdSpec);
  await waitFor(`registry socket ${REGISTRY_SOCK}`, async () => fs.existsSync(REGISTRY_SOCK), 5000, logFile(rootFwdSpec.id));
  // credentials for the fleet's own docker CLI calls (push, initial pull)
  fs.mkdirSync(DOCKER_CONFIG_DIR, { recursive: true, mode: 0o700 });
  const auth = Buffer.from(`${s.registryUser}:${s.registryPassword}`).toString("base64");
  writeIfChanged(
    path.join(DOCKER_CONFIG_DIR, "config.json"),
    JSON.stringify({ auths: { [REGISTRY_HOST]: { auth } } }, null, 2) + "\n",
    0o600,
  );
}

/** socat inside the host's netns so that 127.0.0.1:5000 there is the registry. */
export async function ensureRegistryForward(h: HostSpec): Promise<void> {
  ensureDaemon(hostFwdSpec(h));
}

export const registryRunning = () => livePid(registrySpec.id) !== null && livePid(rootFwdSpec.id) !== null;
export const registryForwardRunning = (h: HostSpec) => livePid(hostFwdSpec(h).id) !== null;
