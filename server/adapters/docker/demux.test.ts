import { describe, expect, it } from "vitest";
import { createTailBuffer, demuxToLines, DockerFrameDemuxer, encodeDockerFrame, ExecDemux } from "./demux";

const joined = (frames: { stream: string; payload: Buffer }[]) => frames.map((f) => `${f.stream}:${f.payload.toString()}`).join("|");

describe("DockerFrameDemuxer", () => {
  it("splits stdout and stderr frames in order", () => {
    const bytes = Buffer.concat([
      encodeDockerFrame("stdout", "a\n"),
      encodeDockerFrame("stderr", "b\n"),
      encodeDockerFrame("stdout", "c\n"),
    ]);
    expect(joined(new DockerFrameDemuxer().push(bytes))).toBe("stdout:a\n|stderr:b\n|stdout:c\n");
  });

  it("handles frames and headers cut at every byte", () => {
    const bytes = Buffer.concat([encodeDockerFrame("stdout", "hello\n"), encodeDockerFrame("stderr", "world\n")]);
    const demux = new DockerFrameDemuxer();
    const out: { stream: string; payload: Buffer }[] = [];
    for (let i = 0; i < bytes.length; i++) out.push(...demux.push(bytes.subarray(i, i + 1)));
    const text = (s: string) => Buffer.concat(out.filter((f) => f.stream === s).map((f) => f.payload)).toString();
    expect(text("stdout")).toBe("hello\n");
    expect(text("stderr")).toBe("world\n");
  });
});

describe("ExecDemux", () => {
  it("passes stdout downstream and hands stderr aside", async () => {
    const errs: string[] = [];
    const t = new ExecDemux((c) => errs.push(c.toString()));
    const out: string[] = [];
    t.on("data", (c: Buffer) => out.push(c.toString()));
    t.end(Buffer.concat([encodeDockerFrame("stdout", "rows"), encodeDockerFrame("stderr", "warn"), encodeDockerFrame("stdout", " more")]));
    await new Promise((r) => t.on("end", r));
    expect(out.join("")).toBe("rows more");
    expect(errs).toEqual(["warn"]);
  });
});

describe("demuxToLines", () => {
  it("splits stdout and stderr frames into lines in order", () => {
    const buf = Buffer.concat([
      encodeDockerFrame("stdout", "one\ntwo\n"),
      encodeDockerFrame("stderr", "err three\n"),
      encodeDockerFrame("stdout", "four\n"),
    ]);
    expect(demuxToLines(buf)).toEqual(["one", "two", "err three", "four"]);
  });

  it("reads a TTY container's raw log", () => {
    expect(demuxToLines(Buffer.from("plain\nlines\n"))).toEqual(["plain", "lines"]);
  });
});

describe("createTailBuffer", () => {
  it("keeps only the last bytes", () => {
    const t = createTailBuffer(4);
    t.push(Buffer.from("abc"));
    t.push(Buffer.from("def"));
    expect(t.text()).toBe("cdef");
  });
});
