import { execFileSync } from "node:child_process";
import http from "node:http";
import { readFleetStatusNow, type FleetStatus } from "../../fleet/lib/status";
import { quote } from "shell-quote";

/**
 * The fleet as its own CLI reports it (the same record `npm run fleet -- status --json` prints), read
 * in this process: it is only local files and pid checks, and a CLI run per call cost ~0.6 s each.
 */
export function fleetStatus(): FleetStatus {
  const status = readFleetStatusNow();
  if (!status.up) throw new Error("The sandbox fleet is not up: run `npm run fleet -- up` (npm test does it first)");
  return status;
}

export function fleetHost(name: string) {
  const host = fleetStatus().hosts.find((h) => h.name === name);
  if (!host) throw new Error(`fleet host ${name} not found`);
  return host;
}

/**
 * Runs argv on a fleet host over SSH as root (the same access the panel has), returning stdout. ssh
 * hands the remote shell one command line, so argv is quoted word by word (names with spaces stay whole).
 */
export function onHost(name: string, argv: string[], input?: Buffer): string {
  const host = fleetHost(name);
  return execFileSync(
    "ssh",
    [
      "-i",
      host.privateKeyPath,
      "-p",
      String(host.sshPort),
      "-o",
      "StrictHostKeyChecking=no",
      "-o",
      "UserKnownHostsFile=/dev/null",
      "-o",
      "LogLevel=ERROR",
      `${host.user}@${host.sshHost}`,
      "--",
      quote(argv),
    ],
    { input, encoding: "utf8" },
  );
}

/** Asks a fleet host's Docker daemon directly (its socket on this machine), to check what the panel did. */
export function inspectContainer(dockerSocket: string, name: string): Promise<{ State: { StartedAt: string; Running: boolean } }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath: dockerSocket, path: `/containers/${encodeURIComponent(name)}/json` }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => (res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`docker ${res.statusCode}: ${body}`))));
    });
    req.on("error", reject);
  });
}

/** One call to a fleet host's Docker Engine API over its socket on this machine. */
export function dockerApi<T = unknown>(
  dockerSocket: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      { socketPath: dockerSocket, path, method, headers: payload ? { "content-type": "application/json" } : {} },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : null) as T }));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/**
 * The fleet outlives test runs, the panel's store does not: an app host's /srv/pixelfox/.env that an
 * earlier run's panel wrote names versions this run's panel never saved (it would read as a hand edit).
 * Removes it when the panel's header says so; a file the fleet made (the plan's template) stays.
 */
export function forgetEarlierRunsEnvFile(host = "app") {
  onHost(host, ["sh", "-c", 'if grep -q "^# Written by PixelFox Ops" "$1" 2>/dev/null; then rm -f "$1"; fi', "sh", "/srv/pixelfox/.env"]);
}
