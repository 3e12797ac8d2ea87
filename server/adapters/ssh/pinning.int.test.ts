import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDockerode } from "@/server/adapters/docker/docker-client";
import { openTunnel } from "@/server/adapters/tunnel/tunnel";
import { fetchHostKeyFingerprint } from "./connect";
import { execCommand } from "./exec";
import { SshPool } from "./pool";
import { ensureOriginalHostKey, loadFleet, rekeyHost, restoreHostKey, type Fleet } from "@/server/adapters/ssh/testing/test-fleet";

let fleet: Fleet;
const pools: SshPool[] = [];
const freshPool = () => {
  const pool = new SshPool({ readyTimeoutMs: 10_000 });
  pools.push(pool);
  return pool;
};
const marker = () => `/tmp/pxf-pin-marker-${randomBytes(6).toString("hex")}`;

beforeAll(async () => {
  fleet = await loadFleet();
  await ensureOriginalHostKey("app");
});
afterAll(() => {
  for (const pool of pools) pool.closeAll();
});

describe("host-key pinning against the fleet", () => {
  it("accepts the pinned fingerprint and runs the command", async () => {
    const file = marker();
    try {
      await execCommand(fleet.target("app"), ["touch", file], { pool: freshPool() });
      // Positive control: the filesystem is shared with the fleet namespaces, so a command that ran is visible here.
      expect(existsSync(file)).toBe(true);
    } finally {
      rmSync(file, { force: true });
    }
  });

  it("shows the presented fingerprint for a new host and refuses it until pinned", async () => {
    const presented = await fetchHostKeyFingerprint(fleet.target("app"));
    expect(presented).toBe(fleet.host("app").originalHostKeyFingerprint);

    const file = marker();
    const error = await execCommand(fleet.target("app", { pinnedFingerprint: null }), ["touch", file], { pool: freshPool() }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "HOST_KEY_UNPINNED", host: "app", data: { fingerprint: presented } });
    expect((error as Error).message).toContain("app (10.213.77.11:22)");
    expect(existsSync(file)).toBe(false);
  });

  it("refuses a changed host key before anything is sent (exec, Docker, tunnel)", async () => {
    const pinned = fleet.target("app");
    const file = marker();
    try {
      const newFingerprint = await rekeyHost("app");
      expect(newFingerprint).not.toBe(pinned.pinnedFingerprint);
      expect(await fetchHostKeyFingerprint(pinned)).toBe(newFingerprint);

      const pool = freshPool();
      const error = await execCommand(pinned, ["touch", file], { pool }).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: "HOST_KEY_MISMATCH",
        host: "app",
        data: { expected: pinned.pinnedFingerprint, presented: newFingerprint },
      });
      expect((error as Error).message).toMatch(/host key of app \(10\.213\.77\.11:22\) changed/);
      expect((error as Error).message).toMatch(/man-in-the-middle/);
      expect((error as Error).message).toMatch(/re-pin only after verifying/);
      expect(existsSync(file)).toBe(false);

      // Docker and tunnels go through the same refusal (force past the remembered failure).
      pool.reset(pinned.hostId);
      await expect(getDockerode(pinned, pool).listContainers({ all: true })).rejects.toMatchObject({ code: "HOST_KEY_MISMATCH" });
      pool.reset(pinned.hostId);
      await expect(openTunnel(pinned, 4000, { pool })).rejects.toMatchObject({ code: "HOST_KEY_MISMATCH" });
      expect(pool.stats(pinned.hostId).connectionsOpened).toBe(0);
      expect(existsSync(file)).toBe(false);
    } finally {
      await restoreHostKey("app");
      rmSync(file, { force: true });
    }
    // Back to the original key: the pinned target works again.
    const ok = await execCommand(pinned, ["true"], { pool: freshPool() });
    expect(ok.exitCode).toBe(0);
  });
});
