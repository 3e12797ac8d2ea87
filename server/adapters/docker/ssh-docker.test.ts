import { describe, expect, it } from "vitest";
import type { SshPool } from "@/server/adapters/ssh/pool";
import type { ChannelPurpose, SshTarget } from "@/server/adapters/ssh/types";
import { AppError } from "@/server/errors";
import { createSshDocker } from "./ssh-docker";

const target: SshTarget = {
  hostId: "h1",
  name: "app",
  address: "10.213.77.11",
  port: 22,
  username: "root",
  privateKey: "key-1",
  pinnedFingerprint: "SHA256:x",
  dockerSocket: "/run/docker.sock",
};

/** A pool that records the purpose of each Docker socket forward and refuses it (no network). */
function recordingPool() {
  const opened: { purpose: ChannelPurpose | undefined; action: string }[] = [];
  const pool = {
    forwardOutStreamLocal(_t: SshTarget, _socket: string, action: string, _map: unknown, options: { purpose?: ChannelPurpose } = {}) {
      opened.push({ purpose: options.purpose, action });
      return Promise.reject(new AppError("HOST_TIMEOUT", "no channel (test)"));
    },
    onConnectionClosed: () => () => undefined,
  };
  return { pool: pool as unknown as SshPool, opened };
}

describe("Docker over SSH: channel purposes", () => {
  it("opens log views on the log-stream channels and everything else on the operation channels", async () => {
    const { pool, opened } = recordingPool();
    const docker = createSshDocker(pool)(target);
    const request = { tail: 100, follow: true, stdout: true, stderr: true, timestamps: false } as const;
    const purposeOf = async (call: () => Promise<unknown>) => {
      opened.length = 0;
      await expect(call()).rejects.toMatchObject({ code: "HOST_TIMEOUT" });
      return opened.map((o) => o.purpose);
    };

    expect(await purposeOf(() => docker.openLogs("pxlfox-app", request))).toEqual(["stream"]);
    expect(await purposeOf(() => docker.openExec("pxlfox-db", { cmd: ["tail", "-F", "/x"], action: "tail" }))).toEqual(["stream"]);
    expect(await purposeOf(() => docker.exec("pxlfox-db", { cmd: ["true"], action: "locate", purpose: "stream" }))).toEqual(["stream"]);
    expect(opened[0]!.action).toBe("open a log stream through the Docker socket");

    expect(await purposeOf(() => docker.exec("pxlfox-db", { cmd: ["mysqldump"], action: "dump" }))).toEqual(["operation"]);
    expect(await purposeOf(() => docker.version())).toEqual(["operation"]);
    expect(await purposeOf(() => docker.readLogTail("pxlfox-app", 40))).toEqual(["operation"]);
    expect(await purposeOf(() => docker.stopContainer("pxlfox-app"))).toEqual(["operation"]);
    expect(opened[0]!.action).toBe("reach the Docker socket");
  });
});
