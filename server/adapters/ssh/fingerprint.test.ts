import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ssh2 from "ssh2";
import { afterAll, describe, expect, it } from "vitest";
import { computeFingerprint, fingerprintFromPublicKeyLine, normalizeFingerprint, verifyHostKey } from "./fingerprint";
import type { SshTarget } from "./types";

const dir = mkdtempSync(path.join(tmpdir(), "pxf-fp-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;

function generate(type: "ed25519" | "rsa" | "ecdsa"): { pub: string; keygenFingerprint: string; privateKey: string } {
  counter += 1;
  const file = path.join(dir, `key_${type}_${counter}`);
  execFileSync("ssh-keygen", ["-q", "-t", type, "-N", "", "-C", `test-${type}`, "-f", file]);
  const out = execFileSync("ssh-keygen", ["-l", "-E", "sha256", "-f", `${file}.pub`], { encoding: "utf8" });
  const keygenFingerprint = out.split(/\s+/)[1] ?? "";
  return { pub: readFileSync(`${file}.pub`, "utf8"), keygenFingerprint, privateKey: readFileSync(file, "utf8") };
}

const target = (pinnedFingerprint: string | null): SshTarget => ({
  hostId: "h1",
  name: "app",
  address: "10.0.0.5",
  port: 22,
  username: "root",
  privateKey: "",
  pinnedFingerprint,
  dockerSocket: "/run/docker.sock",
});

describe("computeFingerprint", () => {
  it.each(["ed25519", "rsa", "ecdsa"] as const)("matches ssh-keygen -lf for a %s key", (type) => {
    const key = generate(type);
    expect(key.keygenFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(fingerprintFromPublicKeyLine(key.pub)).toBe(key.keygenFingerprint);
  });

  it("fingerprints the same blob ssh2 sees from the private key", () => {
    const key = generate("ed25519");
    const parsed = ssh2.utils.parseKey(key.privateKey);
    if (parsed instanceof Error || Array.isArray(parsed)) throw new Error("unexpected key parse result");
    expect(computeFingerprint(parsed.getPublicSSH())).toBe(key.keygenFingerprint);
  });

  it("has no base64 padding", () => {
    expect(computeFingerprint(Buffer.from("x"))).not.toMatch(/=$/);
  });
});

describe("normalizeFingerprint", () => {
  it("accepts pasted variants", () => {
    expect(normalizeFingerprint(" SHA256:abc= ")).toBe("SHA256:abc");
    expect(normalizeFingerprint("abc")).toBe("SHA256:abc");
  });
});

describe("verifyHostKey", () => {
  const blob = Buffer.from("presented-key-blob");
  const presented = computeFingerprint(blob);

  it("accepts the pinned key", () => {
    expect(verifyHostKey(target(presented), blob, "open SSH connection")).toEqual({ ok: true, fingerprint: presented });
  });

  it("refuses an unpinned host with HOST_KEY_UNPINNED and the presented fingerprint", () => {
    const verdict = verifyHostKey(target(null), blob, "open SSH connection");
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.error.code).toBe("HOST_KEY_UNPINNED");
    expect(verdict.error.data?.fingerprint).toBe(presented);
    expect(verdict.error.message).toContain("app (10.0.0.5:22)");
    expect(verdict.error.message).toMatch(/verify/i);
    expect(verdict.error.message).toMatch(/accept/i);
  });

  it("refuses a changed key with HOST_KEY_MISMATCH, expected and presented", () => {
    const verdict = verifyHostKey(target("SHA256:somethingElse"), blob, "open SSH connection");
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.error.code).toBe("HOST_KEY_MISMATCH");
    expect(verdict.error.data).toMatchObject({ expected: "SHA256:somethingElse", presented });
    expect(verdict.error.message).toMatch(/host key .*changed/i);
    expect(verdict.error.message).toMatch(/man-in-the-middle/);
    expect(verdict.error.message).toMatch(/re-pin only after verifying/);
  });
});
