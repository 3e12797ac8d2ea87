/**
 * `panel backup decrypt --in FILE --out FILE|-`: disaster recovery for an encrypted backup file (one
 * copied off the store or fetched from off-site storage) without a running panel. The key comes from
 * PANEL_SECRET or $PANEL_DATA_DIR/master.key, as for the panel itself. Prints the plaintext's sha256,
 * to compare with the one the panel recorded.
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { Transform, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createDecryptStream } from "@/server/adapters/storage/backup-cipher";
import { getBackupKey } from "@/server/crypto";
import { getEnv } from "@/server/env";

export async function decryptBackupFile(inPath: string, outPath: string): Promise<{ sha256: string; bytes: number }> {
  const env = getEnv();
  // Without this check getMasterKey() would create a fresh random key, which can decrypt nothing.
  if (!env.panelSecret && !existsSync(path.join(env.dataDir, "master.key"))) {
    throw new Error(
      `no master key: set PANEL_SECRET, or PANEL_DATA_DIR to the directory holding the panel's master.key (looked in ${env.dataDir})`,
    );
  }
  if (!existsSync(inPath)) throw new Error(`--in: ${inPath} does not exist`);
  const toStdout = outPath === "-";
  const hash = createHash("sha256");
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  // "wx": never overwrite an existing file.
  const out: Writable = toStdout ? process.stdout : createWriteStream(outPath, { flags: "wx", mode: 0o600 });
  try {
    await pipeline(createReadStream(inPath), createDecryptStream(getBackupKey()), meter, out);
  } catch (err) {
    if (!toStdout && (err as NodeJS.ErrnoException).code !== "EEXIST") await rm(outPath, { force: true });
    if ((err as NodeJS.ErrnoException).code === "EEXIST") throw new Error(`--out: ${outPath} already exists; choose a new file name`);
    throw err;
  }
  return { sha256: hash.digest("hex"), bytes };
}
