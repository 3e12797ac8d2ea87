import type { APIRequestContext } from "@playwright/test";

/** A job as GET /api/v1/jobs/{id} reports it once it is over. */
export interface EndedJob {
  id: string;
  kind: string;
  status: string;
  error: string | null;
  durationMs: number | null;
  steps: { key: string; status: string }[];
}

/**
 * Polls a job through the REST API until it ends, as the request context's session (a page's
 * `request`) or, given `token`, as that API token. Returns the final job.
 */
export async function waitForJobEnd(
  request: APIRequestContext,
  jobId: string,
  opts: { token?: string; timeoutMs?: number } = {},
): Promise<EndedJob> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const headers = opts.token ? { authorization: `Bearer ${opts.token}` } : undefined;
  const started = Date.now();
  for (;;) {
    const res = await request.get(`/api/v1/jobs/${jobId}`, { headers });
    if (!res.ok()) throw new Error(`job ${jobId}: HTTP ${res.status()} ${await res.text()}`);
    const job = (await res.json()) as EndedJob;
    if (!["queued", "running"].includes(job.status)) return job;
    if (Date.now() - started > timeoutMs) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
