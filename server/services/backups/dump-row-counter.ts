import { createHash, type Hash } from "node:crypto";
import { Writable } from "node:stream";

const PREFIX = Buffer.from("INSERT INTO `");
const VALUES = " VALUES";
const NL = 0x0a,
  SPACE = 0x20,
  QUOTE = 0x27,
  BACKSLASH = 0x5c,
  OPEN = 0x28,
  CLOSE = 0x29,
  SEMICOLON = 0x3b,
  COMMA = 0x2c;
/** Marks a table digest computed by this scanner (older backups recorded CHECKSUM TABLE numbers). */
export const DIGEST_PREFIX = "sha256:";
/** A header longer than this is not an INSERT of ours (table names are at most 64 characters). */
const MAX_HEADER = 4096;

type State = "lineStart" | "header" | "skipLine" | "values";

/**
 * Counts the rows a mysqldump / mariadb-dump file holds per table, from its `INSERT INTO \`t\` VALUES
 * (…),(…);` statements (one line, or with `--quick` on MariaDB one row per line), and digests each
 * table's rows (sha256 of its tuples in dump order, each followed by ",", so how rows are split into
 * statements and lines does not matter), streaming (memory flat whatever the size). Both describe
 * exactly what the dump captured, in its own snapshot, which is what a restore drill must find again:
 * the drill dumps the restored scratch database and digests it the same way.
 */
export class DumpRowCounter {
  private state: State = "lineStart";
  private header: number[] = [];
  private table = "";
  private depth = 0;
  private inQuote = false;
  private escaped = false;
  private readonly rows = new Map<string, number>();
  private readonly hashes = new Map<string, Hash>();
  private hash: Hash | null = null;

  push(chunk: Buffer): void {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      switch (this.state) {
        case "lineStart":
        case "header": {
          const b = chunk[i++]!;
          if ((b === NL || b === SPACE) && this.header.length > PREFIX.length && this.headerEndsWithValues()) {
            this.startValues();
            break;
          }
          if (b === NL) {
            this.state = "lineStart";
            this.header = [];
            break;
          }
          this.header.push(b);
          const len = this.header.length;
          if (len <= PREFIX.length) {
            if (b !== PREFIX[len - 1]) {
              this.state = "skipLine";
              this.header = [];
            } else this.state = "header";
            break;
          }
          if (len > MAX_HEADER) {
            this.state = "skipLine";
            this.header = [];
          }
          break;
        }
        case "skipLine": {
          const nl = chunk.indexOf(NL, i);
          if (nl === -1) {
            i = n;
            break;
          }
          i = nl + 1;
          this.state = "lineStart";
          break;
        }
        case "values": {
          const hash = this.hash!;
          let from = i; // start of the bytes still to hash: tuples and the commas between them
          let nextBackslash = -2; // in this chunk, at or after i; -1: none left, -2: not looked for yet
          for (; i < n; i++) {
            if (this.inQuote) {
              // Inside a string only a backslash or a quote matters: jump to the next one (memchr).
              if (this.escaped) {
                this.escaped = false;
                continue;
              }
              if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = chunk.indexOf(BACKSLASH, i);
              const quote = chunk.indexOf(QUOTE, i);
              if (nextBackslash !== -1 && (quote === -1 || nextBackslash < quote)) {
                i = nextBackslash;
                this.escaped = true;
              } else if (quote === -1) i = n - 1;
              else {
                i = quote;
                this.inQuote = false;
              }
              continue;
            }
            const b = chunk[i]!;
            if (b === QUOTE) this.inQuote = true;
            else if (b === OPEN) {
              if (this.depth++ === 0) this.rows.set(this.table, (this.rows.get(this.table) ?? 0) + 1);
            } else if (b === CLOSE) this.depth--;
            else if (this.depth === 0 && b !== COMMA) {
              // Line breaks between tuples and the statement's end are not content.
              if (i > from) hash.update(chunk.subarray(from, i));
              from = i + 1;
              if (b === SEMICOLON) {
                hash.update(",");
                i++;
                this.state = "skipLine";
                this.header = [];
                break;
              }
            }
          }
          if (i > from) hash.update(chunk.subarray(from, i));
          break;
        }
      }
    }
  }

  /** Rows per table; tables created without any row are not listed (see `withTables`). */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.rows.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** `sha256:<hex>` of each table's rows, for tables the dump holds rows of. Call once, at the end. */
  digests(): Record<string, string> {
    return Object.fromEntries(
      [...this.hashes.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([t, h]) => [t, DIGEST_PREFIX + h.digest("hex")]),
    );
  }

  private headerEndsWithValues(): boolean {
    const text = Buffer.from(this.header).toString("utf8");
    if (!text.endsWith(VALUES)) return false;
    const m = /^INSERT INTO `((?:[^`]|``)+)`/.exec(text);
    if (!m) return false;
    this.table = m[1]!.replace(/``/g, "`");
    return true;
  }

  private startValues() {
    this.state = "values";
    this.header = [];
    let hash = this.hashes.get(this.table);
    if (!hash) this.hashes.set(this.table, (hash = createHash("sha256")));
    this.hash = hash;
    this.depth = 0;
    this.inQuote = false;
    this.escaped = false;
  }
}

/** A Writable that feeds a DumpRowCounter (put it behind a gunzip of the dump stream). */
export function dumpRowCounterSink(counter = new DumpRowCounter()): Writable & { counter: DumpRowCounter } {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      counter.push(chunk);
      done();
    },
  });
  return Object.assign(sink, { counter });
}

/** Every table the backup recorded, with 0 for those the dump holds no INSERT for (empty tables). */
export function withTables(counts: Record<string, number>, tables: string[]): Record<string, number> {
  return Object.fromEntries([...new Set([...tables, ...Object.keys(counts)])].sort().map((t) => [t, counts[t] ?? 0]));
}

export interface CountReconciliation {
  /** Rows per table as the dump holds them: what a restore must give back. */
  rowCounts: Record<string, number>;
  /** Tables written to between the count before the dump and the dump's own snapshot. */
  changed: { table: string; before: number; dumped: number }[];
}

/**
 * The live counts are read while the dump starts its own snapshot (they list the tables, empty ones
 * included); on a busy database they can differ from what the dump captured. The dump's counts are
 * what a drill must find again; the differences are worth a line in the job log.
 */
export function reconcileCounts(before: Record<string, number>, dumped: Record<string, number>): CountReconciliation {
  const rowCounts = withTables(dumped, Object.keys(before));
  const changed = Object.keys(rowCounts)
    .filter((t) => before[t] !== rowCounts[t])
    .map((t) => ({ table: t, before: before[t] ?? 0, dumped: rowCounts[t]! }));
  return { rowCounts, changed };
}
