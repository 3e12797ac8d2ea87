import { describeProbeAnswer, probeFailure, probeGet, type ProbeGetOptions } from "@/server/adapters/http/probe-get";
import { openTunnel } from "@/server/adapters/tunnel/tunnel";
import type { SshTarget } from "@/server/adapters/ssh/types";

export interface ProbeResult {
  attempt: number;
  ok: boolean;
  status?: number;
  ms: number;
  version?: string | null;
  error?: string;
  at: string;
}

/** True when a health answer is what PixelFox's ping returns (or any 2xx for another health path). */
export function isHealthyAnswer(path: string, status: number, body: string): boolean {
  if (status < 200 || status >= 300) return false;
  if (path !== "/api/v1/ping") return true;
  try {
    return (JSON.parse(body) as { ping?: unknown }).ping === "pong";
  } catch {
    return false;
  }
}

/**
 * One HTTP probe with its own timeout; never throws. `guard` for a URL an admin typed (smoke checks
 * through the public domain). Security: a failed answer is described by status, content type and
 * length, never its body: these errors land in job logs that viewers read, and the URL may lead to
 * a private service.
 */
export async function probeOnce(
  url: string,
  path: string,
  timeoutMs: number,
  attempt: number,
  signal?: AbortSignal,
  guard?: ProbeGetOptions["guard"],
): Promise<ProbeResult> {
  const started = Date.now();
  const at = new Date().toISOString();
  try {
    const res = await probeGet(url, { timeoutMs, signal, userAgent: "pixelfox-ops/health-gate", guard });
    const ok = isHealthyAnswer(path, res.status, res.body);
    return {
      attempt,
      ok,
      status: res.status,
      ms: res.ms,
      version: res.version,
      at,
      ...(ok
        ? {}
        : { error: `answered ${describeProbeAnswer(res)}${path === "/api/v1/ping" && res.status < 300 ? `, not {"ping":"pong"}` : ""}` }),
    };
  } catch (err) {
    return { attempt, ok: false, ms: Date.now() - started, at, error: probeFailure(err) };
  }
}

/**
 * Probes the new container on the host's loopback through an SSH tunnel until it answers healthy or
 * the attempts run out. The probe rate (one per interval) stays far below PixelFox's 200/min limit.
 */
export async function runHealthGate(
  target: SshTarget,
  port: number,
  opts: {
    path: string;
    startPeriodMs?: number;
    attempts: number;
    intervalMs: number;
    timeoutMs: number;
    signal: AbortSignal;
    onProbe: (p: ProbeResult) => void;
    /** Where the app listens on its host (default 127.0.0.1; an app a proxy on another host dials: its private address). */
    host?: string;
  },
): Promise<{ healthy: boolean; probes: ProbeResult[] }> {
  if (opts.startPeriodMs) await sleep(opts.startPeriodMs, opts.signal);
  const tunnel = await openTunnel(target, opts.host ?? "127.0.0.1", port);
  const probes: ProbeResult[] = [];
  try {
    for (let attempt = 1; attempt <= opts.attempts; attempt++) {
      if (opts.signal.aborted) break;
      const probe = await probeOnce(`http://127.0.0.1:${tunnel.localPort}${opts.path}`, opts.path, opts.timeoutMs, attempt, opts.signal);
      probes.push(probe);
      opts.onProbe(probe);
      if (probe.ok) return { healthy: true, probes };
      if (attempt < opts.attempts) await sleep(opts.intervalMs, opts.signal);
    }
    return { healthy: false, probes };
  } finally {
    await tunnel.close();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}
