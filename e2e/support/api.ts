import type { APIRequestContext } from "@playwright/test";

/** Polls a job through the REST API until it ends; returns the final job. */
export async function waitForJob(request: APIRequestContext, token: string, jobId: string, timeoutMs = 120_000) {
  const started = Date.now();
  for (;;) {
    const res = await request.get(`/api/v1/jobs/${jobId}`, { headers: { authorization: `Bearer ${token}` } });
    const job = (await res.json()) as {
      status: string;
      steps: { key: string; status: string; detail: string | null }[];
      error: string | null;
    };
    if (!["queued", "running"].includes(job.status)) return job;
    if (Date.now() - started > timeoutMs) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function deployViaApi(request: APIRequestContext, token: string, tag: string) {
  const res = await request.post("/api/v1/stacks/pixelfox/deployments", { headers: { authorization: `Bearer ${token}` }, data: { tag } });
  return { status: res.status(), body: (await res.json()) as { jobId: string; deploymentId: string; error?: { message: string } } };
}
