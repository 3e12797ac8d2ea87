import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TarScanner } from "./tar-scan";

const dir = mkdtempSync(path.join(tmpdir(), "tar-scan-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real GNU tar archive of uploads/ with 3 files (one with a >100-char name) in 2 directories. */
function buildArchive(): Buffer {
  const root = path.join(dir, "uploads");
  mkdirSync(path.join(root, "2026", "11"), { recursive: true });
  writeFileSync(path.join(root, "a.jpg"), "x".repeat(700));
  writeFileSync(path.join(root, "2026", "11", "b.png"), "");
  writeFileSync(path.join(root, "2026", "11", `${"long-name-".repeat(12)}.webp`), Buffer.alloc(5000, 7));
  return execFileSync("tar", ["-cf", "-", "-C", dir, "uploads"], { maxBuffer: 1 << 24 });
}

function scan(archive: Buffer, chunk = archive.length) {
  const s = new TarScanner();
  for (let i = 0; i < archive.length; i += chunk) s.push(archive.subarray(i, i + chunk));
  return s.finish();
}

describe("TarScanner", () => {
  const archive = buildArchive();

  it("counts the files and directories of a complete archive, whatever the chunk size", () => {
    for (const chunk of [archive.length, 1000, 511, 7]) {
      const { summary, problem } = scan(archive, chunk);
      expect(problem).toBeNull();
      expect(summary).toEqual({ files: 3, directories: 3, others: 0, contentBytes: 5700 });
    }
  });

  it("refuses an archive cut short inside an entry or before its end marker", () => {
    expect(scan(archive.subarray(0, 1500)).problem).toMatch(/cut short inside an entry/);
    let last = archive.length - 1;
    while (archive[last] === 0) last -= 1;
    const endOfEntries = Math.ceil((last + 1) / 512) * 512;
    expect(scan(archive.subarray(0, endOfEntries)).problem).toMatch(/no end-of-archive marker/);
    expect(scan(archive.subarray(0, endOfEntries + 512)).problem).toMatch(/no end-of-archive marker/);
    expect(scan(archive.subarray(0, endOfEntries + 1024)).problem).toBeNull();
    expect(scan(Buffer.alloc(0)).problem).toMatch(/no end-of-archive marker/);
  });

  it("refuses a corrupt header and data after the end marker", () => {
    const corrupt = Buffer.from(archive);
    corrupt[10] = corrupt[10]! ^ 0xff;
    expect(scan(corrupt).problem).toMatch(/checksum does not match/);
    const trailing = Buffer.concat([archive, Buffer.from("garbage"), Buffer.alloc(505)]);
    expect(scan(trailing).problem).toMatch(/data follows the end-of-archive marker/);
  });
});
