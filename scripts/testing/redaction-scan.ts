import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

// The redaction scan of the e2e run (e2e/99-scan): finds planted secret values in what the panel
// answered, logged and wrote. Pure but for the file helpers at the end, so a unit test can show that a
// real leak is found (redaction-scan.test.ts). Security: a hit names the secret by its label and says
// where it is; it never prints the value, and never a recorded URL's query string.

/** A secret value the run configured, with the name a report gives it. */
export interface PlantedSecret {
  label: string;
  value: string;
}

export interface Hit {
  label: string;
  where: string;
}

/** Shorter values would match by chance; the planting leaves them out. */
export const MIN_SECRET_LENGTH = 8;

/** The spellings a leaked value takes in the places scanned: as is, inside a JSON string, percent-encoded. */
export function secretSpellings(value: string): string[] {
  const spellings = new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]);
  return [...spellings].filter((s) => s.length >= MIN_SECRET_LENGTH);
}

/** Every planted value found in `haystack`, with `where` and the byte offset of the first occurrence. */
export function findSecrets(haystack: Buffer, secrets: PlantedSecret[], where: string): Hit[] {
  const hits: Hit[] = [];
  for (const secret of secrets) {
    for (const spelling of secretSpellings(secret.value)) {
      const at = haystack.indexOf(spelling, 0, "utf8");
      if (at >= 0) {
        hits.push({ label: secret.label, where: `${where} @${at}` });
        break;
      }
    }
  }
  return hits;
}

/** One response body as scripts/e2e-recorder.mjs appended it. */
export interface RecordedBody {
  seq: number;
  method: string;
  url: string;
  status: number;
  type: string;
  truncated: boolean;
  note?: string;
  body: Buffer;
}

/**
 * Reads the recorder's file: a JSON header line, `bytes` bytes of body, "\n", again and again. The run
 * is live while it is read, so a last record still being written is left out (`isCutShort`).
 */
export function parseRecords(file: Buffer): { records: RecordedBody[]; isCutShort: boolean } {
  const records: RecordedBody[] = [];
  let at = 0;
  while (at < file.length) {
    const eol = file.indexOf(0x0a, at);
    if (eol < 0) return { records, isCutShort: true };
    const header = JSON.parse(file.subarray(at, eol).toString("utf8")) as Omit<RecordedBody, "body"> & { bytes: number };
    const start = eol + 1;
    const end = start + header.bytes;
    if (end > file.length) return { records, isCutShort: true };
    const { bytes: _bytes, ...meta } = header;
    records.push({ ...meta, body: file.subarray(start, end) });
    at = end + 1;
  }
  return { records, isCutShort: false };
}

/** The tRPC procedures a recorded URL called (`/api/trpc/a.b,c.d?batch=1` → ["a.b", "c.d"]). */
export function trpcProcedures(url: string): string[] {
  const pathname = url.split("?")[0] ?? "";
  if (!pathname.startsWith("/api/trpc/")) return [];
  return decodeURIComponent(pathname.slice("/api/trpc/".length)).split(",").filter(Boolean);
}

/**
 * Answers that show a secret to an admin by design: which procedures, which secrets (labels), and why.
 * A batch that calls one of them is exempt for those secrets only.
 */
export interface Exemption {
  procedures: string[];
  labels: RegExp;
  why: string;
}

/** A recorded URL as a report shows it: the path, never the query (it could carry the value itself). */
export function describeRecord(r: Pick<RecordedBody, "seq" | "method" | "url" | "status">): string {
  return `response #${r.seq} ${r.method} ${r.url.split("?")[0]} (${r.status})`;
}

/** Hits in recorded bodies, split into leaks and what the exemptions allow (which proves the scan sees values). */
export function scanRecords(records: RecordedBody[], secrets: PlantedSecret[], exemptions: Exemption[]) {
  const leaks: Hit[] = [];
  const exempted: Hit[] = [];
  for (const r of records) {
    const called = trpcProcedures(r.url);
    const allowed = exemptions.filter((e) => e.procedures.some((p) => called.includes(p)));
    for (const hit of findSecrets(r.body, secrets, describeRecord(r))) {
      (allowed.some((e) => e.labels.test(hit.label)) ? exempted : leaks).push(hit);
    }
  }
  return { leaks, exempted };
}

/** A text cell of the store, named by table, column and row id. */
export interface StoredText {
  table: string;
  column: string;
  id: string;
  text: string;
}

export function scanStoredTexts(cells: StoredText[], secrets: PlantedSecret[]): Hit[] {
  return cells.flatMap((c) => findSecrets(Buffer.from(c.text, "utf8"), secrets, `${c.table}.${c.column} id=${c.id}`));
}

/** Gzip data is also scanned decoded (a file cut short as far as it goes); anything else only as it is. */
export function decodedViews(bytes: Buffer): { view: string; bytes: Buffer }[] {
  const views = [{ view: "raw", bytes }];
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      const decoded = zlib.gunzipSync(bytes, { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: 512 * 1024 * 1024 });
      views.push({ view: "gunzipped", bytes: decoded });
    } catch {
      // Not gzip after all (the magic bytes by chance): scanned raw only.
    }
  }
  return views;
}

export function scanBytes(bytes: Buffer, secrets: PlantedSecret[], where: string): Hit[] {
  const hits: Hit[] = [];
  for (const { view, bytes: b } of decodedViews(bytes)) {
    hits.push(...findSecrets(b, secrets, view === "raw" ? where : `${where} (${view})`));
  }
  return hits;
}

/** Every regular file under `dir` (relative paths, sorted), except those `isSkipped` names. */
export function listFiles(dir: string, isSkipped: (relative: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (isSkipped(child)) continue;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  walk("");
  return out.sort();
}

/** Scans every file under `dir` but the skipped ones, gunzipping what is gzip. */
export function scanDirectory(dir: string, secrets: PlantedSecret[], isSkipped: (relative: string) => boolean) {
  const files = listFiles(dir, isSkipped);
  const hits = files.flatMap((rel) => scanBytes(fs.readFileSync(path.join(dir, rel)), secrets, `${dir}/${rel}`));
  return { files, hits };
}

/** One line per hit, grouped by secret, for the test's failure message. */
export function formatHits(hits: Hit[]): string {
  if (hits.length === 0) return "no planted secret found";
  const byLabel = new Map<string, string[]>();
  for (const h of hits) byLabel.set(h.label, [...(byLabel.get(h.label) ?? []), h.where]);
  const lines = [...byLabel].map(([label, where]) => `  ${label} (${where.length}×):\n${where.map((w) => `    - ${w}`).join("\n")}`);
  return `${hits.length} planted secret occurrence(s) found:\n${lines.join("\n")}`;
}
