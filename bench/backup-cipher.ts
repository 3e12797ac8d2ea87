/**
 * In-process throughput of the backup encryption at rest (server/adapters/storage/backup-cipher.ts):
 * a plaintext stream encrypted to a file, then that file decrypted and authenticated, with the peak
 * RSS growth of each (it should stay flat: a chunk or two in flight per stream, whatever the size).
 * BENCH_CIPHER_MB sets the size (default 400).
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createDecryptStream, createEncryptStream } from "../server/adapters/storage/backup-cipher";
import { sampleRss } from "./rss";

/** Prints encrypt and decrypt MB/s for `mb` MB of plaintext. */
export async function benchCipher(mb = Number(process.env.BENCH_CIPHER_MB ?? 400)): Promise<void> {
  const key = randomBytes(32);
  const block = randomBytes(1 << 20);
  const total = mb * 1_000_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pxf-bench-cipher-"));
  const file = path.join(dir, "sealed.bin");
  try {
    const source = () =>
      Readable.from(
        (function* () {
          for (let sent = 0; sent < total; sent += block.length) yield block.subarray(0, Math.min(block.length, total - sent));
        })(),
      );
    const c0 = performance.now();
    await pipeline(
      source(),
      createEncryptStream(key),
      new Writable({
        write(_c: Buffer, _e, done) {
          done();
        },
      }),
    );
    const cpuMs = performance.now() - c0;
    global.gc?.();
    let rss = sampleRss();
    const e0 = performance.now();
    await pipeline(source(), createEncryptStream(key), fs.createWriteStream(file));
    const encryptMs = performance.now() - e0;
    const encryptRss = rss.stop();
    let plain = 0;
    global.gc?.();
    rss = sampleRss();
    const d0 = performance.now();
    await pipeline(
      fs.createReadStream(file, { highWaterMark: 1 << 20 }),
      createDecryptStream(key),
      new Writable({
        write(c: Buffer, _e, done) {
          plain += c.length;
          done();
        },
      }),
    );
    const decryptMs = performance.now() - d0;
    const decryptRss = rss.stop();
    if (plain !== total) throw new Error(`decrypted ${plain} bytes, expected ${total}`);
    const rate = (ms: number) => `${(total / 1_000_000 / (ms / 1000)).toFixed(0)} MB/s`;
    const overhead = fs.statSync(file).size - total;
    console.log(`encryption at rest (AES-256-GCM, 64 KiB chunks, in-process, ${mb} MB, file on ${os.tmpdir()}):`);
    console.log(
      `  encrypt ${rate(cpuMs)} to memory; encrypt to a file ${rate(encryptMs)} (${(encryptMs / 1000).toFixed(2)} s, peak RSS +${(encryptRss / 1_000_000).toFixed(1)} MB); decrypt+authenticate ${rate(decryptMs)} (${(decryptMs / 1000).toFixed(2)} s, peak RSS +${(decryptRss / 1_000_000).toFixed(1)} MB); file overhead ${overhead} bytes (${((overhead / total) * 100).toFixed(3)} %)`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
