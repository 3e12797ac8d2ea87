import { getJob, iterateJobLog } from "@/server/jobs/queries";
import { subscribeToJob } from "@/server/jobs/registry";
import { isFinishedStatus, type JobEvent, type JobLogEntry } from "@/server/jobs/types";

const encoder = new TextEncoder();
const line = (e: Pick<JobLogEntry, "at" | "level" | "text">) => `${new Date(e.at).toISOString()} ${e.level.padEnd(6)} ${e.text}\n`;

/**
 * The job's log as plain text: stored lines first, then live lines until the job ends (when
 * `follow`). Subscribes before replaying so no line falls between the two; duplicates are skipped by seq.
 */
export function createJobLogTextStream(jobId: string, follow: boolean, signal: AbortSignal): ReadableStream<Uint8Array> {
  let unsubscribe = () => {};
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let lastSeq = 0;
      let isClosed = false;
      const buffered: JobEvent[] = [];
      let isReplaying = true;
      const close = () => {
        if (isClosed) return;
        isClosed = true;
        unsubscribe();
        controller.close();
      };
      const handle = (ev: JobEvent) => {
        if (ev.type === "log" && ev.seq > lastSeq) {
          lastSeq = ev.seq;
          controller.enqueue(encoder.encode(line(ev)));
        } else if (ev.type === "end") close();
      };
      if (follow) unsubscribe = subscribeToJob(jobId, (ev) => (isReplaying ? buffered.push(ev) : handle(ev)));
      signal.addEventListener("abort", close, { once: true });
      const replay = async () => {
        for await (const page of iterateJobLog(jobId, lastSeq)) {
          for (const e of page) if (e.seq > lastSeq) { lastSeq = e.seq; controller.enqueue(encoder.encode(line(e))); }
        }
      };
      await replay();
      isReplaying = false;
      for (const ev of buffered.splice(0)) handle(ev);
      if (!follow || isFinishedStatus((await getJob(jobId)).status)) {
        await replay(); // lines flushed while we looked
        close();
      }
    },
    cancel() {
      unsubscribe();
    },
  });
}
