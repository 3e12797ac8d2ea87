import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { crc32, makeSmokePng, sniffImage } from "./png";

/** Walks the chunks the way a decoder does: length, type, data, CRC over type + data. */
function chunks(png: Buffer) {
  const out: { type: string; data: Buffer; crcOk: boolean }[] = [];
  for (let at = 8; at < png.length;) {
    const len = png.readUInt32BE(at);
    const type = png.toString("ascii", at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + len);
    out.push({ type, data, crcOk: png.readUInt32BE(at + 8 + len) === crc32(png.subarray(at + 4, at + 8 + len)) });
    at += 12 + len;
  }
  return out;
}

describe("makeSmokePng", () => {
  it("CRC-32 is the standard one", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
  });

  it("is a valid 32×32 RGB PNG: signature, IHDR, IDAT that inflates to 32 filtered rows, IEND, every CRC right", () => {
    const png = makeSmokePng(32, 32);
    expect(sniffImage(png)).toBe("png");
    const list = chunks(png);
    expect(list.map((c) => c.type)).toEqual(["IHDR", "IDAT", "IEND"]);
    expect(list.every((c) => c.crcOk)).toBe(true);
    const ihdr = list[0]!.data;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9]]).toEqual([32, 32, 8, 2]);
    const raw = inflateSync(list[1]!.data);
    expect(raw.length).toBe(32 * (1 + 32 * 3));
    expect(png.length).toBeLessThan(4096);
  });
});

describe("sniffImage", () => {
  it("knows PNG, JPEG, GIF, WebP and AVIF by their first bytes, and nothing else", () => {
    expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe("jpeg");
    expect(sniffImage(Buffer.from("GIF89a\x01\x00"))).toBe("gif");
    expect(sniffImage(Buffer.from("RIFF\x00\x00\x00\x00WEBPVP8 "))).toBe("webp");
    expect(sniffImage(Buffer.from("\x00\x00\x00\x1cftypavif\x00\x00"))).toBe("avif");
    expect(sniffImage(Buffer.from("<!doctype html><html>"))).toBeNull();
    expect(sniffImage(makeSmokePng().subarray(0, 8))).toBeNull();
    expect(sniffImage(Buffer.alloc(0))).toBeNull();
  });
});
