import { describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { mapSshError } from "./map-ssh-error";

const target = { name: "app", address: "10.213.77.11", port: 22, username: "deploy" };
const ctx = { target, action: "open SSH connection", timeoutMs: 3000 };

function errWith(message: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(message), extra);
}

describe("mapSshError", () => {
  it.each([
    [
      "ECONNREFUSED",
      errWith("connect ECONNREFUSED 10.213.77.11:22", { code: "ECONNREFUSED" }),
      "HOST_UNREACHABLE",
      /connection refused on 10\.213\.77\.11:22 — is sshd running \/ is the port right\?/,
    ],
    ["EHOSTUNREACH", errWith("connect EHOSTUNREACH", { code: "EHOSTUNREACH" }), "HOST_UNREACHABLE", /no route to 10\.213\.77\.11/],
    ["ENETUNREACH", errWith("connect ENETUNREACH", { code: "ENETUNREACH" }), "HOST_UNREACHABLE", /no route/],
    ["ENOTFOUND", errWith("getaddrinfo ENOTFOUND", { code: "ENOTFOUND" }), "HOST_UNREACHABLE", /does not resolve/],
    ["ETIMEDOUT", errWith("connect ETIMEDOUT", { code: "ETIMEDOUT" }), "HOST_TIMEOUT", /no SSH handshake .* within 3 s/],
    ["handshake timeout", errWith("Timed out while waiting for handshake", { level: "client-timeout" }), "HOST_TIMEOUT", /firewall/],
    ["keepalive timeout", errWith("Keepalive timeout", { level: "client-timeout" }), "HOST_TIMEOUT", /keepalives/],
    [
      "auth failed",
      errWith("All configured authentication methods failed", { level: "client-authentication" }),
      "HOST_AUTH_FAILED",
      /user deploy was refused: the private key is not authorized on the host/,
    ],
    ["bad key", errWith("Cannot parse privateKey: Unsupported key format"), "BAD_REQUEST", /private key/],
    ["reset", errWith("read ECONNRESET", { code: "ECONNRESET" }), "HOST_UNREACHABLE", /closed the connection/],
    ["lost", errWith("Connection lost before handshake"), "HOST_UNREACHABLE", /closed the connection/],
    ["dropped", errWith("No response from server"), "HOST_UNREACHABLE", /dropped/],
    ["unknown", errWith("something odd"), "INTERNAL", /unexpected SSH error/],
  ] as const)("%s → %s", (_label, err, code, pattern) => {
    const mapped = mapSshError(err, ctx);
    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped.code).toBe(code);
    expect(mapped.message).toMatch(pattern);
    // Every message names the host (inventory name and address:port) and the action.
    expect(mapped.message).toContain("app (10.213.77.11:22)");
    expect(mapped.message).toContain("open SSH connection");
    expect(mapped.host).toBe("app");
    expect(mapped.action).toBe("open SSH connection");
    expect(mapped.cause).toBe(err);
  });

  it("passes AppErrors through untouched", () => {
    const original = new AppError("HOST_KEY_MISMATCH", "changed");
    expect(mapSshError(original, ctx)).toBe(original);
  });

  it("never echoes key material from a parse error", () => {
    const mapped = mapSshError(
      errWith("Cannot parse privateKey: -----BEGIN OPENSSH PRIVATE KEY-----\nAAAAsecret\n-----END OPENSSH PRIVATE KEY-----"),
      ctx,
    );
    expect(mapped.message).not.toContain("AAAAsecret");
  });
});
