import { apiRoute } from "@/server/http/api-route";
import { ZJobIdParam } from "@/server/http/deploy-api";
import { createJobLogTextStream } from "@/server/http/job-log-text-stream";
import { getJob } from "@/server/jobs/queries";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Streams the job's log as text until the job ends; `?follow=0` returns what is stored now. */
export const GET = apiRoute("VIEWER", async ({ req, params }) => {
  const job = await getJob(ZJobIdParam.parse(params.id));
  const follow = new URL(req.url).searchParams.get("follow") !== "0";
  return new Response(createJobLogTextStream(job.id, follow, req.signal), {
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Accel-Buffering": "no" },
  });
});
