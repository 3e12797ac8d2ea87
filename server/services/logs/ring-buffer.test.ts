import { describe, expect, it } from "vitest";
import { RingBuffer } from "./ring-buffer";

describe("RingBuffer", () => {
  it("keeps the newest items and counts what it dropped", () => {
    const ring = new RingBuffer<number>(3);
    ring.pushAll([1, 2, 3, 4, 5]);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.length).toBe(3);
    expect(ring.dropped).toBe(2);
    expect(ring.at(0)).toBe(3);
    expect(ring.at(3)).toBeUndefined();
  });

  it("grows storage lazily and clears", () => {
    const ring = new RingBuffer<string>(1_000_000);
    ring.push("a");
    expect(ring.toArray()).toEqual(["a"]);
    ring.clear();
    expect(ring.length).toBe(0);
    ring.push("b");
    expect(ring.at(0)).toBe("b");
  });

  it("holds nothing with capacity 0", () => {
    const ring = new RingBuffer<number>(0);
    ring.push(1);
    expect(ring.length).toBe(0);
    expect(ring.dropped).toBe(1);
  });
});
