import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret } from "./crypto";

const key = randomBytes(32);

describe("secret encryption", () => {
  it("round-trips a private key and never contains the plaintext", () => {
    const plain = "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n";
    const sealed = encryptSecret(plain, "host.privateKey", key);
    expect(sealed).not.toContain("OPENSSH");
    expect(decryptSecret(sealed, "host.privateKey", key)).toBe(plain);
  });

  it("uses a fresh IV each time", () => {
    expect(encryptSecret("same", "", key)).not.toBe(encryptSecret("same", "", key));
  });

  it("refuses a tampered ciphertext", () => {
    const sealed = encryptSecret("secret", "", key);
    const parts = sealed.split(":");
    const ct = Buffer.from(parts[3]!, "base64");
    ct[0] = ct[0]! ^ 0xff;
    parts[3] = ct.toString("base64");
    expect(() => decryptSecret(parts.join(":"), "", key)).toThrow();
  });

  it("refuses a value sealed for another column or under another key", () => {
    const sealed = encryptSecret("secret", "stack.registryPassword", key);
    expect(() => decryptSecret(sealed, "host.privateKey", key)).toThrow();
    expect(() => decryptSecret(sealed, "stack.registryPassword", randomBytes(32))).toThrow();
  });
});
