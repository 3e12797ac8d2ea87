/**
 * Where a follow stream stands in a container's log, so a stream reopened after a lost connection
 * (`since` = this point) neither repeats nor skips a line: Docker's `since` is inclusive and its
 * timestamps have nanoseconds, so lines before the point are dropped, and of the lines at exactly
 * the point as many are dropped as were already delivered.
 */
export class ResumePoint {
  private lastNs: bigint | null = null;
  private lastTs: string | null = null;
  private deliveredAtLast = 0;
  private skipAtLast = 0;

  /** Records a delivered line's timestamp (Docker's RFC 3339 with up to 9 fraction digits). */
  delivered(ts: string | undefined): void {
    const ns = ts ? timestampNs(ts) : null;
    if (ns === null) return;
    if (this.lastNs !== null && ns === this.lastNs) this.deliveredAtLast++;
    else if (this.lastNs === null || ns > this.lastNs) {
      this.lastNs = ns;
      this.lastTs = ts!;
      this.deliveredAtLast = 1;
    }
  }

  /** The reopened request's `since` (whole Unix seconds, at or before the point), or undefined before any line. */
  since(): number | undefined {
    return this.lastNs === null ? undefined : Number(this.lastNs / 1_000_000_000n);
  }

  /** Called when the stream is reopened: lines up to the point are about to come again. */
  reopen(): void {
    this.skipAtLast = this.deliveredAtLast;
  }

  /** Whether a line of the reopened stream is new (and so to be delivered). */
  isNew(ts: string | undefined): boolean {
    if (this.lastNs === null) return true;
    const ns = ts ? timestampNs(ts) : null;
    if (ns === null) return true;
    if (ns < this.lastNs) return false;
    if (ns === this.lastNs && this.skipAtLast > 0) {
      this.skipAtLast--;
      return false;
    }
    return true;
  }

  get description(): string {
    return this.lastTs ?? "the start";
  }
}

/** Nanoseconds since the epoch of "2026-12-02T04:30:00.123456789Z" (also with an offset or fewer digits); null if unreadable. */
export function timestampNs(ts: string): bigint | null {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(ts);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return null;
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? "").padEnd(9, "0"));
}
