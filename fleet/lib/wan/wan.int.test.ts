import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execCommand } from "@/server/adapters/ssh/exec";
import { SshPool } from "@/server/adapters/ssh/pool";
import { loadFleet, type Fleet } from "@/server/adapters/ssh/testing/test-fleet";
import { linkCut, linkRestore, measureWanOverhead, wanOff, wanOn, wanStatus } from "./wan";

// The panel's own SSH pool against the fleet with the WAN emulator between them (integration files run
// one at a time, so nothing else reaches the hosts while it is on). Turned off again whatever happens.
const DELAY_MS = 50;
let fleet: Fleet;
// A stuck channel open fails after 2 s here (15 s by default), so the cut is noticed quickly.
const pool = new SshPool({ readyTimeoutMs: 5000, channelOpenTimeoutMs: 2000 });

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
    // The banner crosses the link once: no sample through the emulator can beat the delay (a timing
    // floor, not a race: comparing with the direct figures would be, on a busy machine).
    expect(o.throughMinMs).toBeGreaterThanOrEqual(DELAY_MS);
  });

  it("a cut link fails calls on the pooled connection quickly and says so; once restored the same pool reaches the host by itself", async () => {
    await timedExec(["true"]);
    await linkCut("db"); // resolves once the emulator follows it
    const t0 = performance.now();
    await expect(timedExec(["echo", "during the cut"], 10_000)).rejects.toMatchObject({
      code: "HOST_TIMEOUT",
      message: expect.stringContaining("did not answer for 2 s on an open SSH connection"),
    });
    expect(performance.now() - t0).toBeLessThan(8000);
    await linkRestore("db");
    // Calls as a sweep would make them: the pool reconnects on its own (after its connect backoff).
    const restored = performance.now();
    let after: { stdout: string } | null = null;
    while (!after && performance.now() - restored < 30_000) {
      after = await timedExec(["echo", "after the cut"]).catch(() => null);
      if (!after) await new Promise((r) => setTimeout(r, 250));
    }
    expect(after?.stdout.trim()).toBe("after the cut");
    console.log(`wan: db reachable again ${((performance.now() - restored) / 1000).toFixed(1)} s after the link came back`);
  }, 60_000);
});
