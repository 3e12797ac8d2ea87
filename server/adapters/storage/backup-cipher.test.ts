import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  CHUNK_BYTES,
  createDecryptStream,
  createEncryptStream,
  createSliceStream,
  describeEncryptedSize,
  HEADER_BYTES,
  MAGIC,
  parseHeader,
  planRange,
  SEALED_CHUNK_BYTES,
  TAG_BYTES,
} from "./backup-cipher";

const key = randomBytes(32);

/** Feeds `input` in pieces of `piece` bytes (streams never deliver whole files), collects the output. */
async function run(stream: NodeJS.ReadWriteStream, input: Buffer, piece = 10_007): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let i = 0; i < input.length; i += piece) parts.push(input.subarray(i, i + piece));
  const out: Buffer[] = [];
  const source = Readable.from(parts);
  for await (const chunk of source.pipe(stream as unknown as NodeJS.WritableStream & AsyncIterable<Buffer>)) out.push(chunk);
  return Buffer.concat(out);
}

async function runChecked(stream: NodeJS.ReadWriteStream, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    stream.on("data", (c: Buffer) => out.push(c));
    stream.on("error", reject);
    stream.on("end", () => resolve(Buffer.concat(out)));
    stream.end(input);
  });
}

const encrypt = (plain: Buffer, piece?: number) => run(createEncryptStream(key), plain, piece);
const decrypt = (sealed: Buffer, k = key) => runChecked(createDecryptStream(k), sealed);

/** Decrypts plaintext bytes start..end (inclusive) the way a Range download does: only the chunks needed. */
async function decryptRange(sealed: Buffer, start: number, end: number): Promise<Buffer> {
  const plan = planRange(sealed.length, { start, end });
  const salt = parseHeader(sealed.subarray(0, HEADER_BYTES));
  const stored = sealed.subarray(plan.storedStart, plan.storedEnd + 1);
  const plain = await runChecked(createDecryptStream(key, { salt, firstChunk: plan.firstChunk, totalChunks: plan.totalChunks }), stored);
  return runChecked(createSliceStream(plan.skip, plan.length), plain);
}

