import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getEnv } from "./env";

const VERSION = "v1";
const KEY_FILE = "master.key";

let masterKey: Buffer | undefined;

/**
 * The master key encrypts every secret column. Security: it comes from PANEL_SECRET (stretched with
 * HKDF) or from a random 32-byte key file created once under the data dir with mode 0600.
 */
export function getMasterKey(): Buffer {
  if (masterKey) return masterKey;
  const env = getEnv();
  if (env.panelSecret) {
    masterKey = Buffer.from(hkdfSync("sha256", env.panelSecret, "pixelfox-ops", "master-key", 32));
    return masterKey;
  }
  masterKey = loadOrCreateKeyFile(path.join(env.dataDir, KEY_FILE));
  return masterKey;
}

function loadOrCreateKeyFile(file: string): Buffer {
  if (fs.existsSync(file)) {
    const key = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
    if (key.length !== 32) throw new Error(`Master key file ${file} is not a base64 32-byte key`);
    return key;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  // "wx" fails if another process created it first; then we read theirs.
  try {
    fs.writeFileSync(file, key.toString("base64") + "\n", { mode: 0o600, flag: "wx" });
    return key;
  } catch {
    return loadOrCreateKeyFile(file);
  }
}

/** Encrypts with AES-256-GCM: `v1:<iv>:<tag>:<ciphertext>` (base64 parts). `aad` binds it to its column. */
export function encryptSecret(plain: string, aad = "", key = getMasterKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64"), tag.toString("base64"), ct.toString("base64")].join(":");
}

/** Decrypts a value made by encryptSecret; a tampered value or wrong key throws. */
export function decryptSecret(sealed: string, aad = "", key = getMasterKey()): string {
  const [version, iv, tag, ct] = sealed.split(":");
  if (version !== VERSION || !iv || !tag || ct === undefined) {
    throw new Error("Encrypted value has an unknown format");
  }
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64")), decipher.final()]).toString("utf8");
}

/** sha256 hex, for API tokens (high-entropy, so no slow hash needed). */
export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** Derives a purpose-bound secret from the master key (e.g. the session-signing secret). */
export function deriveSecret(purpose: string): string {
  return Buffer.from(hkdfSync("sha256", getMasterKey(), "pixelfox-ops", purpose, 32)).toString("base64url");
}

let backupKey: Buffer | undefined;

/**
 * The key backup files are encrypted with at rest. Security: derived from the master key for this
 * purpose only (the master key itself never encrypts a file); each file further derives its own key
 * from a random salt (server/adapters/storage/backup-cipher.ts).
 */
export function getBackupKey(): Buffer {
  backupKey ??= Buffer.from(hkdfSync("sha256", getMasterKey(), "pixelfox-ops", "backup-encryption-v1", 32));
  return backupKey;
}
