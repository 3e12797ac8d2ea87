import { createJobEventStream } from "@/server/jobs/event-stream";
import { getLastLogSeq } from "@/server/jobs/queries";
import { type JobRouteContext, loadJobForRequest } from "../../job-request";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * Server-Sent Events for one job: a `snapshot`, the stored log after the client's last seq
 * (`Last-Event-ID`, else `?after=SEQ`, else the last `?tail=N` lines), live `log`/`step`/`status`
 * events, and `end` when the job is over.
 */
export async function GET(req: Request, context: JobRouteContext): Promise<Response> {
  const job = await loadJobForRequest(req, context);
  if (job instanceof Response) return job;
  const afterSeq = await resolveAfterSeq(req, job.id);
  const body = createJobEventStream({ job, afterSeq, signal: req.signal });
  return new Response(body, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      // Reverse proxies (nginx, Caddy with buffering) must pass events through at once.
      "X-Accel-Buffering": "no",
    },
  });
}

async function resolveAfterSeq(req: Request, jobId: string): Promise<number> {
  const params = new URL(req.url).searchParams;
  const lastEventId = toSeq(req.headers.get("last-event-id"));
  if (lastEventId !== null) return lastEventId;
  const after = toSeq(params.get("after"));
  if (after !== null) return after;
  const tail = toSeq(params.get("tail"));
  if (tail !== null) return Math.max(0, (await getLastLogSeq(jobId)) - tail);
  return 0;
}

function toSeq(value: string | null): number | null {
  if (value === null || !/^\d{1,12}$/.test(value.trim())) return null;
  return Number(value.trim());
}