describe("backup encryption format", () => {
  const sizes = {
    empty: 0,
    "one byte": 1,
    "exactly one chunk": CHUNK_BYTES,
    "one chunk and a byte": CHUNK_BYTES + 1,
    "exactly three chunks": 3 * CHUNK_BYTES,
    "several chunks": 5 * CHUNK_BYTES + 12_345,
  };
  for (const [name, size] of Object.entries(sizes)) {
    it(`round-trips ${name} (${size} bytes) and the size maps back to the plaintext size`, async () => {
      const plain = randomBytes(size);
      const sealed = await encrypt(plain);
      expect(sealed.subarray(0, MAGIC.length).toString("latin1")).toBe("PXFENC1\n");
      const chunks = Math.max(1, Math.ceil(size / CHUNK_BYTES));
      expect(sealed.length).toBe(HEADER_BYTES + size + chunks * TAG_BYTES);
      expect(describeEncryptedSize(sealed.length)).toEqual({ chunks, plainBytes: size });
      expect(Buffer.compare(await decrypt(sealed), plain)).toBe(0);
    });
  }

  it("never shows the plaintext and uses a fresh salt per file", async () => {
    const plain = Buffer.from("CREATE TABLE `storage_pools` (".repeat(5000));
    const a = await encrypt(plain);
    const b = await encrypt(plain);
    expect(a.includes(Buffer.from("storage_pools"))).toBe(false);
    expect(a.subarray(MAGIC.length, HEADER_BYTES).equals(b.subarray(MAGIC.length, HEADER_BYTES))).toBe(false);
    expect(a.subarray(HEADER_BYTES, HEADER_BYTES + 64).equals(b.subarray(HEADER_BYTES, HEADER_BYTES + 64))).toBe(false);
  });

  it("reads back whatever the write sizes (1 000-byte to 200 000-byte pieces)", async () => {
    const plain = randomBytes(3 * CHUNK_BYTES + 99);
    for (const piece of [1_000, 65_536, 200_000]) expect(Buffer.compare(await decrypt(await encrypt(plain, piece)), plain)).toBe(0);
  });

  it("decrypts arbitrary Ranges to exactly the plaintext slice", async () => {
    const plain = randomBytes(4 * CHUNK_BYTES + 777);
    const sealed = await encrypt(plain);
    const last = plain.length - 1;
    const ranges: [number, number][] = [
      [0, 0],
      [0, last],
      [10, last],
      [CHUNK_BYTES - 1, CHUNK_BYTES],
      [CHUNK_BYTES, 2 * CHUNK_BYTES - 1],
      [last, last],
      [last - 800, last],
      [123, 3 * CHUNK_BYTES + 5],
    ];
    for (let i = 0; i < 20; i++) {
      const a = Math.floor(Math.random() * plain.length);
      ranges.push([a, a + Math.floor(Math.random() * (plain.length - a))]);
    }
    for (const [start, end] of ranges) {
      const got = await decryptRange(sealed, start, end);
      expect(Buffer.compare(got, plain.subarray(start, end + 1)), `range ${start}-${end}`).toBe(0);
    }
  });

  it("a Range read only touches the chunks it needs", () => {
    const plan = planRange(HEADER_BYTES + 10 * SEALED_CHUNK_BYTES, { start: 3 * CHUNK_BYTES + 5, end: 4 * CHUNK_BYTES + 5 });
    expect(plan).toMatchObject({ firstChunk: 3, totalChunks: 10, skip: 5, length: CHUNK_BYTES + 1 });
    expect(plan.storedEnd - plan.storedStart + 1).toBe(2 * SEALED_CHUNK_BYTES);
  });

  it("refuses a flipped byte, naming the chunk", async () => {
    const sealed = await encrypt(randomBytes(3 * CHUNK_BYTES));
    const bad = Buffer.from(sealed);
    bad[HEADER_BYTES + SEALED_CHUNK_BYTES + 100]! ^= 0x01;
    await expect(decrypt(bad)).rejects.toThrow("the backup file was modified or is corrupt: authentication failed at chunk 1");
    const badRange = planRange(bad.length, { start: CHUNK_BYTES, end: CHUNK_BYTES + 10 });
    expect(badRange.firstChunk).toBe(1);
    await expect(decryptRange(bad, CHUNK_BYTES, CHUNK_BYTES + 10)).rejects.toThrow("authentication failed at chunk 1");
    // The other chunks still read: a Range away from the damage is served.
    expect((await decryptRange(bad, 0, 10)).length).toBe(11);
  });

  it("refuses a truncated file: cut inside a chunk, at a chunk boundary, or down to the header", async () => {
    const sealed = await encrypt(randomBytes(3 * CHUNK_BYTES + 50));
    await expect(decrypt(sealed.subarray(0, sealed.length - 1))).rejects.toThrow(/modified or is corrupt/);
    await expect(decrypt(sealed.subarray(0, HEADER_BYTES + 2 * SEALED_CHUNK_BYTES))).rejects.toThrow("authentication failed at chunk 1");
    await expect(decrypt(sealed.subarray(0, HEADER_BYTES))).rejects.toThrow("truncated at chunk 0");
    await expect(decrypt(sealed.subarray(0, 10))).rejects.toThrow("header is incomplete");
  });

  it("refuses swapped chunks", async () => {
    const sealed = await encrypt(randomBytes(3 * CHUNK_BYTES + 50));
    const c = (i: number) => sealed.subarray(HEADER_BYTES + i * SEALED_CHUNK_BYTES, HEADER_BYTES + (i + 1) * SEALED_CHUNK_BYTES);
    const swapped = Buffer.concat([sealed.subarray(0, HEADER_BYTES), c(1), c(0), sealed.subarray(HEADER_BYTES + 2 * SEALED_CHUNK_BYTES)]);
    await expect(decrypt(swapped)).rejects.toThrow("authentication failed at chunk 0");
  });

  it("refuses another key, and a file that is not encrypted", async () => {
    const sealed = await encrypt(Buffer.from("hello"));
    await expect(decrypt(sealed, randomBytes(32))).rejects.toThrow(
      /authentication failed at chunk 0 \(or it was encrypted under another master key/,
    );
    await expect(decrypt(Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), randomBytes(100)]))).rejects.toThrow("not an encrypted backup");
  });

  it("knows which stored sizes cannot be this format", () => {
    expect(describeEncryptedSize(HEADER_BYTES + TAG_BYTES - 1)).toBeNull();
    expect(describeEncryptedSize(HEADER_BYTES + SEALED_CHUNK_BYTES + 5)).toBeNull();
    expect(describeEncryptedSize(HEADER_BYTES + SEALED_CHUNK_BYTES + TAG_BYTES)).toEqual({ chunks: 2, plainBytes: CHUNK_BYTES });
  });
});
