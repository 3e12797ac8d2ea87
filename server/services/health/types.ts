/** Live state of one checked thing. "unknown" means the check could not say (never shown green). */
export type HealthStatus = "ok" | "warn" | "down" | "unknown";

export type CheckKind = "app" | "external" | "db" | "cache" | "proxy" | "host";

/** Why a check failed, in the operator's words; `code` is the AppError code when there was one. */
export interface CheckFailure {
  code: string | null;
  /** timeout | refused | auth | hostkey | stopped | other */
  category: string;
  message: string;
  /** For a changed host key: the fingerprint the host presented (it was refused), and the pin it was checked against. */
  presented?: string;
  expected?: string;
}

/** The outcome of one check (a service on a host, the public URL, or a host itself). */
export interface CheckResult {
  /** Stable key: "host:app", "app@app", "external", "db@db", "cache@cache", "proxy@app". */
  subject: string;
  kind: CheckKind;
  hostId: string | null;
  hostName: string | null;
  status: HealthStatus;
  /** Null when ok; otherwise what is wrong and what to check. */
  reason: string | null;
  failure?: CheckFailure;
  latencyMs: number | null;
  checkedAt: string;
  /** Numbers worth charting (stored as samples). */
  metrics: Record<string, number>;
  /** Facts worth showing (version, tag, mounts…). */
  details: Record<string, unknown>;
}

/** One sweep over a stack. */
export interface SweepResult {
  stackId: string;
  stackName: string;
  startedAt: string;
  durationMs: number;
  checks: CheckResult[];
}

/** One mount's usage, from `df -P -k` and `df -P -i`. */
export interface MountUsage {
  mount: string;
  filesystem: string;
  totalKb: number;
  usedPct: number;
  inodesUsedPct: number | null;
}

/** Per-container resource use from the Docker stats API. */
export interface ContainerUsage {
  name: string;
  cpuPct: number;
  memBytes: number;
  memLimitBytes: number;
  /** Where the figures came from: the container's cgroup (read with the host snapshot) or the Docker stats API. */
  source?: "cgroup" | "docker-api";
}
