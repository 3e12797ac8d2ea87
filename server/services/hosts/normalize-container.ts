import type { ContainerInspect, ContainerSummaryInfo, PortInfo } from "@/server/adapters/docker";

export type ContainerHealth = "healthy" | "unhealthy" | "starting" | "none";

export interface ContainerPort {
  ip: string;
  privatePort: number;
  publicPort?: number;
  type: string;
}

/** A container as the panel shows it, independent of the Docker API version. */
export interface ContainerSummary {
  id: string;
  /** Without Docker's leading slash. */
  name: string;
  /** Image repository, e.g. "registry.example.com/pixelfox/app". */
  image: string;
  /** Image tag; null when the container was created from a bare image id. */
  tag: string | null;
  /** Docker state: created | running | paused | restarting | removing | exited | dead. */
  state: string;
  /** Docker's human status, e.g. "Up 5 minutes (healthy)". */
  status: string;
  health: ContainerHealth;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601; only for running containers. */
  startedAt?: string;
  uptimeSeconds?: number;
  ports: ContainerPort[];
  labels: Record<string, string>;
}

/** Split an image reference into repository and tag ("redis:7" → redis / 7, "app" → app / latest). */
export function parseImageRef(ref: string): { image: string; tag: string | null } {
  if (/^(sha256:)?[a-f0-9]{64}$/.test(ref)) return { image: ref, tag: null };
  const withoutDigest = ref.split("@")[0] ?? ref;
  const lastSlash = withoutDigest.lastIndexOf("/");
  const lastColon = withoutDigest.lastIndexOf(":");
  if (lastColon > lastSlash) return { image: withoutDigest.slice(0, lastColon), tag: withoutDigest.slice(lastColon + 1) };
  return { image: withoutDigest, tag: ref.includes("@") ? null : "latest" };
}

/**
 * Build a ContainerSummary from the list entry and, for running containers, the inspect result
 * (the list has no start time and only a human-readable health hint).
 */
export function normalizeContainer(
  info: ContainerSummaryInfo,
  inspect: ContainerInspect | undefined,
  now: Date = new Date(),
): ContainerSummary {
  const configImage = inspect?.Config?.Image;
  const { image, tag } = parseImageRef(configImage && !/^sha256:/.test(configImage) ? configImage : info.Image);
  const summary: ContainerSummary = {
    id: info.Id,
    name: (info.Names?.[0] ?? inspect?.Name ?? info.Id.slice(0, 12)).replace(/^\//, ""),
    image,
    tag,
    state: info.State,
    status: info.Status,
    health: readHealth(inspect),
    createdAt: new Date(info.Created * 1000).toISOString(),
    ports: normalizePorts(info.Ports ?? []),
    labels: { ...(info.Labels ?? {}) },
  };
  const startedAt = inspect?.State?.StartedAt;
  if (info.State === "running" && startedAt && !startedAt.startsWith("0001-")) {
    const started = new Date(startedAt);
    if (!Number.isNaN(started.getTime())) {
      summary.startedAt = started.toISOString();
      summary.uptimeSeconds = Math.max(0, Math.floor((now.getTime() - started.getTime()) / 1000));
    }
  }
  return summary;
}

function readHealth(inspect: ContainerInspect | undefined): ContainerHealth {
  const status = inspect?.State?.Health?.Status;
  if (status === "healthy" || status === "unhealthy" || status === "starting") return status;
  return "none";
}

function normalizePorts(ports: PortInfo[]): ContainerPort[] {
  const seen = new Set<string>();
  const out: ContainerPort[] = [];
  for (const port of ports) {
    const entry: ContainerPort = {
      ip: port.IP ?? "",
      privatePort: port.PrivatePort,
      ...(typeof port.PublicPort === "number" && port.PublicPort > 0 ? { publicPort: port.PublicPort } : {}),
      type: port.Type,
    };
    const key = `${entry.ip}|${entry.privatePort}|${entry.publicPort ?? ""}|${entry.type}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(entry);
  }
  return out.sort((a, b) => a.privatePort - b.privatePort || (a.publicPort ?? 0) - (b.publicPort ?? 0) || a.ip.localeCompare(b.ip));
}
