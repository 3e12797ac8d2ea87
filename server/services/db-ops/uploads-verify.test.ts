import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(path.join(os.tmpdir(), "pxf-uploads-verify-"));
let verifyUploadsArchive: typeof import("./uploads-verify").verifyUploadsArchive;
let archive: Buffer;

beforeAll(async () => {
  process.env.PANEL_BACKUP_DIR = path.join(dir, "store");
  process.env.PANEL_DATA_DIR = dir;
  process.env.PANEL_SECRET = "uploads-verify-test-secret-0123456789abcdef";
  mkdirSync(process.env.PANEL_BACKUP_DIR);
  ({ verifyUploadsArchive } = await import("./uploads-verify"));
  mkdirSync(path.join(dir, "src", "uploads", "2026"), { recursive: true });
  for (let i = 0; i < 4; i += 1) writeFileSync(path.join(dir, "src", "uploads", "2026", `img-${i}.jpg`), Buffer.alloc(10_000 + i, i));
  archive = execFileSync("tar", ["-czf", "-", "-C", path.join(dir, "src"), "uploads"]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function store(name: string, body: Buffer): string {
  writeFileSync(path.join(dir, "store", name), body);
  return name;
}

describe("verifyUploadsArchive", () => {
  it("decrypts an archive stored encrypted at rest, and refuses to read it as plain", async () => {
    const { createBackupWriteStream } = await import("@/server/adapters/storage/backup-store");
    const out = await createBackupWriteStream("cenc00001.tar.gz", { encrypted: true });
    await new Promise<void>((resolve, reject) => out.end(archive, () => resolve()).once("error", reject));
    expect(await verifyUploadsArchive("cenc00001.tar.gz", { encrypted: true })).toMatchObject({ files: 4 });
    await expect(verifyUploadsArchive("cenc00001.tar.gz")).rejects.toThrow(/not a complete gzip stream/);
  });

  it("counts the files of a complete tar.gz as tar -czf writes it", async () => {
    expect(await verifyUploadsArchive(store("cgood0001.tar.gz", archive))).toMatchObject({ files: 4, directories: 2, contentBytes: 40_006 });
  });

  it("refuses a gzip stream cut short", async () => {
    await expect(verifyUploadsArchive(store("ccut00001.tar.gz", archive.subarray(0, archive.length - 30)))).rejects.toThrow(/not a complete gzip stream/);
  });

  it("refuses a complete gzip stream holding a tar archive cut short (tar killed mid-way)", async () => {
    const tar = gunzipSync(archive);
    await expect(verifyUploadsArchive(store("ctrunc001.tar.gz", gzipSync(tar.subarray(0, 12_000))))).rejects.toThrow(/not a complete tar archive: the archive is cut short/);
    await expect(verifyUploadsArchive(store("cnoend001.tar.gz", gzipSync(Buffer.alloc(0))))).rejects.toThrow(/no end-of-archive marker/);
  });
});
