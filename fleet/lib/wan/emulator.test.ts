import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "./emulator";

// The emulator between a client and an echo server, both on loopback: what a host's sshd would see.
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function echoServer(): Promise<number> {
  const server = net.createServer((s) => s.pipe(s));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return (server.address() as net.AddressInfo).port;
}

async function emulate(opts: { delayMs: number; rateBytesPerSec?: number }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pxf-wan-"));
  const stateFile = path.join(dir, "state.json");
  const port = await echoServer();
  const emu: RunningEmulator = await startEmulator({
    delayMs: opts.delayMs,
    rateBytesPerSec: opts.rateBytesPerSec ?? 0,
    bindAddress: "127.0.0.1",
    stateFile,
    routes: [{ host: "h1", address: "127.0.0.1", port, listenPort: 0 }],
  });
  cleanups.push(() => emu.close());
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  /** Writes the state file, then waits until the emulator has read it (it polls): no race with its timer. */
  const setCut = async (cut: Record<string, number>) => {
    fs.writeFileSync(stateFile, JSON.stringify({ cut, seq: Date.now() }));
    const want = Object.keys(cut).length > 0;
    const runsOut = Object.values(cut).find((u) => u > 0);
    while (emu.isCut("h1") !== want && !(runsOut && Date.now() >= runsOut)) await new Promise((r) => setTimeout(r, 20));
  };
  return { emu, port: emu.ports()[0]!, setCut };
}

/** Connects, sends `payload`, resolves with the echo once all of it came back, and the time that took. */
async function roundTrip(port: number, payload: Buffer): Promise<{ ms: number; echoed: Buffer }> {
  const socket = net.connect(port, "127.0.0.1");
  cleanups.push(() => void socket.destroy());
  await new Promise<void>((r) => socket.once("connect", () => r()));
  const t0 = performance.now();
  socket.write(payload);
  const parts: Buffer[] = [];
  let got = 0;
  await new Promise<void>((resolve) =>
    socket.on("data", (d: Buffer) => {
      parts.push(d);
      got += d.length;
      if (got >= payload.length) resolve();
    }),
  );
  return { ms: performance.now() - t0, echoed: Buffer.concat(parts) };
}

describe("the WAN link emulator", () => {
  it("adds the delay each way: a round trip takes at least twice the one-way delay", async () => {
    const { port } = await emulate({ delayMs: 60 });
    const r = await roundTrip(port, Buffer.from("ping"));
    expect(r.echoed.toString()).toBe("ping");
    expect(r.ms).toBeGreaterThanOrEqual(118);
  });

  it("limits the bandwidth, and delivers every byte in order", async () => {
    const { port } = await emulate({ delayMs: 0, rateBytesPerSec: 1_000_000 });
    const payload = Buffer.alloc(300_000);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) % 251;
    const r = await roundTrip(port, payload);
    expect(r.echoed.equals(payload)).toBe(true);
    // 300 KB each way at 1 MB/s: at least 0.3 s (both directions overlap).
    expect(r.ms).toBeGreaterThanOrEqual(290);
  });

  it("a cut link stalls (nothing crosses, nothing is lost) until it is restored; a timed cut ends by itself", async () => {
    const { port, setCut } = await emulate({ delayMs: 0 });
    await setCut({ h1: 0 });
    const pending = roundTrip(port, Buffer.from("held"));
    const early = await Promise.race([pending.then(() => "echoed"), new Promise((r) => setTimeout(() => r("stalled"), 400))]);
    expect(early).toBe("stalled");
    await setCut({});
    expect((await pending).echoed.toString()).toBe("held");

    const until = Date.now() + 400;
    await setCut({ h1: until });
    const timed = await roundTrip(port, Buffer.from("later"));
    expect(timed.echoed.toString()).toBe("later");
    // Held until the cut ran out (the poll restores it), not before.
    expect(Date.now()).toBeGreaterThanOrEqual(until);
  });
});
