import { describe, expect, it } from "vitest";
import { mapConcurrent } from "./map-concurrent";
import { compareTagNames, compareTagsNewestFirst } from "./sort-tags";
import { TokenCache } from "./token-cache";

describe("compareTagNames", () => {
  it("sorts versions naturally, pre-releases before their release, words before versions", () => {
    const tags = ["v1.10.0", "v1.2.0", "v1.2.0-broken", "latest", "v1.9.1", "v2.0.0-rc.2", "v2.0.0-rc.10", "main", "1.0", "v1.2.0-alpha"];
    expect([...tags].sort(compareTagNames)).toEqual([
      "latest",
      "main",
      "1.0",
      "v1.2.0-alpha",
      "v1.2.0-broken",
      "v1.2.0",
      "v1.9.1",
      "v1.10.0",
      "v2.0.0-rc.2",
      "v2.0.0-rc.10",
    ]);
  });
});

describe("compareTagsNewestFirst", () => {
  it("puts dated tags first by date, then undated ones by version descending", () => {
    const sorted = [
      { tag: "v1.0.0" },
      { tag: "v1.1.0", createdAt: new Date("2026-01-02T00:00:00Z") },
      { tag: "v1.10.0" },
      { tag: "v0.9.0", createdAt: new Date("2026-03-01T00:00:00Z") },
      { tag: "v1.2.0", createdAt: new Date("2026-01-02T00:00:00Z") },
    ].sort(compareTagsNewestFirst);
    expect(sorted.map((t) => t.tag)).toEqual(["v0.9.0", "v1.2.0", "v1.1.0", "v1.10.0", "v1.0.0"]);
  });
});

describe("mapConcurrent", () => {
  it("keeps order and never exceeds the limit", async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapConcurrent([5, 1, 4, 2, 3, 0, 6, 7], 3, async (n) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, n));
      inFlight--;
      return n * 2;
    });
    expect(out).toEqual([10, 2, 8, 4, 6, 0, 12, 14]);
    expect(peak).toBe(3);
    expect(await mapConcurrent([], 6, async (n: number) => n)).toEqual([]);
  });
});

describe("TokenCache", () => {
  it("forgets a token shortly before it expires", () => {
    let now = 0;
    const cache = new TokenCache(() => now);
    cache.setToken("k", "tok", 60);
    now = 49_000;
    expect(cache.getToken("k")).toBe("tok");
    now = 50_001;
    expect(cache.getToken("k")).toBeUndefined();
    cache.setToken("k2", "tok2");
    now += 49_000;
    expect(cache.getToken("k2")).toBe("tok2");
  });
});
