import { iterateJobLog } from "@/server/jobs/queries";
import type { JobLogEntry, JobView } from "@/server/jobs/types";
import { type JobRouteContext, loadJobForRequest } from "../../job-request";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** The whole job log as a text download, streamed page by page from the store. */
export async function GET(req: Request, context: JobRouteContext): Promise<Response> {
  const job = await loadJobForRequest(req, context);
  if (job instanceof Response) return job;
  return new Response(createLogTextStream(job), {
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Disposition": `attachment; filename="job-${job.kind}-${job.id}.log"`,
      "Cache-Control": "no-store",
    },
  });
}

function createLogTextStream(job: JobView): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const pages = iterateJobLog(job.id);
  let isHeaderSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!isHeaderSent) {
        isHeaderSent = true;
        controller.enqueue(encoder.encode(formatHeader(job)));
        return;
      }
      const next = await pages.next();
      if (next.done) return controller.close();
      controller.enqueue(encoder.encode(next.value.map(formatLine).join("")));
    },
    async cancel() {
      await pages.return(undefined);
    },
  });
}

function formatHeader(job: JobView): string {
  const lines = [
    `# ${job.title} (job ${job.id}, ${job.kind})`,
    `# started by ${job.actorLabel} at ${job.startedAt?.toISOString() ?? "-"}; status ${job.status}${job.error ? `: ${job.error}` : ""}`,
  ];
  return `${lines.join("\n")}\n`;
}

function formatLine(entry: JobLogEntry): string {
  return `${entry.at} ${entry.level.padEnd(6)} ${entry.text}\n`;
}
