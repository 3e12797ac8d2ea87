import { createHash, randomBytes } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execCommand } from "./exec";
import { streamCommand } from "./exec-stream";
import { SshPool } from "./pool";
import { loadFleet, type Fleet } from "@/server/adapters/ssh/testing/test-fleet";
import type { SshTarget } from "./types";

let fleet: Fleet;
let target: SshTarget;
const pool = new SshPool();

beforeAll(async () => {
  fleet = await loadFleet();
  target = fleet.target("app", { hostId: "stream-test-app" });
});
afterAll(() => pool.closeAll());

/** A sink that hashes what it gets; optionally fails once it has seen `failAfter` bytes. */
function hashingSink(failAfter = Infinity) {
  const hash = createHash("sha256");
  let size = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > failAfter) return done(Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" }));
      hash.update(chunk);
      done();
    },
  });
  return { sink, digest: () => hash.digest("hex"), size: () => size };
}

async function isRunning(marker: string): Promise<boolean> {
  // "[p]xf-…" matches the marker but not this pgrep's own command line (nor its `timeout` wrapper).
  const res = await execCommand(target, ["pgrep", "-f", `[${marker[0]}]${marker.slice(1)}`], { pool, throwOnNonZero: false });
  return res.exitCode === 0;
}

describe("streamCommand over the pooled SSH connection", () => {
  it("streams 32 MB of stdout into a sink and reports exit 0", async () => {
    const { sink, digest, size } = hashingSink();
    const result = await streamCommand(target, ["head", "-c", "33554432", "/dev/zero"], { stdout: sink, action: "stream zeros", pool });
    expect(result).toMatchObject({ exitCode: 0, connectionLost: false, timedOut: false });
    expect(size()).toBe(33_554_432);
    expect(digest()).toBe(createHash("sha256").update(Buffer.alloc(33_554_432)).digest("hex"));
  });

  it("passes arguments literally and reports a non-zero exit with stderr's tail", async () => {
    const out: Buffer[] = [];
    const sink = new Writable({
      write(c: Buffer, _e, done) {
        out.push(c);
        done();
      },
    });
    const ok = await streamCommand(target, ["printf", "%s", "$(id); rm -rf /tmp/x"], { stdout: sink, action: "print", pool });
    expect(Buffer.concat(out).toString()).toBe("$(id); rm -rf /tmp/x");
    expect(ok.exitCode).toBe(0);
    const failed = await streamCommand(target, ["tar", "-czf", "-", "-C", "/nonexistent-dir", "uploads"], {
      stdout: hashingSink().sink,
      action: "archive",
      pool,
    });
    expect(failed.exitCode).toBe(2);
    expect(failed.stderrTail).toMatch(/nonexistent-dir/);
  });

  it("feeds a stream to the command's stdin with backpressure, then EOF", async () => {
    const input = randomBytes(16 * 1024 * 1024);
    const out: Buffer[] = [];
    const sink = new Writable({
      write(c: Buffer, _e, done) {
        out.push(c);
        done();
      },
    });
    const result = await streamCommand(target, ["sha256sum"], {
      stdin: Readable.from([input.subarray(0, 8 << 20), input.subarray(8 << 20)]),
      stdout: sink,
      action: "hash stdin",
      pool,
    });
    expect(result.exitCode).toBe(0);
    expect(Buffer.concat(out).toString().split(" ")[0]).toBe(createHash("sha256").update(input).digest("hex"));
  });

  it("an input that fails to read stops the remote command and rejects with the input's error", async () => {
    const marker = `pxf-stdin-${randomBytes(6).toString("hex")}`;
    const input = new Readable({ read() {} });
    input.push(Buffer.alloc(1024));
    const run = streamCommand(target, ["sh", "-c", "exec cat > /dev/null", marker], {
      stdin: input,
      stdout: hashingSink().sink,
      action: "read stdin",
      pool,
    });
    await expect.poll(() => isRunning(marker), { timeout: 10_000 }).toBe(true);
    input.destroy(Object.assign(new Error("unsupported state or unable to authenticate data"), { code: "ERR_CRYPTO" }));
    await expect(run).rejects.toMatchObject({ code: "ERR_CRYPTO" });
    await expect.poll(() => isRunning(marker), { timeout: 10_000 }).toBe(false);
  });

  it("rejects with the sink's error when a write fails, and the remote command stops", async () => {
    const marker = `pxf-stream-${randomBytes(6).toString("hex")}`;
    const { sink } = hashingSink(1_000_000);
    const run = streamCommand(target, ["sh", "-c", "exec cat /dev/zero", marker], { stdout: sink, action: "stream forever", pool });
    await expect(run).rejects.toMatchObject({ code: "ENOSPC" });
    await expect.poll(() => isRunning(marker), { timeout: 10_000 }).toBe(false);
  });

  it("says when the connection went away mid-stream, and the remote command stops", async () => {
    const marker = `pxf-stream-${randomBytes(6).toString("hex")}`;
    const { sink, size } = hashingSink();
    const run = streamCommand(target, ["sh", "-c", "exec cat /dev/zero", marker], { stdout: sink, action: "stream forever", pool });
    await expect.poll(size, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await isRunning(marker)).toBe(true);
    pool.closeHost(target.hostId);
    const result = await run;
    expect(result.connectionLost).toBe(true);
    expect(result.exitCode).toBeNull();
    await expect.poll(() => isRunning(marker), { timeout: 10_000 }).toBe(false);
  });
});
