import type { SmokeRun, SmokeStepResult } from "./types";

/**
 * One job log line per step, with its timing:
 * `smoke ping: ok (200, 12 ms, version v1.2.0)`,
 * `smoke thumbnail: FAILED (200, 8 ms) answered 200 (text/plain, 5 bytes): …`,
 * `smoke upload: skipped (register / log in failed)`.
 */
export function formatSmokeLine(r: SmokeStepResult): string {
  if (r.skipped) return `smoke ${r.name}: skipped (${r.skipped})`;
  const facts = [String(r.status ?? "-"), `${r.ms} ms`, ...(r.version ? [`version ${r.version}`] : [])].join(", ");
  const text = r.ok ? r.detail : r.error;
  return `smoke ${r.name}: ${r.ok ? "ok" : "FAILED"} (${facts})${text ? ` ${text}` : ""}`;
}

/** The first failed step is the one that fails the deployment (a cleanup failure after it never replaces it). */
export function firstFailedStep(run: SmokeRun): SmokeStepResult | undefined {
  return run.steps.find((r) => !r.ok && !r.skipped);
}

/**
 * `Smoke step "thumbnail" failed: …. Skipped after it: cleanup. Also failed: cleanup (…).`
 * Null when the run passed.
 */
export function describeSmokeFailure(run: SmokeRun): string | null {
  const first = firstFailedStep(run);
  if (!first) return null;
  const skipped = run.steps.filter((r) => !r.ok && r.skipped).map((r) => r.name);
  const others = run.steps.filter((r) => r !== first && !r.ok && !r.skipped);
  return [
    sentence(`Smoke step "${first.name}" failed: ${first.error ?? `answered ${first.status ?? "nothing"}`}`),
    skipped.length ? `Skipped after it: ${skipped.join(", ")}.` : "",
    others.length ? `Also failed: ${others.map((r) => `${r.name} (${r.error ?? r.status})`).join("; ")}.` : "",
  ]
    .filter(Boolean)
    .join(" ");
}

function sentence(text: string): string {
  return /[.?!]$/.test(text) ? text : `${text}.`;
}
