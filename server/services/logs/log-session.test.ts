import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { encodeDockerFrame } from "@/server/adapters/docker";
import type { DockerLogSource, OpenLogSource } from "./docker-log-source";
import { compileFilter } from "./filter";
import { listLogSessions, openSharedLogStream } from "./log-hub";
import { LogSession } from "./log-session";
import { ZLogStreamQuery } from "./query";

function fakeSource() {
  const stream = new PassThrough();
  let opened = 0;
  let closed = 0;
  const open: OpenLogSource = async () => {
    opened++;
    const source: DockerLogSource = {
      stream,
      isTty: false,
      close: () => {
        closed++;
        stream.destroy();
      },
    };
    return source;
  };
  return { stream, open, counts: () => ({ opened, closed }) };
}

async function readLines(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  n: number,
): Promise<{ seq?: number; text?: string; event?: string; code?: string; message?: string }[]> {
  const out: { seq?: number; text?: string; event?: string; code?: string; message?: string }[] = [];
  let buf = "";
  const decoder = new TextDecoder();
  while (out.length < n) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value);
    const parts = buf.split("\n");
    buf = parts.pop() ?? "";
    const parsed = parts.map((p) => JSON.parse(p) as { event?: string });
    // A stream opened with no recent lines starts with a heartbeat (see "sends its first bytes at once").
    if (!opened.has(reader)) {
      opened.add(reader);
      if (parsed[0]?.event === "heartbeat") parsed.shift();
    }
    out.push(...parsed);
  }
  return out;
}
const opened = new WeakSet<object>();

const query = (extra: Record<string, string> = {}) =>
  ZLogStreamQuery.parse({ host: "h", container: "c", follow: "1", tail: "3", ...extra });

describe("shared log sessions", () => {
  it("sends its first bytes at once: a heartbeat when there are no recent lines, so a filter that matches nothing yet does not hold the response back", async () => {
    const src = fakeSource();
    const reader = (await openSharedLogStream("h0", query({ q: "never" }), src.open)).getReader();
    const first = await Promise.race([reader.read(), new Promise<"pending">((r) => setTimeout(() => r("pending"), 200))]);
    expect(first).not.toBe("pending");
    expect(JSON.parse(new TextDecoder().decode((first as ReadableStreamReadResult<Uint8Array>).value).trim())).toEqual({
      event: "heartbeat",
    });
    await reader.cancel();
  });

  it("fans one remote stream out to two viewers, replays recent lines to a late joiner, closes with the last", async () => {
    const src = fakeSource();
    const a = new AbortController();
    const first = (await openSharedLogStream("h1", query(), src.open, a.signal)).getReader();
    src.stream.write(encodeDockerFrame("stdout", "one\ntwo\n"));
    expect((await readLines(first, 2)).map((l) => l.text)).toEqual(["one", "two"]);

    const b = new AbortController();
    const late = (await openSharedLogStream("h1", query(), src.open, b.signal)).getReader();
    expect((await readLines(late, 2)).map((l) => [l.seq, l.text])).toEqual([
      [1, "one"],
      [2, "two"],
    ]);
    src.stream.write(encodeDockerFrame("stderr", "three\n"));
    expect((await readLines(first, 1))[0]?.text).toBe("three");
    expect((await readLines(late, 1))[0]?.seq).toBe(3);
    expect(src.counts()).toEqual({ opened: 1, closed: 0 });

    a.abort();
    expect(src.counts().closed).toBe(0);
    b.abort();
    expect(src.counts()).toEqual({ opened: 1, closed: 1 });
    expect(listLogSessions()).toEqual([]);
  });

  it("pauses the remote stream while a viewer's queue is full, resumes when it reads", async () => {
    const src = fakeSource();
    const a = new AbortController();
    const reader = (await openSharedLogStream("h2", query({ follow: "0", tail: "all" }), src.open, a.signal)).getReader();
    const line = `${"x".repeat(1000)}\n`;
    for (let i = 0; i < 600; i++) src.stream.write(encodeDockerFrame("stdout", line));
    await new Promise((r) => setTimeout(r, 50));
    expect(src.stream.isPaused()).toBe(true);
    const got = await readLines(reader, 600);
    expect(got).toHaveLength(600);
    src.stream.end();
    expect((await readLines(reader, 1))[0]?.event).toBe("end");
    a.abort();
  });

  it("sends only the lines that match the filter", async () => {
    const src = fakeSource();
    const a = new AbortController();
    const reader = (await openSharedLogStream("h3", query({ follow: "0", q: "^err [0-9]$", regex: "1" }), src.open, a.signal)).getReader();
    src.stream.end(
      Buffer.concat(
        ["out 1\n", "err 1\n", "err 10\n", "err 2\n"].map((t) => encodeDockerFrame(t.startsWith("err") ? "stderr" : "stdout", t)),
      ),
    );
    expect((await readLines(reader, 3)).map((l) => l.text ?? l.event)).toEqual(["err 1", "err 2", "end"]);
  });

  it("ends with FILTER_BUDGET, after the lines matched before the stop, when the filter uses too much CPU", async () => {
    const src = fakeSource();
    let now = 0;
    // Every line costs 100 ms of matching: the 500 ms budget is spent on the 5th line.
    const filter = compileFilter("err", false, { clock: () => (now += 100), burstMs: 500, msPerSecond: 0 });
    const session = new LogSession({
      request: { tail: 10, follow: true, stdout: true, stderr: true, timestamps: false },
      filter,
      ringCapacity: 0,
      onClosed: () => {},
    });
    await session.open(src.open);
    const reader = session.attach().getReader();
    src.stream.write(encodeDockerFrame("stdout", "err 1\nout 2\nerr 3\nout 4\nerr 5\nerr 6\nerr 7\nerr 8\n"));
    const got = await readLines(reader, 10);
    expect(got.slice(0, -1).map((l) => l.text)).toEqual(["err 1", "err 3", "err 5"]);
    expect(got.at(-1)).toMatchObject({ event: "error", code: "FILTER_BUDGET" });
    expect(got.at(-1)?.message).toMatch(/^The filter was stopped after 5 lines because it used too much CPU.*incomplete/);
    expect(src.counts().closed).toBe(1);
  });

  it("sends a heartbeat on a quiet follow stream, and none while lines flow", async () => {
    const src = fakeSource();
    const session = new LogSession({
      request: { tail: 10, follow: true, stdout: true, stderr: true, timestamps: false },
      ringCapacity: 0,
      heartbeatMs: 40,
      onClosed: () => {},
    });
    await session.open(src.open);
    const a = new AbortController();
    const reader = session.attach(a.signal).getReader();
    src.stream.write(encodeDockerFrame("stdout", "one\n"));
    expect(await readLines(reader, 1)).toEqual([{ seq: 1, stream: "stdout", text: "one" }]);
    const started = Date.now();
    expect(await readLines(reader, 1)).toEqual([{ event: "heartbeat" }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(30);
    src.stream.write(encodeDockerFrame("stdout", "two\n"));
    expect((await readLines(reader, 1))[0]?.text).toBe("two");
    a.abort();
    expect(src.counts().closed).toBe(1);
  });
});
