import { describe, expect, it } from "vitest";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { mapForwardOpenError, openTunnel } from "./tunnel";

const target: SshTarget = {
  hostId: "h1",
  name: "cache",
  address: "10.213.77.13",
  port: 22,
  username: "root",
  privateKey: "",
  pinnedFingerprint: "SHA256:x",
  dockerSocket: "/run/docker.sock",
};

describe("mapForwardOpenError", () => {
  it("says nothing listens on the remote port when the forward's connect fails", () => {
    const mapped = mapForwardOpenError(
      Object.assign(new Error("(SSH) Channel open failure: Connection refused"), { reason: 2 }),
      target,
      "127.0.0.1",
      6379,
    );
    expect(mapped?.code).toBe("HOST_UNREACHABLE");
    expect(mapped?.message).toMatch(/127\.0\.0\.1:6379 on cache \(10\.213\.77\.13:22\)/);
  });

  it("points at AllowTcpForwarding when sshd prohibits it", () => {
    const mapped = mapForwardOpenError(
      Object.assign(new Error("(SSH) Channel open failure: administratively prohibited"), { reason: 1 }),
      target,
      "127.0.0.1",
      6379,
    );
    expect(mapped?.message).toMatch(/AllowTcpForwarding/);
  });
});

describe("openTunnel", () => {
  it("rejects invalid ports before touching the network", async () => {
    await expect(openTunnel(target, 0)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(openTunnel(target, "127.0.0.1", 70000)).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
