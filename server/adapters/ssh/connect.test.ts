import { describe, expect, it } from "vitest";
import { openSshConnection } from "./connect";

describe("openSshConnection", () => {
  it("rejects unusable private key text with BAD_REQUEST before connecting", async () => {
    const target = {
      hostId: "h1",
      name: "app",
      address: "127.0.0.1",
      port: 1,
      username: "root",
      privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nnot a key\n-----END OPENSSH PRIVATE KEY-----",
      pinnedFingerprint: "SHA256:x",
      dockerSocket: "/run/docker.sock",
    };
    const error = await openSshConnection(target, { readyTimeoutMs: 1000, keepaliveIntervalMs: 10_000, keepaliveCountMax: 3 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "BAD_REQUEST", host: "app" });
    expect((error as Error).message).toMatch(/app \(127\.0\.0\.1:1\).*private key/);
    expect((error as Error).message).not.toContain("not a key");
  });
});
