import type { CaddyfileAccess } from "./caddyfile-check";
import type { CaddyfileLocation } from "./find-caddyfile";
import { createRunnerFiles } from "./proxy-files";
import type { ProxyRunner } from "./proxy-runner";

/**
 * How the Caddy driver reaches a container's Caddyfile: read and written on the host behind its
 * mount (the plan mounts it read-only into the container), or inside the container when it has no
 * host file (then a re-created container loses the edit); `caddy adapt` always runs in the container.
 */
export function caddyfileAccessFor(
  location: CaddyfileLocation,
  runners: { inContainer: ProxyRunner; onHost: ProxyRunner },
): CaddyfileAccess {
  const hostPath = location.hostPath;
  const files = hostPath
    ? createRunnerFiles(runners.onHost, { mapPath: (p) => (p === location.path ? hostPath : p) })
    : createRunnerFiles(runners.inContainer);
  return { path: location.path, files, runner: runners.inContainer };
}
