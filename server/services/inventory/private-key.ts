import fs from "node:fs/promises";
import { createHash } from "node:crypto";
import ssh2 from "ssh2";

const { utils } = ssh2;
import { AppError } from "@/server/errors";

/**
 * Reads the key from the pasted text or from a path on the panel's machine, and checks that it is an
 * unencrypted private key ssh2 can use. Errors name the form field so the form can show them.
 */
export async function resolvePrivateKey(input: { privateKey?: string; privateKeyPath?: string }): Promise<string> {
  let text = input.privateKey;
  const field = input.privateKeyPath ? "privateKeyPath" : "privateKey";
  if (!text && input.privateKeyPath) {
    try {
      text = await fs.readFile(input.privateKeyPath, "utf8");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "error";
      throw new AppError("BAD_REQUEST", `Cannot read ${input.privateKeyPath} on the panel's machine (${code})`, {
        data: { field },
      });
    }
  }
  if (!text) throw new AppError("BAD_REQUEST", "Paste a private key or give the path of one", { data: { field: "privateKey" } });
  const parsed = utils.parseKey(text.trim() + "\n");
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key instanceof Error) {
    const reason =
      key instanceof Error && /passphrase|encrypted/i.test(key.message)
        ? "Passphrase-protected keys are not supported: use a key without passphrase for the panel"
        : "This is not a private key in OpenSSH or PEM format";
    throw new AppError("BAD_REQUEST", reason, { data: { field } });
  }
  if (!key.isPrivateKey()) {
    throw new AppError("BAD_REQUEST", "This is a public key: the panel needs the private key", { data: { field } });
  }
  return text.trim() + "\n";
}

/** SHA256 fingerprint of the key's public half, as `ssh-keygen -lf` prints it. */
export function publicKeyFingerprint(privateKeyText: string): string | null {
  const parsed = utils.parseKey(privateKeyText);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key instanceof Error) return null;
  const digest = createHash("sha256").update(key.getPublicSSH()).digest("base64").replace(/=+$/, "");
  return `SHA256:${digest}`;
}
