import "@/server/jobs/testing/test-db";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/server/db";
import { createApiToken } from "@/server/services/tokens/api-tokens";
import type { Actor } from "@/server/services/auth/actor";
import { GET as getEvents } from "@/app/api/jobs/[id]/events/route";
import { GET as getLog } from "@/app/api/jobs/[id]/log/route";
import { createJobEventStream } from "./event-stream";
import { getJob, readJobLog, waitForJob } from "./queries";
import { startJob } from "./runner";
import { removeTestDataDir } from "@/server/jobs/testing/test-db";

// Only the session-cookie half of actor resolution is replaced (no cookie in these tests);
// the bearer-token half runs for real against the temp store.
vi.mock("@/auth", () => ({ auth: async () => null }));

const actor: Actor = { kind: "user", id: null, label: "alice@example.com", role: "DEPLOYER" };
let token = "";

beforeAll(async () => {
  token = (await createApiToken({ name: "viewer", role: "VIEWER", createdById: null })).token;
});

afterAll(async () => {
  await db.$disconnect();
  removeTestDataDir();
});

interface SseEvent {
  id?: string;
  event: string;
  data: Record<string, unknown>;
}

/** Reads SSE frames from a response body, one at a time. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  async function next(): Promise<SseEvent | null> {
    for (;;) {
      const end = buffer.indexOf("\n\n");
      if (end >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (frame.startsWith(":")) continue;
        const fields = Object.fromEntries(frame.split("\n").map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 2)]));
        return { id: fields.id, event: fields.event!, data: JSON.parse(fields.data!) as Record<string, unknown> };
      }
      const chunk = await reader.read();
      if (chunk.done) return null;
      buffer += decoder.decode(chunk.value, { stream: true });
    }
  }
  async function readUntil(predicate: (e: SseEvent) => boolean): Promise<SseEvent[]> {
    const out: SseEvent[] = [];
    for (let e = await next(); e; e = await next()) {
      out.push(e);
      if (predicate(e)) break;
    }
    return out;
  }
  return { next, readUntil, cancel: () => reader.cancel() };
}

function request(jobId: string, init: { query?: string; headers?: Record<string, string>; signal?: AbortSignal } = {}) {
  const headers = { authorization: `Bearer ${token}`, ...init.headers };
  return new Request(`http://panel.test/api/jobs/${jobId}/events${init.query ?? ""}`, { headers, signal: init.signal });
}
const params = (id: string) => ({ params: Promise.resolve({ id }) });

function gate() {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

async function startGatedJob(linesBefore: number, linesAfter: number) {
  const release = gate();
  const { jobId } = await startJob(
    { kind: "deploy", title: "Deploy of v1.1.0", actor, steps: [{ key: "pull", label: "Pull image" }] },
    async (ctx) => {
      for (let i = 1; i <= linesBefore; i++) ctx.log(`before ${i}`);
      await ctx.step("pull", async () => {
        await release.promise;
        ctx.setStepProgress("pull", 0.5, "1/2 layers");
      });
      for (let i = 1; i <= linesAfter; i++) ctx.log(`after ${i}`, "stdout");
      return { tag: "v1.1.0" };
    },
  );
  return { jobId, release: release.open };
}

describe("GET /api/jobs/[id]/events", () => {
  it("answers 401 without a session or token, 404 for an unknown job", async () => {
    const anonymous = await getEvents(new Request("http://panel.test/api/jobs/x/events"), params("x"));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    const badToken = await getEvents(request("x", { headers: { authorization: "Bearer pxf_nope" } }), params("x"));
    expect(badToken.status).toBe(401);
    const missing = await getEvents(request("missing"), params("missing"));
    expect(missing.status).toBe(404);
  });

  it("sends the snapshot, replays the stored log, follows live events and ends with the job", async () => {
    const { jobId, release } = await startGatedJob(3, 2);
    await vi.waitFor(async () => expect((await getJob(jobId)).steps[0]!.status).toBe("running"));
    const response = await getEvents(request(jobId), params(jobId));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const sse = sseReader(response.body!);

    const first = await sse.readUntil((e) => e.event === "log" && e.data.seq === 3);
    expect(first[0]).toMatchObject({ event: "snapshot", data: { job: { id: jobId, status: "running", title: "Deploy of v1.1.0" } } });
    expect(first.filter((e) => e.event === "log").map((e) => [e.id, e.data.text])).toEqual([
      ["1", "before 1"],
      ["2", "before 2"],
      ["3", "before 3"],
    ]);

    release();
    const rest = await sse.readUntil((e) => e.event === "end");
    const logs = rest.filter((e) => e.event === "log");
    expect(logs.map((e) => [e.id, e.data.text, e.data.level])).toEqual([
      ["4", "after 1", "stdout"],
      ["5", "after 2", "stdout"],
    ]);
    expect(rest.some((e) => e.event === "step" && (e.data.steps as { detail: string }[])[0]!.detail === "1/2 layers")).toBe(true);
    expect(rest.find((e) => e.event === "status" && e.data.status === "succeeded")).toBeDefined();
    expect(rest.at(-1)!.event).toBe("end");
    expect(await sse.next()).toBeNull();
  });

  it("resumes after Last-Event-ID (or ?after / ?tail) and ends at once for a finished job", async () => {
    const { jobId, release } = await startGatedJob(3, 3);
    release();
    await waitForJob(jobId);
    const seqsFor = async (init: Parameters<typeof request>[1]) => {
      const events = await sseReader((await getEvents(request(jobId, init), params(jobId))).body!).readUntil(() => false);
      expect(events[0]!.event).toBe("snapshot");
      expect(events.at(-1)!.event).toBe("end");
      return events.filter((e) => e.event === "log").map((e) => Number(e.id));
    };
    expect(await seqsFor({ headers: { "last-event-id": "4" } })).toEqual([5, 6]);
    expect(await seqsFor({ query: "?after=2" })).toEqual([3, 4, 5, 6]);
    // Last-Event-ID (a reconnect) wins over the page's original ?after.
    expect(await seqsFor({ query: "?after=1", headers: { "last-event-id": "5" } })).toEqual([6]);
    expect(await seqsFor({ query: "?tail=2" })).toEqual([5, 6]);
    expect(await seqsFor({})).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("includes lines shown live but not yet stored when a viewer joins", async () => {
    const storeGate = gate();
    const createMany = db.jobLogLine.createMany.bind(db.jobLogLine);
    const spy = vi
      .spyOn(db.jobLogLine, "createMany")
      .mockImplementation(((args: Parameters<typeof createMany>[0]) => storeGate.promise.then(() => createMany(args))) as never);
    const { jobId, release } = await startGatedJob(3, 0);
    await vi.waitFor(async () => expect((await getJob(jobId)).steps[0]!.status).toBe("running"));
    expect(await readJobLog(jobId)).toEqual([]);
    const sse = sseReader((await getEvents(request(jobId), params(jobId))).body!);
    const events = await sse.readUntil((e) => e.event === "log" && e.data.seq === 3);
    expect(events.filter((e) => e.event === "log").map((e) => e.data.text)).toEqual(["before 1", "before 2", "before 3"]);
    storeGate.open();
    release();
    const rest = await sse.readUntil((e) => e.event === "end");
    expect(rest.filter((e) => e.event === "log")).toEqual([]);
    expect((await readJobLog(jobId)).map((l) => l.seq)).toEqual([1, 2, 3]);
    spy.mockRestore();
  });

  it("unsubscribes when the request is aborted", async () => {
    const { jobId, release } = await startGatedJob(1, 0);
    const listeners = () =>
      (globalThis as unknown as { pxfJobRunner: { emitter: { listenerCount(n: string): number } } }).pxfJobRunner.emitter.listenerCount(
        `job:${jobId}`,
      );
    const controller = new AbortController();
    const sse = sseReader((await getEvents(request(jobId, { signal: controller.signal }), params(jobId))).body!);
    await sse.next();
    expect(listeners()).toBe(1);
    controller.abort();
    expect(listeners()).toBe(0);
    release();
    await waitForJob(jobId);
  });
});

describe("createJobEventStream", () => {
  it("sends a heartbeat comment while the job is quiet", async () => {
    const { jobId, release } = await startGatedJob(0, 0);
    await vi.waitFor(async () => expect((await getJob(jobId)).status).toBe("running"));
    const reader = createJobEventStream({ job: await getJob(jobId), afterSeq: 0, heartbeatMs: 20 }).getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!text.includes(": ping")) text += decoder.decode((await reader.read()).value);
    expect(text.startsWith("event: snapshot\n")).toBe(true);
    await reader.cancel();
    release();
    await waitForJob(jobId);
  });

  it("closes a client that falls too far behind instead of dropping events", async () => {
    const { jobId, release } = await startGatedJob(0, 500);
    await vi.waitFor(async () => expect((await getJob(jobId)).status).toBe("running"));
    const stream = createJobEventStream({ job: await getJob(jobId), afterSeq: 0, maxQueued: 50 });
    const sse = sseReader(stream);
    expect((await sse.next())!.event).toBe("snapshot");
    release(); // 500 lines arrive while the client reads nothing
    await waitForJob(jobId);
    const events = await sse.readUntil(() => false);
    const seqs = events.filter((e) => e.event === "log").map((e) => Number(e.id));
    expect(events.some((e) => e.event === "end")).toBe(false);
    // What it got is gap-free, so it can resume from its last seq.
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(seqs.length).toBeLessThan(500);
  });
});

describe("GET /api/jobs/[id]/log", () => {
  it("downloads the whole log as text", async () => {
    const { jobId, release } = await startGatedJob(2, 1200);
    release();
    await waitForJob(jobId);
    const response = await getLog(
      new Request(`http://panel.test/api/jobs/${jobId}/log`, { headers: { authorization: `Bearer ${token}` } }),
      params(jobId),
    );
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain(`job-deploy-${jobId}.log`);
    const lines = (await response.text()).trimEnd().split("\n");
    expect(lines[0]).toBe(`# Deploy of v1.1.0 (job ${jobId}, deploy)`);
    expect(lines).toHaveLength(2 + 1202);
    expect(lines[2]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z info   before 1$/);
    expect(lines.at(-1)).toMatch(/stdout after 1200$/);
    expect((await getLog(new Request(`http://panel.test/api/jobs/${jobId}/log`), params(jobId))).status).toBe(401);
  });
});
