import { describe, expect, it } from "vitest";
import { LogLineSplitter, MAX_LINE_BYTES } from "./line-splitter";

describe("LogLineSplitter", () => {
  it("keeps stdout and stderr lines apart when a line spans frames", () => {
    const s = new LogLineSplitter(false);
    const lines = [
      ...s.push([
        { stream: "stdout", payload: Buffer.from("par") },
        { stream: "stderr", payload: Buffer.from("e1\n") },
      ]),
      ...s.push([{ stream: "stdout", payload: Buffer.from("tial\r\nnext") }]),
      ...s.flush(),
    ];
    expect(lines).toEqual([
      { stream: "stderr", text: "e1" },
      { stream: "stdout", text: "partial" },
      { stream: "stdout", text: "next" },
    ]);
  });

  it("splits off Docker timestamps", () => {
    const s = new LogLineSplitter(true);
    expect(s.push([{ stream: "stdout", payload: Buffer.from("2025-01-31T12:00:00.123456789Z hi there\n") }])).toEqual([
      { stream: "stdout", ts: "2025-01-31T12:00:00.123456789Z", text: "hi there" },
    ]);
  });

  it("cuts an endless line into bounded pieces", () => {
    const s = new LogLineSplitter(false);
    const lines = s.push([{ stream: "stdout", payload: Buffer.alloc(MAX_LINE_BYTES * 2 + 10, "x") }]);
    expect(lines.map((l) => l.text.length)).toEqual([MAX_LINE_BYTES, MAX_LINE_BYTES]);
    expect(s.flush()[0]?.text.length).toBe(10);
  });

  it("decodes multi-byte characters split across frames", () => {
    const s = new LogLineSplitter(false);
    const euro = Buffer.from("€\n");
    const lines = [
      ...s.push([{ stream: "stdout", payload: euro.subarray(0, 1) }]),
      ...s.push([{ stream: "stdout", payload: euro.subarray(1) }]),
    ];
    expect(lines).toEqual([{ stream: "stdout", text: "€" }]);
  });
});
