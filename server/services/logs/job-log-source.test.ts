import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@/server/errors";
import type { JobEvent, JobLogEntry, LogLevel } from "@/server/jobs/types";
import { openJobLogStream, textFormat, type JobLogStore } from "./job-log-source";
import { ZJobLogStreamQuery } from "./query";

const entry = (seq: number, level: LogLevel = "info"): JobLogEntry => ({
  seq,
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
  level,
  text: `line ${seq} ${level}`,
});

/** An in-memory job: stored lines, a status, and an event bus the test drives. */
function fakeStore(stored: JobLogEntry[], status = "succeeded") {
  const listeners = new Set<(e: JobEvent) => void>();
  const job = { status };
  const store: JobLogStore = {
    getJob: async (id) => {
      if (id !== "job1") throw new AppError("NOT_FOUND", "Job not found.");
      return job;
    },
    getLastLogSeq: async () => stored.at(-1)?.seq ?? 0,
    async *iterateJobLog(_id, afterSeq) {
      const page = stored.filter((e) => e.seq > afterSeq);
      if (page.length) yield page.slice(0, 2);
      if (page.length > 2) yield page.slice(2);
    },
    subscribeToJob: (_id, l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  const publish = (e: JobEvent) => listeners.forEach((l) => l(e));
  return { store, job, publish, listeners };
}

async function readAll(
  body: ReadableStream<Uint8Array>,
): Promise<{ seq?: number; stream?: string; ts?: string; text?: string; event?: string; code?: string; message?: string }[]> {
  const text = await new Response(body).text();
  return text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

const q = (extra: Record<string, string> = {}) => ZJobLogStreamQuery.parse({ job: "job1", tail: "all", ...extra });

describe("openJobLogStream", () => {
  it("replays a finished job's log in order, warn/error as stderr, then ends", async () => {
    const { store } = fakeStore([entry(1), entry(2, "warn"), entry(3, "error"), entry(4, "stdout"), entry(5, "stderr")]);
    const out = await readAll(await openJobLogStream(q(), undefined, store));
    expect(out).toEqual([
      { seq: 1, stream: "stdout", text: "line 1 info" },
      { seq: 2, stream: "stderr", text: "line 2 warn" },
      { seq: 3, stream: "stderr", text: "line 3 error" },
      { seq: 4, stream: "stdout", text: "line 4 stdout" },
      { seq: 5, stream: "stderr", text: "line 5 stderr" },
      { event: "end" },
    ]);
  });

  it("filters on the server, honours tail, the stream toggles and timestamps", async () => {
    const { store } = fakeStore([entry(1), entry(2, "warn"), entry(3), entry(4, "error"), entry(5)]);
    expect((await readAll(await openJobLogStream(q({ q: "LINE 3" }), undefined, store))).map((l) => l.seq ?? l.event)).toEqual([3, "end"]);
    expect(
      (await readAll(await openJobLogStream(q({ q: "line [24]", regex: "1" }), undefined, store))).map((l) => l.seq ?? l.event),
    ).toEqual([2, 4, "end"]);
    expect((await readAll(await openJobLogStream(q({ tail: "2" }), undefined, store))).map((l) => l.seq ?? l.event)).toEqual([4, 5, "end"]);
    expect((await readAll(await openJobLogStream(q({ stdout: "0" }), undefined, store))).map((l) => l.seq ?? l.event)).toEqual([
      2,
      4,
      "end",
    ]);
    const [first] = await readAll(await openJobLogStream(q({ timestamps: "1", tail: "1" }), undefined, store));
    expect(first).toEqual({ seq: 5, stream: "stdout", ts: "2026-01-01T00:00:05.000Z", text: "line 5 info" });
  });

  it("follows a running job: live lines after the stored ones, no duplicates, ends with the job", async () => {
    const { store, publish, listeners } = fakeStore([entry(1), entry(2)], "running");
    const body = await openJobLogStream(q(), undefined, store);
    const reading = readAll(body);
    await new Promise((r) => setTimeout(r, 10));
    publish({ type: "log", ...entry(2) }); // already replayed
    publish({ type: "log", ...entry(3, "error") });
    publish({ type: "log", ...entry(4) });
    publish({ type: "end" });
    expect((await reading).map((l) => l.seq ?? l.event)).toEqual([1, 2, 3, 4, "end"]);
    expect(listeners.size).toBe(0);
  });

  it("refuses an unknown job before any byte, and a pattern RE2 cannot run (back-reference)", async () => {
    const { store } = fakeStore([]);
    await expect(openJobLogStream(ZJobLogStreamQuery.parse({ job: "nope" }), undefined, store)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(openJobLogStream(q({ q: "(a)\\1", regex: "1" }), undefined, store)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      data: { field: "q" },
    });
  });

  describe("when the filter uses its CPU budget", () => {
    afterEach(() => vi.restoreAllMocks());
    /** Every look at the clock is 100 ms later: each line seems to cost 100 ms of matching. */
    const slowMatching = () => {
      let now = 0;
      vi.spyOn(performance, "now").mockImplementation(() => (now += 100));
    };
    const stored = Array.from({ length: 20 }, (_, i) => entry(i + 1));

    it("sends the lines matched so far, then an error event with FILTER_BUDGET instead of a plain end", async () => {
      const { store } = fakeStore(stored);
      slowMatching();
      const out = await readAll(await openJobLogStream(q({ q: "line" }), undefined, store));
      const last = out.at(-1);
      expect(last).toMatchObject({ event: "error", code: "FILTER_BUDGET" });
      expect(last?.message).toMatch(/^The filter was stopped after \d+ lines because it used too much CPU.*incomplete/);
      const seqs = out.slice(0, -1).map((l) => l.seq);
      expect(seqs.length).toBeGreaterThan(0);
      expect(seqs.length).toBeLessThan(stored.length);
      expect(seqs).toEqual(stored.slice(0, seqs.length).map((e) => e.seq));
    });

    it("says so in the plain-text log too", async () => {
      const { store } = fakeStore(stored);
      slowMatching();
      const text = await new Response(await openJobLogStream(q({ q: "line" }), undefined, store, undefined, textFormat)).text();
      expect(text.trimEnd().split("\n").at(-1)).toMatch(/^error: The filter was stopped after \d+ lines .*incomplete/);
    });
  });

  it("stops following when the viewer goes away", async () => {
    const { store, listeners } = fakeStore([entry(1)], "running");
    const abort = new AbortController();
    const body = await openJobLogStream(q(), abort.signal, store);
    const reader = body.getReader();
    await reader.read();
    expect(listeners.size).toBe(1);
    abort.abort();
    expect(listeners.size).toBe(0);
  });

  it("sends heartbeats while a running job is quiet", async () => {
    const { store, publish } = fakeStore([entry(1)], "running");
    const body = await openJobLogStream(q(), undefined, store, 30);
    const reading = readAll(body);
    await new Promise((r) => setTimeout(r, 100));
    publish({ type: "end" });
    const out = (await reading).map((l) => l.seq ?? l.event);
    expect(out[0]).toBe(1);
    expect(out.at(-1)).toBe("end");
    expect(out.filter((e) => e === "heartbeat").length).toBeGreaterThanOrEqual(1);
  });

  it("writes plain text for the REST log endpoint: one timestamped line per entry with its level, live lines too", async () => {
    const { store, publish } = fakeStore([entry(1), entry(2, "warn")], "running");
    const reading = new Response(await openJobLogStream(q(), undefined, store, undefined, textFormat)).text();
    await new Promise((r) => setTimeout(r, 10));
    publish({ type: "log", ...entry(3, "stderr") });
    publish({ type: "end" });
    expect((await reading).split("\n")).toEqual([
      "2026-01-01T00:00:01.000Z info   line 1 info",
      "2026-01-01T00:00:02.000Z warn   line 2 warn",
      "2026-01-01T00:00:03.000Z stderr line 3 stderr",
      "",
    ]);
  });
});
