import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(path.join(os.tmpdir(), "pxf-store-test-"));
let store: typeof import("./backup-store");

beforeAll(async () => {
  process.env.PANEL_BACKUP_DIR = dir;
  process.env.PANEL_DATA_DIR = dir;
  process.env.PANEL_SECRET = "store-test-secret-0123456789abcdef-0123";
  store = await import("./backup-store");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** A dump-like gzip of a few hundred kB (several encryption chunks). */
function fakeDump(): Buffer {
  const rows = Array.from(
    { length: 20_000 },
    (_, i) => `INSERT INTO \`storage_pools\` VALUES (${i},'${randomBytes(8).toString("hex")}');`,
  ).join("\n");
  return gzipSync(`CREATE TABLE \`storage_pools\` (id int);\n${rows}\n-- Dump completed on 2026-01-01\n`);
}

async function writeStored(fileName: string, gz: Buffer, encrypted: boolean) {
  const out = encrypted ? await store.createBackupWriteStream(fileName, { encrypted }) : await store.createBackupWriteStream(fileName);
  await pipeline(Readable.from([gz.subarray(0, 1000), gz.subarray(1000)]), out);
}

describe("backup store, encrypted at rest", () => {
  it("stores ciphertext, and serves the plaintext .gz whole, by Range, hashed and gunzipped", async () => {
    const gz = fakeDump();
    await writeStored("encstore0001.sql.gz", gz, true);
    const raw = readFileSync(path.join(dir, "encstore0001.sql.gz"));
    expect(raw.subarray(0, 8).toString()).toBe("PXFENC1\n");
    expect(raw.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]))).toBe(false);
    expect(raw.includes(gz.subarray(5000, 5032))).toBe(false);
    expect(Buffer.compare(await collect(store.openBackupReadStream("encstore0001.sql.gz")), raw)).toBe(0);

    const opts = { encrypted: true };
    expect(await store.statBackupPlainSize("encstore0001.sql.gz", opts)).toBe(gz.length);
    expect(Buffer.compare(await collect(await store.openBackupPlainStream("encstore0001.sql.gz", opts)), gz)).toBe(0);
    const range = { start: 70_000, end: 140_001 };
    expect(
      Buffer.compare(
        await collect(await store.openBackupPlainStream("encstore0001.sql.gz", { ...opts, range })),
        gz.subarray(70_000, 140_002),
      ),
    ).toBe(0);
    expect(await store.hashBackupFile("encstore0001.sql.gz", opts)).toBe(createHash("sha256").update(gz).digest("hex"));
    const { tail } = await store.readGzipTail("encstore0001.sql.gz", opts);
    expect(tail).toContain("-- Dump completed");
  });

  it("a flipped byte fails verification and hashing with the chunk named", async () => {
    await writeStored("encstore0002.sql.gz", fakeDump(), true);
    const file = path.join(dir, "encstore0002.sql.gz");
    const raw = readFileSync(file);
    raw[24 + 65_552 + 10]! ^= 0xff;
    writeFileSync(file, raw);
    const opts = { encrypted: true };
    await expect(store.readGzipTail("encstore0002.sql.gz", opts)).rejects.toThrow(
      "The backup file was modified or is corrupt: authentication failed at chunk 1.",
    );
    await expect(store.hashBackupFile("encstore0002.sql.gz", opts)).rejects.toThrow("authentication failed at chunk 1");
  });

  it("encrypts under a key derived for backups, never the master key itself", async () => {
    const { getBackupKey, getMasterKey } = await import("@/server/crypto");
    expect(getBackupKey()).toHaveLength(32);
    expect(getBackupKey().equals(getMasterKey())).toBe(false);
    expect(getBackupKey().equals(getBackupKey())).toBe(true);
  });

  it("plain files keep working with the old call shapes", async () => {
    const gz = fakeDump();
    await writeStored("plainstore01.sql.gz", gz, false);
    expect(Buffer.compare(readFileSync(path.join(dir, "plainstore01.sql.gz")), gz)).toBe(0);
    expect((await store.readGzipTail("plainstore01.sql.gz")).tail).toContain("-- Dump completed");
    expect(await store.hashBackupFile("plainstore01.sql.gz")).toBe(createHash("sha256").update(gz).digest("hex"));
    expect(await store.statBackupPlainSize("plainstore01.sql.gz")).toBe(gz.length);
  });
});
