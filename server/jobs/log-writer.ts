import { db } from "@/server/db";
import { redact } from "@/server/redact";
import { redactLiterals } from "@/server/redact-literals";
import { collectStackSecrets, peekStackSecrets } from "@/server/services/secrets/stack-secrets";
import type { JobLogEntry, LogLevel } from "./types";

const FLUSH_INTERVAL_MS = 100;
const FLUSH_MAX_LINES = 200;
/** One runaway line (a binary blob on stdout) must not bloat the store or the browser. */
const MAX_LINE_LENGTH = 8_000;

/**
 * Numbers, redacts and batches a job's log lines: each line gets the next `seq` at once and is handed
 * to `onLine` (live viewers), while the DB sees one insert per 100 ms or 200 lines, in order.
 */
export class JobLogWriter {
  private seq: number;
  private buffer: JobLogEntry[] = [];
  /** Batches handed to the DB chain and not yet committed. */
  private unsaved: JobLogEntry[][] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private chain: Promise<void> = Promise.resolve();
  private readonly secrets: string[] = [];

  constructor(
    private readonly jobId: string,
    private readonly onLine: (entry: JobLogEntry) => void,
    startAfterSeq = 0,
    /** The job's stack: every secret the panel holds for it is redacted from the lines too. */
    private readonly stackId: string | null = null,
  ) {
    this.seq = startAfterSeq;
  }

  addSecret(secret: string | null | undefined): void {
    if (secret) this.secrets.push(secret);
  }

  /** Loads the stack's secrets before the first line (later lines see what the job reads as it goes). */
  async prepare(): Promise<void> {
    if (this.stackId) await collectStackSecrets(this.stackId);
  }

  /**
   * Redacts with the stack's secrets, the job's own and the known secret shapes. Security: at write time,
   * so neither viewers of the live stream nor the stored lines ever hold them.
   */
  redact(text: string): string {
    const withoutStackSecrets = this.stackId ? redactLiterals(text, peekStackSecrets(this.stackId)) : text;
    return redact(withoutStackSecrets, this.secrets);
  }

  /**
   * Appends `text`, one entry per line; returns the last seq used. `isPanelText` is for the runner's
   * own lines built from known-safe values (actor labels such as "token:ci" would trip the
   * `token: value` pattern); anything carrying remote output or error text is always redacted.
   */
  write(text: string, level: LogLevel = "info", isPanelText = false): number {
    for (const line of splitLines(isPanelText ? text : this.redact(text))) {
      this.seq += 1;
      const entry: JobLogEntry = { seq: this.seq, at: new Date().toISOString(), level, text: line };
      this.buffer.push(entry);
      this.onLine(entry);
    }
    if (this.buffer.length >= FLUSH_MAX_LINES) void this.flush();
    else if (!this.timer && this.buffer.length > 0) this.timer = setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
    return this.seq;
  }

  /** Lines handed out live but not yet committed, so a viewer joining now misses none. */
  pending(): JobLogEntry[] {
    return [...this.unsaved.flat(), ...this.buffer];
  }

  /** Writes everything buffered so far; resolves when it is committed (writes stay in order). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length > 0) {
      this.unsaved.push(batch);
      this.chain = this.chain.then(() => this.insert(batch));
    }
    return this.chain;
  }

  private async insert(batch: JobLogEntry[]): Promise<void> {
    try {
      await db.jobLogLine.createMany({
        data: batch.map((e) => ({ jobId: this.jobId, seq: e.seq, at: new Date(e.at), level: e.level, text: e.text })),
      });
    } catch (err) {
      // The lines were already shown live; losing them from the store must not fail the job.
      console.error(`[jobs] could not store ${batch.length} log lines of job ${this.jobId}:`, err);
    } finally {
      this.unsaved = this.unsaved.filter((b) => b !== batch);
    }
  }
}

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines.map((l) => (l.length > MAX_LINE_LENGTH ? `${l.slice(0, MAX_LINE_LENGTH)} … [line cut]` : l));
}
