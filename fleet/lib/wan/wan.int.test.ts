import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execCommand } from "@/server/adapters/ssh/exec";
import { SshPool } from "@/server/adapters/ssh/pool";
import { loadFleet, type Fleet } from "@/server/adapters/ssh/testing/test-fleet";
import { linkCut, linkRestore, measureWanOverhead, wanOff, wanOn, wanStatus } from "./wan";

// The panel's own SSH pool against the fleet with the WAN emulator between them (integration files run
// one at a time, so nothing else reaches the hosts while it is on). Turned off again whatever happens.
const DELAY_MS = 50;
let fleet: Fleet;
const pool = new SshPool({ readyTimeoutMs: 5000 });

beforeAll(async () => {
  fleet = await loadFleet();
  await wanOn({ delayMs: DELAY_MS, rateBytesPerSec: 0 });
}, 60_000);
afterAll(async () => {
  pool.closeAll();
  await wanOff();
}, 60_000);

const timedExec = async (argv: string[], timeoutMs = 10_000) => {
  const t0 = performance.now();
  const r = await execCommand(fleet.target("db"), argv, { pool, timeoutMs });
  return { ms: performance.now() - t0, stdout: r.stdout };
};

describe("the fleet's WAN", () => {
  it("adds the delay to every exchange with a host, and says what the emulator itself costs", async () => {
    expect(wanStatus()).toMatchObject({ on: true, delayMs: DELAY_MS });
    await timedExec(["true"]); // connect once: the pool keeps it
    const r = await timedExec(["echo", "over the wan"]);
    expect(r.stdout.trim()).toBe("over the wan");
    // An exec on a pooled connection is at least one round trip: open the channel, then its output back.
    expect(r.ms).toBeGreaterThanOrEqual(2 * DELAY_MS);
    const o = await measureWanOverhead("db", 5);
    console.log(`wan overhead: banner ${o.directMs.toFixed(2)} ms direct, ${o.throughMs.toFixed(2)} ms through (+${DELAY_MS} ms asked)`);
    expect(o.throughMs).toBeGreaterThanOrEqual(o.directMs + DELAY_MS - 1);
  });

  it("a cut link stalls the host's pooled connection; once restored the same pool reaches it again", async () => {
    await timedExec(["true"]);
    await linkCut("db"); // resolves once the emulator follows it
    await expect(timedExec(["echo", "during the cut"], 1500)).rejects.toThrow(/db/);
    await linkRestore("db");
    const after = await timedExec(["echo", "after the cut"], 15_000);
    expect(after.stdout.trim()).toBe("after the cut");
  }, 60_000);
});
