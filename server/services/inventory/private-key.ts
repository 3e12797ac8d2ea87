import { constants as fsConstants } from "node:fs";
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
    text = await readKeyFile(input.privateKeyPath, field);
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

/** A private key file is small; 64 KiB is far above the largest (a 16384-bit RSA key is ~12 KiB). */
export const MAX_KEY_FILE_BYTES = 64 * 1024;

/**
 * Robustness: only a regular file of at most MAX_KEY_FILE_BYTES is read (opened non-blocking and
 * checked on the open descriptor), so a path like /dev/zero or a FIFO can neither fill the panel's
 * memory nor hang it.
 */
async function readKeyFile(path: string, field: string): Promise<string> {
  const refuse = (why: string) => new AppError("BAD_REQUEST", `Cannot use ${path} on the panel's machine: ${why}`, { data: { field } });
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (err) {
    throw refuse(`it cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw refuse("it is not a regular file");
    if (stat.size > MAX_KEY_FILE_BYTES) throw refuse(`it is ${stat.size} bytes, more than a private key (at most ${MAX_KEY_FILE_BYTES})`);
    return await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
}

/** SHA256 fingerprint of the key's public half, as `ssh-keygen -lf` prints it. */
export function publicKeyFingerprint(privateKeyText: string): string | null {
  const parsed = utils.parseKey(privateKeyText);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key instanceof Error) return null;
  const digest = createHash("sha256").update(key.getPublicSSH()).digest("base64").replace(/=+$/, "");
  return `SHA256:${digest}`;
}
