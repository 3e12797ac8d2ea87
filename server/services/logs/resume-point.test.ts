import { describe, expect, it } from "vitest";
import { ResumePoint, timestampNs } from "./resume-point";

describe("ResumePoint", () => {
  it("reads Docker's timestamps to the nanosecond, with trimmed fractions and offsets", () => {
    expect(timestampNs("2026-12-02T04:30:00.123456789Z")).toBe(1796185800123456789n);
    expect(timestampNs("2026-12-02T04:30:00.1Z")).toBe(1796185800100000000n);
    expect(timestampNs("2026-12-02T05:30:00.5+01:00")).toBe(1796185800500000000n);
    expect(timestampNs("yesterday")).toBeNull();
  });

  it("after a reopen drops what was delivered (the inclusive since repeats it) and keeps every newer line", () => {
    const p = new ResumePoint();
    expect(p.since()).toBeUndefined();
    for (const ts of ["2026-12-02T04:30:00.1Z", "2026-12-02T04:30:01.5Z", "2026-12-02T04:30:01.5Z"]) p.delivered(ts);
    expect(p.since()).toBe(1796185801);
    p.reopen();
    // Docker resends from 04:30:01: the two lines at 01.5 were delivered, a third at 01.5 was not.
    const again = [
      "2026-12-02T04:30:01.2Z",
      "2026-12-02T04:30:01.5Z",
      "2026-12-02T04:30:01.5Z",
      "2026-12-02T04:30:01.5Z",
      "2026-12-02T04:30:02Z",
    ];
    expect(again.map((ts) => p.isNew(ts))).toEqual([false, false, false, true, true]);
  });
});
