const BLOCK = 512;

/** What a complete tar archive holds, by entry type. */
export interface TarSummary {
  /** Regular files (the uploads themselves). */
  files: number;
  directories: number;
  /** Links, devices, fifos… */
  others: number;
  /** Bytes of file content (sum of the entries' sizes). */
  contentBytes: number;
}

/** Why an archive is not a complete, well-formed tar stream; null while it is. */
export type TarProblem = string | null;

function readOctal(header: Buffer, offset: number, length: number): number {
  // GNU base-256 for sizes of 8 GiB and more: high bit set, big-endian in the remaining bytes.
  if (header[offset]! & 0x80) {
    let n = header[offset]! & 0x7f;
    for (let i = offset + 1; i < offset + length; i += 1) n = n * 256 + header[i]!;
    return n;
  }
  const end = header.indexOf(0, offset);
  const text = header.toString("ascii", offset, end === -1 || end > offset + length ? offset + length : end).trim();
  return text ? parseInt(text, 8) : 0;
}

function checksumMatches(header: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i += 1) sum += i >= 148 && i < 156 ? 32 : header[i]!;
  return readOctal(header, 148, 8) === sum;
}

/**
 * Walks a tar stream block by block (memory flat: at most one partial block is held), counting
 * entries and checking each header's checksum, that no entry is cut short and that the archive ends
 * with its end-of-archive marker (two zero blocks) followed only by zero padding.
 */
export class TarScanner {
  private readonly summary: TarSummary = { files: 0, directories: 0, others: 0, contentBytes: 0 };
  private pending = Buffer.alloc(0);
  /** Bytes of entry data (padded to blocks) still to skip. */
  private skip = 0;
  private zeroBlocks = 0;
  private problem: TarProblem = null;
  private offset = 0;

  push(chunk: Buffer): void {
    if (this.problem) return;
    let data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (data.length > 0 && !this.problem) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, data.length);
        this.skip -= n;
        this.offset += n;
        data = data.subarray(n);
        continue;
      }
      if (data.length < BLOCK) break;
      this.readBlock(data.subarray(0, BLOCK));
      this.offset += BLOCK;
      data = data.subarray(BLOCK);
    }
    this.pending = Buffer.from(data);
  }

  /** The summary of a complete archive, or the reason it is not one. */
  finish(): { summary: TarSummary; problem: TarProblem } {
    let problem = this.problem;
    if (!problem && (this.skip > 0 || this.pending.length > 0))
      problem = `the archive is cut short inside an entry (at byte ${this.offset})`;
    if (!problem && this.zeroBlocks < 2) problem = "the archive has no end-of-archive marker: it was cut short";
    return { summary: { ...this.summary }, problem };
  }

  private readBlock(block: Buffer): void {
    const isZero = block.every((b) => b === 0);
    if (this.zeroBlocks > 0) {
      if (isZero) this.zeroBlocks += 1;
      else this.problem = `data follows the end-of-archive marker (at byte ${this.offset})`;
      return;
    }
    if (isZero) {
      this.zeroBlocks = 1;
      return;
    }
    if (!checksumMatches(block)) {
      this.problem = `a header's checksum does not match (at byte ${this.offset}): the archive is corrupt`;
      return;
    }
    const size = readOctal(block, 124, 12);
    const type = String.fromCharCode(block[156] || 48);
    this.skip = Math.ceil(size / BLOCK) * BLOCK;
    if (type === "0" || type === "7") {
      this.summary.files += 1;
      this.summary.contentBytes += size;
    } else if (type === "5") this.summary.directories += 1;
    // Metadata entries (PAX x/g, GNU long names L/K) describe the next entry; they are not entries.
    else if (!"xgLK".includes(type)) this.summary.others += 1;
  }
}
