import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobContext } from "@/server/jobs/types";
import { TarScanner } from "@/server/services/uploads/tar-scan";

const dir = mkdtempSync(path.join(os.tmpdir(), "pxf-backup-meter-"));
let meterModule: typeof import("./backup-meter");
let archive: Buffer;
const job = { setStepProgress: () => undefined } as unknown as JobContext;

beforeAll(async () => {
  process.env.PANEL_BACKUP_DIR = path.join(dir, "store");
  process.env.PANEL_DATA_DIR = dir;
  process.env.PANEL_SECRET = "backup-meter-test-secret-0123456789abcdef";
  mkdirSync(process.env.PANEL_BACKUP_DIR);
  meterModule = await import("./backup-meter");
  mkdirSync(path.join(dir, "src", "uploads", "2026"), { recursive: true });
  for (let i = 0; i < 4; i += 1) writeFileSync(path.join(dir, "src", "uploads", "2026", `img-${i}.jpg`), Buffer.alloc(10_000 + i, i));
  archive = execFileSync("tar", ["-czf", "-", "-C", path.join(dir, "src"), "uploads"]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Sends `body` through a meter that walks the tar stream on the way, in small chunks, as a transfer would. */
async function receive(body: Buffer, opts: { breakOffAt?: number } = {}) {
  const scanner = new TarScanner();
  const meter = meterModule.createBackupMeter(job, "backup", (c) => scanner.push(c));
  const source = new PassThrough();
  const writing = pipeline(source, meter.stream, new Writable({ write: (_c, _e, done) => done() }));
  const end = opts.breakOffAt ?? body.length;
  for (let i = 0; i < end; i += 4096) source.write(body.subarray(i, Math.min(i + 4096, end)));
  if (opts.breakOffAt === undefined) source.end();
  else source.destroy(new Error("connection lost"));
  await writing.catch(() => undefined);
  const inspected = await meter.inspected().then(
    (r) => ({ ok: true as const, ...r }),
    (err: Error) => ({ ok: false as const, error: err.message }),
  );
  return { inspected, scan: scanner.finish(), result: meter.result() };
}

describe("createBackupMeter with inspection on the way", () => {
  it("walks a complete tar.gz as tar -czf writes it while hashing the compressed bytes", async () => {
    const r = await receive(archive);
    expect(r.inspected).toMatchObject({ ok: true, uncompressedBytes: gunzipSync(archive).length });
    expect(r.scan).toMatchObject({ problem: null, summary: { files: 4, directories: 2, contentBytes: 40_006 } });
    expect(r.result.size).toBe(archive.length);
  });

  it("rejects a gzip stream cut short, and a transfer that broke off (it never hangs)", async () => {
    expect((await receive(archive.subarray(0, archive.length - 30))).inspected).toMatchObject({
      ok: false,
      error: expect.stringMatching(/unexpected end of file/),
    });
    expect((await receive(archive, { breakOffAt: 5000 })).inspected).toMatchObject({ ok: false });
  });

  it("lets the tar walk refuse a complete gzip holding an archive cut short (tar killed mid-way)", async () => {
    const tar = gunzipSync(archive);
    const cut = await receive(gzipSync(tar.subarray(0, 12_000)));
    expect(cut.inspected.ok).toBe(true);
    expect(cut.scan.problem).toMatch(/the archive is cut short/);
    expect((await receive(gzipSync(Buffer.alloc(0)))).scan.problem).toMatch(/no end-of-archive marker/);
  });
});

describe("checkStoredFile", () => {
  it("passes when the stored file (decrypted when encrypted) hashes to what was received, and names both hashes otherwise", async () => {
    const { createBackupWriteStream } = await import("@/server/adapters/storage/backup-store");
    const out = await createBackupWriteStream("cenc00001.tar.gz", { encrypted: true });
    await new Promise<void>((resolve, reject) => out.end(archive, () => resolve()).once("error", reject));
    const sha = (await receive(archive)).result.sha256;
    await expect(meterModule.checkStoredFile("cenc00001.tar.gz", true, sha)).resolves.toBeUndefined();
    await expect(meterModule.checkStoredFile("cenc00001.tar.gz", true, "0".repeat(64))).rejects.toThrow(
      /does not match what was received \(sha256 [0-9a-f]{64}, 0{64} received\)/,
    );
    await expect(meterModule.checkStoredFile("cenc00001.tar.gz", false, sha)).rejects.toThrow();
  });
});
