import path from "node:path/posix";
import { parse } from "shell-quote";

/** The parts of a container inspect that say how Caddy was started and what is mounted. */
export interface CaddyContainerInspect {
  Config: { Cmd?: string[] | null; Entrypoint?: string | string[] | null; WorkingDir?: string };
  Mounts?: { Type?: string; Source: string; Destination: string; RW: boolean }[];
}

/** Where the Caddyfile a Caddy container runs from is, inside it and on its host. */
export interface CaddyfileLocation {
  /** As Caddy sees it, e.g. /etc/caddy/Caddyfile. */
  path: string;
  /** The same file on the host (behind a bind mount or volume), or null when it is only in the container. */
  hostPath: string | null;
  /** Mounted read-only into the container (the plan's `:ro`): it can only be written on the host. */
  isReadOnlyInContainer: boolean;
  /** `caddy run --resume`: a restart loads Caddy's last live config (autosave.json), not the Caddyfile. */
  isResume: boolean;
}

/** The caddy:2 image's working directory, where `caddy run` without --config looks for ./Caddyfile. */
const DEFAULT_WORKDIR = "/srv";

/**
 * Reads how a Caddy container was started (Entrypoint + Cmd: `caddy run --config … --adapter
 * caddyfile`, the caddy:2 default, also inside `sh -c "…"`) and returns its Caddyfile, or null when
 * Caddy runs from a JSON config or another adapter (then only the live config can be switched).
 */
export function findCaddyfile(inspect: CaddyContainerInspect): CaddyfileLocation | null {
  const argv = caddyArgv(inspect);
  if (!argv) return null;
  const flags = readFlags(argv);
  const workdir = inspect.Config.WorkingDir || DEFAULT_WORKDIR;
  const configFlag = flags.get("config");
  const adapter = flags.get("adapter");
  if (typeof configFlag === "string" && configFlag !== "") {
    const isCaddyfile = adapter === "caddyfile" || (adapter === undefined && path.basename(configFlag).startsWith("Caddyfile"));
    if (!isCaddyfile) return null;
  } else if (adapter !== undefined && adapter !== "caddyfile") {
    return null;
  }
  const file = path.resolve(workdir, typeof configFlag === "string" && configFlag ? configFlag : "Caddyfile");
  const mount = mountOf(inspect, file);
  return {
    path: file,
    hostPath: mount ? path.join(mount.Source, path.relative(mount.Destination, file)) : null,
    isReadOnlyInContainer: mount ? !mount.RW : false,
    isResume: flags.get("resume") === true || flags.get("resume") === "true",
  };
}

/** The words after `caddy run` (or `caddy start`), or null when the container does not run Caddy that way. */
function caddyArgv(inspect: CaddyContainerInspect): string[] | null {
  const entrypoint = inspect.Config.Entrypoint;
  let argv = [...(Array.isArray(entrypoint) ? entrypoint : entrypoint ? [entrypoint] : []), ...(inspect.Config.Cmd ?? [])];
  const shell = argv.findIndex((w, i) => w === "-c" && i > 0 && /(^|\/)(ba|da)?sh$/.test(argv[i - 1] ?? ""));
  if (shell >= 0 && argv[shell + 1]) argv = parse(argv[shell + 1]!).filter((w): w is string => typeof w === "string");
  const bin = argv.findIndex((w) => path.basename(w) === "caddy");
  if (bin < 0 || !["run", "start"].includes(argv[bin + 1] ?? "")) return null;
  return argv.slice(bin + 2);
}

/** Go's flag syntax: -name, --name, -name=value, --name value; booleans without a value. */
function readFlags(args: string[]): Map<string, string | true> {
  const flags = new Map<string, string | true>();
  const booleans = new Set(["resume", "watch", "environ"]);
  for (let i = 0; i < args.length; i++) {
    const match = /^--?([A-Za-z-]+)(?:=(.*))?$/.exec(args[i] ?? "");
    if (!match) continue;
    const [, name = "", value] = match;
    if (value !== undefined) flags.set(name, value);
    else if (booleans.has(name)) flags.set(name, true);
    else flags.set(name, args[++i] ?? "");
  }
  return flags;
}

/** The mount holding `file` (the deepest one when mounts nest). */
function mountOf(inspect: CaddyContainerInspect, file: string) {
  const holding = (inspect.Mounts ?? []).filter((m) => file === m.Destination || file.startsWith(`${m.Destination.replace(/\/$/, "")}/`));
  return holding.sort((a, b) => b.Destination.length - a.Destination.length)[0] ?? null;
}
