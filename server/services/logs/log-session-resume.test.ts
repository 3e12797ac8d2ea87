import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { encodeDockerFrame } from "@/server/adapters/docker";
import type { DockerLogRequest, DockerLogSource, OpenLogSource } from "./docker-log-source";
import { LogSession } from "./log-session";

const ts = (s: number, frac = "0") => `2026-12-02T04:30:${String(s).padStart(2, "0")}.${frac}Z`;
const line = (t: string, text: string) => encodeDockerFrame("stdout", `${t} ${text}\n`);

/** Sources handed out in order; records each request (a reopen must ask from the resume point). */
function sources() {
  const requests: DockerLogRequest[] = [];
  const streams: PassThrough[] = [];
  let failures = 0;
  const open: OpenLogSource = async (request) => {
    requests.push(request);
    if (failures > 0) {
      failures--;
      throw new Error("connect ETIMEDOUT");
    }
    const stream = new PassThrough();
    streams.push(stream);
    const source: DockerLogSource = { stream, isTty: false, close: () => stream.destroy() };
    return source;
  };
  return { open, requests, streams, failNext: (n: number) => (failures = n) };
}

async function collect(body: ReadableStream<Uint8Array>, until: (msgs: { text?: string; event?: string; ts?: string }[]) => boolean) {
  const reader = body.getReader();
  const msgs: { text?: string; event?: string; ts?: string; message?: string }[] = [];
  let buf = "";
  while (!until(msgs)) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += new TextDecoder().decode(value);
    const parts = buf.split("\n");
    buf = parts.pop() ?? "";
    msgs.push(...parts.filter(Boolean).map((p) => JSON.parse(p) as { text?: string; event?: string }));
  }
  await reader.cancel();
  return msgs.filter((m) => m.event !== "heartbeat");
}

describe("a follow stream that loses its connection", () => {
  it("is reopened from the last line's timestamp and delivers every line once, telling the viewer", async () => {
    const src = sources();
    let running = true;
    const session = new LogSession({
      request: { tail: 3, follow: true, stdout: true, stderr: true, timestamps: false },
      ringCapacity: 0,
      onClosed: () => {},
      resume: { isRunning: async () => running, retryMs: 5 },
    });
    await session.open(src.open);
    const body = session.attach();
    expect(src.requests[0]).toMatchObject({ timestamps: true, tail: 3 });
    src.streams[0]!.write(Buffer.concat([line(ts(1), "a"), line(ts(2, "5"), "b"), line(ts(2, "5"), "c")]));
    src.failNext(2);
    setTimeout(() => src.streams[0]!.destroy(new Error("Channel closed")), 20);
    setTimeout(() => {
      // Docker's since is inclusive: the reopened stream repeats b and c, then goes on.
      src.streams[1]?.write(Buffer.concat([line(ts(2, "5"), "b"), line(ts(2, "5"), "c"), line(ts(2, "5"), "d"), line(ts(3), "e")]));
    }, 200);
    const msgs = await collect(body, (m) => m.some((x) => x.text === "e"));
    expect(msgs.filter((m) => m.text).map((m) => m.text)).toEqual(["a", "b", "c", "d", "e"]);
    // Timestamps were only for resuming: the viewer did not ask for them.
    expect(msgs.filter((m) => m.text).every((m) => m.ts === undefined)).toBe(true);
    expect(msgs.filter((m) => m.event === "notice").map((m) => (m as { message: string }).message)).toEqual([
      "The connection to the host was lost (Channel closed): reconnecting…",
      `Reconnected: the log goes on after ${ts(2, "5")}, nothing repeated or skipped`,
    ]);
    const reopen = src.requests.at(-1)!;
    expect(reopen).toMatchObject({ tail: "all", since: Math.floor(Date.parse(ts(2, "5")) / 1000), follow: true });
    running = false;
    session.close();
  });

  it("ends as the log ends when the container has stopped", async () => {
    const src = sources();
    const session = new LogSession({
      request: { tail: 3, follow: true, stdout: true, stderr: true, timestamps: true },
      ringCapacity: 0,
      onClosed: () => {},
      resume: { isRunning: async () => false, retryMs: 5 },
    });
    await session.open(src.open);
    const body = session.attach();
    src.streams[0]!.end(line(ts(1), "last words"));
    const msgs = await collect(body, (m) => m.some((x) => x.event === "end"));
    expect(msgs).toEqual([{ seq: 1, stream: "stdout", ts: ts(1), text: "last words" }, { event: "end" }]);
    expect(src.requests).toHaveLength(1);
  });
});
