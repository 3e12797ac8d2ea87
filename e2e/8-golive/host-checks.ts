import { execFileSync } from "node:child_process";
import net from "node:net";
import Docker from "dockerode";
import { expect, type APIRequestContext } from "@playwright/test";
import { dockerApi, fleetHost, fleetStatus, onHost } from "../support/fleet";
import { containerOf, ensureStack, goLiveViaApi, resetBare } from "./golive-fixtures";

/** The docker CLI against a fleet host's daemon (its socket on this machine), as an operator on the host would run it. */
export function dockerOn(host: string, args: string[]): string {
  return execFileSync("docker", ["-H", `unix://${fleetHost(host).dockerSocket}`, ...args], { encoding: "utf8", stdio: "pipe" });
}

/** `docker ps -a` on a host: name → "image|ports|state". Empty for a host without Docker. */
export function containersOn(host: string): Map<string, { image: string; ports: string; state: string }> {
  const out = new Map<string, { image: string; ports: string; state: string }>();
  if (fleetHost(host).docker === "none") return out;
  for (const line of dockerOn(host, ["ps", "-a", "--format", "{{.Names}}\t{{.Image}}\t{{.Ports}}\t{{.State}}"]).split("\n")) {
    const [name, image = "", ports = "", state = ""] = line.split("\t");
    if (name) out.set(name, { image, ports, state });
  }
  return out;
}

/** What the host's own /srv holds (`ls -A /srv` over SSH, as the panel sees the host). */
export function srvOn(host: string): string[] {
  return onHost(host, ["ls", "-A", "/srv"]).split("\n").filter(Boolean).sort();
}

export function isDirOn(host: string, path: string): boolean {
  return onHost(host, ["sh", "-c", 'if [ -d "$1" ]; then echo yes; else echo no; fi', "sh", path]).trim() === "yes";
}

export function modeOn(host: string, path: string): string {
  return onHost(host, ["stat", "-c", "%a", path]).trim();
}

/** Containers and /srv of some hosts, to show later that nothing on them changed. */
export function snapshot(hosts: string[]): Record<string, { containers: string[]; srv: string[] }> {
  return Object.fromEntries(
    hosts.map((h) => [h, { containers: [...containersOn(h)].map(([n, c]) => `${n} ${c.image} ${c.state}`).sort(), srv: srvOn(h) }]),
  );
}

/** A raw RESP `PING` without a password: the cache's first answer line. */
export function anonymousPing(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, timeout: 5_000 });
    let text = "";
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (c: Buffer) => {
      text += c.toString("utf8");
      if (text.includes("\r\n")) {
        socket.destroy();
        resolve(text.split("\r\n")[0] ?? "");
      }
    });
    socket.on("timeout", () => socket.destroy(new Error(`no answer from ${host}:${port} within 5 s`)));
    socket.on("error", reject);
  });
}

/** Pulls an image of the fleet's registry onto a fleet host's daemon (with the registry's credentials). */
export async function pullOn(host: string, image: string): Promise<Docker> {
  const status = fleetStatus();
  const docker = new Docker({ socketPath: fleetHost(host).dockerSocket });
  const auth = { username: status.registry.username, password: status.registry.password, serveraddress: status.registry.host };
  await new Promise<void>((resolve, reject) =>
    docker.pull(image, { authconfig: auth }, (err, stream) => {
      if (err || !stream) return reject(err ?? new Error("no pull stream"));
      docker.modem.followProgress(stream, (e: Error | null) => (e ? reject(e) : resolve()));
    }),
  );
  return docker;
}

export async function removeContainerOn(host: string, name: string): Promise<void> {
  await dockerApi(fleetHost(host).dockerSocket, "DELETE", `/containers/${encodeURIComponent(name)}?force=true`);
}

export async function removeImageOn(host: string, image: string): Promise<void> {
  await dockerApi(fleetHost(host).dockerSocket, "DELETE", `/images/${image}?force=true`);
}

export interface Inspect {
  Id: string;
  Name: string;
  Image: string;
  State: { Running: boolean; StartedAt: string };
  Config: { Image: string; Env: string[] | null; Labels: Record<string, string> | null };
  HostConfig: {
    NetworkMode: string;
    Binds: string[] | null;
    PortBindings: Record<string, { HostIp: string; HostPort: string }[] | null> | null;
    RestartPolicy: { Name: string };
  };
}

/** docker inspect of a container on a host, or null when there is none. */
export async function inspectOn(host: string, name: string): Promise<Inspect | null> {
  const res = await dockerApi<Inspect>(fleetHost(host).dockerSocket, "GET", `/containers/${encodeURIComponent(name)}/json`);
  return res.status === 200 ? res.body : null;
}

export const GOLIVE_STACK = {
  name: "golive-e2e",
  domain: "http://10.213.77.33",
  services: [
    ["db", "bare1"],
    ["cache", "bare2"],
    ["app", "bare3"],
    ["proxy", "bare3"],
    ["storage", "bare4"],
  ] as [string, string][],
};

/** True when every role of golive-e2e runs where it is placed, provisioned by the panel for it, and the site answers. */
async function isGoLiveStackLive(): Promise<boolean> {
  for (const [kind, host] of GOLIVE_STACK.services) {
    const info = await inspectOn(host, containerOf(kind));
    const labels = info?.Config.Labels ?? {};
    if (!info?.State.Running || labels["com.pixelfox.stack"] !== GOLIVE_STACK.name || labels["com.pixelfox.provisioned"] !== "1")
      return false;
  }
  const ping = await fetch(`${GOLIVE_STACK.domain}/api/v1/ping`, { signal: AbortSignal.timeout(5_000) }).catch(() => null);
  return Boolean(ping?.ok);
}

/**
 * golive-e2e live on the bare hosts (db bare1, cache bare2, app + proxy bare3, storage bare4, v2.0.0):
 * left as it is when an earlier spec took it live, else the bare hosts are reset and it goes live now.
 */
export async function ensureGoLiveStackLive(request: APIRequestContext): Promise<void> {
  await ensureStack(request, GOLIVE_STACK.name, GOLIVE_STACK.domain, GOLIVE_STACK.services);
  if (await isGoLiveStackLive()) return;
  resetBare();
  const job = await goLiveViaApi(request, GOLIVE_STACK.name, "v2.0.0");
  expect(job.status, job.error ?? "").toBe("succeeded");
}
