import { describe, expect, it } from "vitest";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { mapDockerSocketOpenError } from "./agent";
import { mapDockerError } from "./map-docker-error";

const target: SshTarget = {
  hostId: "h1",
  name: "db",
  address: "10.213.77.12",
  port: 22,
  username: "root",
  privateKey: "",
  pinnedFingerprint: "SHA256:x",
  dockerSocket: "/run/nope.sock",
};
const httpError = (statusCode: number, message: string) =>
  Object.assign(new Error(`(HTTP code ${statusCode}) ${message}`), { statusCode, json: { message } });

describe("mapDockerError", () => {
  it.each([
    [404, "NOT_FOUND", /^Container pxlfox-db not found on db \(10\.213\.77\.12:22\)/],
    [409, "CONFLICT", /conflict: name in use/],
    [400, "BAD_REQUEST", /rejected the request/],
    [500, "REMOTE_FAILED", /answered HTTP 500: name in use/],
  ] as const)("HTTP %i → %s", (status, code, pattern) => {
    const mapped = mapDockerError(httpError(status, "name in use"), {
      target,
      action: "start container pxlfox-db",
      subject: "container pxlfox-db",
    });
    expect(mapped.code).toBe(code);
    expect(mapped.message).toMatch(pattern);
    expect(mapped.message).toContain("db (10.213.77.12:22)");
    expect(mapped.host).toBe("db");
  });

  it("redacts secrets in Engine messages", () => {
    const mapped = mapDockerError(httpError(500, "bad env MYSQL_PASSWORD=hunter2xyz"), { target, action: "create container" });
    expect(mapped.message).not.toContain("hunter2xyz");
  });

  it("hands transport errors to the SSH mapper", () => {
    const mapped = mapDockerError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), {
      target,
      action: "list containers",
    });
    expect(mapped.code).toBe("HOST_UNREACHABLE");
  });
});

describe("mapDockerSocketOpenError", () => {
  it("reads 'connect failed' on the stream-local forward as a missing socket", () => {
    const mapped = mapDockerSocketOpenError(Object.assign(new Error("(SSH) Channel open failure: open failed"), { reason: 2 }), target);
    expect(mapped?.code).toBe("DOCKER_SOCKET_MISSING");
    expect(mapped?.message).toBe(
      "No Docker socket at /run/nope.sock on db (10.213.77.12:22): is Docker installed and running, and is the socket path right?",
    );
  });

  it("reads 'administratively prohibited' as forwarding disabled in sshd", () => {
    const mapped = mapDockerSocketOpenError(
      Object.assign(new Error("(SSH) Channel open failure: administratively prohibited"), { reason: 1 }),
      target,
    );
    expect(mapped?.code).toBe("REMOTE_FAILED");
    expect(mapped?.message).toMatch(/AllowStreamLocalForwarding/);
  });

  it("leaves other errors to the generic mapper", () => {
    expect(mapDockerSocketOpenError(new Error("No response from server"), target)).toBeUndefined();
  });
});
