import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import {
  formatHits,
  parseRecords,
  scanDirectory,
  scanRecords,
  scanStoredTexts,
  secretSpellings,
  trpcProcedures,
  type Exemption,
  type PlantedSecret,
} from "./redaction-scan";

const DB = { label: "db password", value: 'pw-"quoted"/9f2c1e' };
const HOOK = { label: "webhook URL", value: "http://127.0.0.1:9/hooks/5d1c7e0b9a" };
const SECRETS: PlantedSecret[] = [DB, HOOK];

/** The recorder's format (scripts/e2e-recorder.mjs). */
function record(seq: number, url: string, body: string | Buffer, status = 200) {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const header = JSON.stringify({
    seq,
    at: "",
    method: "GET",
    url,
    status,
    type: "application/json",
    bytes: bytes.length,
    truncated: false,
  });
  return Buffer.concat([Buffer.from(`${header}\n`), bytes, Buffer.from("\n")]);
}

describe("redaction scan", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it("finds a value as is, inside a JSON string (escaped) and percent-encoded", () => {
    const file = Buffer.concat([
      record(1, "/api/trpc/stack.list", JSON.stringify({ error: `could not log in with ${DB.value}` })),
      record(2, "/api/logs/stream?q=x", `{"text":"${encodeURIComponent(DB.value)}"}`),
      record(3, "/api/trpc/host.list", '{"ok":true}'),
    ]);
    const { leaks } = scanRecords(parseRecords(file).records, SECRETS, []);
    expect(leaks.map((h) => h.where)).toEqual([
      expect.stringMatching(/^response #1 GET \/api\/trpc\/stack\.list \(200\) @\d+$/),
      // The query string is never shown: it could hold the value itself.
      "response #2 GET /api/logs/stream (200) @9",
    ]);
    expect(secretSpellings(DB.value)).toContain('pw-\\"quoted\\"/9f2c1e');
  });

  it("parses bodies holding newlines and the header's own shape without losing a record", () => {
    const tricky = `line\n{"seq":99,"bytes":1}\n${HOOK.value}`;
    const file = Buffer.concat([record(1, "/api/a", tricky), record(2, "/api/b", ""), record(3, "/api/c", "abc")]);
    const { records, isCutShort } = parseRecords(file);
    expect(records.map((r) => [r.seq, r.body.toString()])).toEqual([
      [1, tricky],
      [2, ""],
      [3, "abc"],
    ]);
    expect(isCutShort).toBe(false);
    // The run is live while the file is read: a last record still being written is left out, and said so.
    const cut = parseRecords(file.subarray(0, file.length - 3));
    expect([cut.records.length, cut.isCutShort]).toEqual([2, true]);
  });

  it("exempts only the named secrets in answers of the named procedures, batches included", () => {
    const exemptions: Exemption[] = [{ procedures: ["alerts.channels"], labels: /^webhook/, why: "admins see channel URLs" }];
    const body = JSON.stringify([{ url: HOOK.value, note: DB.value }]);
    const { leaks, exempted } = scanRecords(
      parseRecords(record(7, "/api/trpc/alerts.rules,alerts.channels?batch=1", body)).records,
      SECRETS,
      exemptions,
    );
    expect(exempted.map((h) => h.label)).toEqual(["webhook URL"]);
    expect(leaks.map((h) => h.label)).toEqual(["db password"]);
    expect(trpcProcedures("/api/trpc/alerts.rules,alerts.channels?batch=1&input=%7B%7D")).toEqual(["alerts.rules", "alerts.channels"]);
    expect(trpcProcedures("/api/v1/jobs/x")).toEqual([]);
  });

  it("finds a value in a store cell and names table, column and row", () => {
    const hits = scanStoredTexts(
      [
        { table: "JobLogLine", column: "text", id: "41", text: `mysqldump -p${DB.value}` },
        { table: "AuditEvent", column: "details", id: "c1", text: '{"password":"[redacted]"}' },
      ],
      SECRETS,
    );
    expect(hits).toEqual([{ label: "db password", where: "JobLogLine.text id=41 @12" }]);
  });

  it("finds a value in a gzipped file, and in one cut short, and skips what it is told to", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pxf-scan-"));
    dirs.push(dir);
    fs.mkdirSync(path.join(dir, "backups"));
    const gz = zlib.gzipSync(Buffer.from(`-- dump\nINSERT INTO t VALUES ('${"x".repeat(70_000)}${HOOK.value}');\n`));
    fs.writeFileSync(path.join(dir, "backups", "a.sql.gz"), gz);
    fs.writeFileSync(path.join(dir, "backups", "b.sql.gz"), gz.subarray(0, gz.length - 12));
    fs.writeFileSync(path.join(dir, "panel.db"), DB.value);
    fs.writeFileSync(path.join(dir, "notes.txt"), "nothing here");
    const { files, hits } = scanDirectory(dir, SECRETS, (rel) => rel === "panel.db");
    expect(files).toEqual(["backups/a.sql.gz", "backups/b.sql.gz", "notes.txt"]);
    expect(hits.map((h) => h.where.replace(/ @\d+$/, ""))).toEqual([
      `${dir}/backups/a.sql.gz (gunzipped)`,
      `${dir}/backups/b.sql.gz (gunzipped)`,
    ]);
  });

  it("reports by label and place, never the value", () => {
    const text = formatHits([
      { label: "db password", where: "server.log @10" },
      { label: "db password", where: "JobLogLine.text id=3 @0" },
    ]);
    expect(text).toContain("db password (2×)");
    expect(text).toContain("- JobLogLine.text id=3 @0");
    expect(text).not.toContain(DB.value);
    expect(formatHits([])).toBe("no planted secret found");
  });
});
