import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execCommand } from "./exec";
import { SshPool } from "./pool";
import { loadFleet, type Fleet } from "@/server/adapters/ssh/testing/test-fleet";

// Only ever 127.0.0.0/8 or the fleet's 10.213.77.0/24 here.
const NOBODY_THERE = "10.213.77.250";
const CONNECT_TIMEOUT_MS = 3000;

let fleet: Fleet;
const pool = new SshPool({ readyTimeoutMs: CONNECT_TIMEOUT_MS });
const dir = mkdtempSync(path.join(tmpdir(), "pxf-int-"));

beforeAll(async () => {
  fleet = await loadFleet();
});
afterAll(() => {
  pool.closeAll();
  rmSync(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string; host?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as Error & { code?: string; host?: string };
  }
  throw new Error("expected the call to fail");
}

describe("SSH failures are mapped and name the host", () => {
  it("an address with nothing behind it fails within the connect timeout", async () => {
    const target = fleet.target("app", { hostId: "nobody", name: "ghost", address: NOBODY_THERE });
    const started = Date.now();
    const error = await failure(execCommand(target, ["true"], { pool }));
    const elapsed = Date.now() - started;
    expect(["HOST_TIMEOUT", "HOST_UNREACHABLE"]).toContain(error.code);
    expect(elapsed).toBeLessThan(5000);
    expect(error.message).toContain(`ghost (${NOBODY_THERE}:22)`);
  });

  it.each([
    ["127.0.0.1", 1],
    ["10.213.77.11", 2222],
  ])("a port with nothing listening (%s:%i) is HOST_UNREACHABLE, refused", async (address, port) => {
    const target = fleet.target("app", { hostId: `closed-${port}`, name: "closed", address, port });
    const error = await failure(execCommand(target, ["true"], { pool }));
    expect(error.code).toBe("HOST_UNREACHABLE");
    expect(error.message).toContain(`closed (${address}:${port})`);
    expect(error.message).toContain(`connection refused on ${address}:${port} — is sshd running / is the port right?`);
  });

  it("a key the host does not know is HOST_AUTH_FAILED", async () => {
    const keyFile = path.join(dir, "stranger_ed25519");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "stranger", "-f", keyFile]);
    const target = fleet.target("app", { hostId: "stranger", privateKey: readFileSync(keyFile, "utf8") });
    const error = await failure(execCommand(target, ["true"], { pool }));
    expect(error.code).toBe("HOST_AUTH_FAILED");
    expect(error.message).toContain("app (10.213.77.11:22)");
    expect(error.message).toContain("user root was refused: the private key is not authorized on the host");
  });

  it("a failed host is not hammered: the next call answers from memory, an explicit reset retries", async () => {
    const target = fleet.target("app", { hostId: "closed-backoff", name: "closed", address: "127.0.0.1", port: 1 });
    await failure(execCommand(target, ["true"], { pool }));
    const second = await failure(execCommand(target, ["true"], { pool }));
    expect(second.message).toMatch(/retries automatically/);
    expect(pool.stats(target.hostId).connectAttempts).toBe(1);
    pool.reset(target.hostId);
    await failure(execCommand(target, ["true"], { pool }));
    expect(pool.stats(target.hostId).connectAttempts).toBe(2);
  });

  it("a timed-out command is stopped on the host", async () => {
    const app = fleet.target("app");
    // A unique duration makes the process recognisable in `ps`.
    const token = `sleep 30.${String(Date.now()).slice(-6)}`;
    const error = await failure(execCommand(app, token.split(" "), { pool, timeoutMs: 1000 }));
    expect(error.code).toBe("HOST_TIMEOUT");
    expect(error.message).toContain("app (10.213.77.11:22)");
    await new Promise((r) => setTimeout(r, 3500));
    const ps = await execCommand(app, ["ps", "-eo", "args"], { pool });
    expect(ps.stdout).not.toContain(token);
    expect(pool.stats(app.hostId).channelsOpen).toBe(0);
  });
});
