/**
 * Backup benchmark: generates a dataset in a scratch database on the fleet's db host, then times the
 * panel's backup (dump + gzip inside pxlfox-db, streamed over the pooled SSH connection into the store,
 * verified) against `ssh <db host> docker exec pxlfox-db mariadb-dump … | gzip > file` in the same run,
 * with the ratio, and samples the panel process's RSS during the backup and during a download.
 * BENCH_BACKUP_ROWS sets the size (default 700 000 rows ≈ 100 MB of SQL; 7 000 000 ≈ 1 GB).
 * Then the same backup and download with encryption at rest on, and the cipher's in-process throughput.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { benchCipher } from "./backup-cipher";
import { sampleRss } from "./rss";

const ROWS = Number(process.env.BENCH_BACKUP_ROWS ?? 700_000);
const SCRATCH = "pxf_drill_bench";
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pxf-bench-backup-"));
process.env.PANEL_DATA_DIR = dataDir;
process.env.PANEL_SECRET ??= "bench-secret-0123456789abcdef0123456789";

type Host = { sshHost: string; privateKeyPath: string };
const mb = (n: number) => `${(n / 1_000_000).toFixed(1)} MB`;
const sshArgs = (host: Host) => [
  "-i",
  host.privateKeyPath,
  "-o",
  "StrictHostKeyChecking=no",
  "-o",
  "UserKnownHostsFile=/dev/null",
  "-o",
  "LogLevel=ERROR",
  "-o",
  "BatchMode=yes",
  `root@${host.sshHost}`,
];

/** Runs SQL as root inside pxlfox-db (the password never leaves the container's environment). */
function rootSql(host: Host, sql: string): string {
  const r = spawnSync(
    "ssh",
    [
      ...sshArgs(host),
      "docker exec -i pxlfox-db sh -c 'MYSQL_PWD=\"${MARIADB_ROOT_PASSWORD:-$MYSQL_ROOT_PASSWORD}\" exec mariadb --user=root -N -B'",
    ],
    { input: sql, encoding: "utf8", maxBuffer: 64 << 20 },
  );
  if (r.status !== 0) throw new Error(`SQL on the db host failed: ${r.stderr}`);
  return r.stdout;
}

async function baseline(host: Host, file: string): Promise<number> {
  const t0 = performance.now();
  const remote = `docker exec pxlfox-db sh -c 'MYSQL_PWD="\${MARIADB_ROOT_PASSWORD:-$MYSQL_ROOT_PASSWORD}" exec mariadb-dump --user=root --single-transaction --quick --routines --triggers --events ${SCRATCH}'`;
  const ssh = spawn("ssh", [...sshArgs(host), remote], { stdio: ["ignore", "pipe", "inherit"] });
  const gzip = spawn("gzip", ["-c"], { stdio: ["pipe", fs.openSync(file, "w"), "inherit"] });
  ssh.stdout.pipe(gzip.stdin!);
  const codes = await Promise.all([ssh, gzip].map((p) => new Promise<number | null>((resolve) => p.on("close", resolve))));
  if (codes.some((c) => c !== 0)) throw new Error(`baseline dump failed (ssh ${codes[0]}, gzip ${codes[1]})`);
  return performance.now() - t0;
}

export async function main() {
  spawnSync("npx", ["prisma", "migrate", "deploy"], { stdio: "ignore", env: process.env });
  const { readFleetStatus } = await import("../fleet/lib/index");
  const { importFleet } = await import("../scripts/import-fleet");
  const { db } = await import("../server/db");
  const { startBackup } = await import("@/server/services/backups/backup-jobs");
  const { createBackupDownload } = await import("@/server/services/backups/download");
  const { readGzipTail } = await import("../server/adapters/storage/backup-store");
  const { waitForJob } = await import("../server/jobs/queries");
  const { CLI_ACTOR } = await import("../server/services/auth/actor");

  const fleet = await readFleetStatus();
  if (!fleet.up) throw new Error("the sandbox fleet is not up: npm run fleet -- up");
  const host = fleet.hosts.find((h) => h.roles.includes("db"));
  if (!host) throw new Error("no db host in the fleet");
  const appUser = fleet.stack.db.user;
  await importFleet();
  const t0 = performance.now();
  rootSql(
    host,
    `DROP DATABASE IF EXISTS ${SCRATCH}; CREATE DATABASE ${SCRATCH}; CREATE TABLE ${SCRATCH}.items (id INT PRIMARY KEY, h CHAR(64) NOT NULL, note VARCHAR(200) NOT NULL, n DOUBLE NOT NULL) ENGINE=InnoDB;`,
  );
  for (let from = 1; from <= ROWS; from += 200_000) {
    const to = Math.min(ROWS, from + 199_999);
    rootSql(
      host,
      `USE ${SCRATCH}; INSERT INTO items SELECT seq, SHA2(seq, 256), CONCAT('row ', seq, ' ', MD5(RAND())), RAND() * 1e6 FROM seq_${from}_to_${to};`,
    );
  }
  // The panel counts rows and checksums as the app user before dumping (as root, in the container).
  const grantee = rootSql(host, `SELECT CONCAT("'", user, "'@'", host, "'") FROM mysql.user WHERE user = '${appUser}' LIMIT 1;`).trim();
  rootSql(host, `GRANT SELECT ON ${SCRATCH}.* TO ${grantee};`);
  console.log(`dataset: ${ROWS} rows in ${SCRATCH}.items, generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  try {
    const service = await db.service.findFirstOrThrow({ where: { kind: "db" } });
    await db.service.update({
      where: { id: service.id },
      data: { settings: JSON.stringify({ ...JSON.parse(service.settings), database: SCRATCH }) },
    });

    const manualFile = path.join(dataDir, "manual.sql.gz");
    const manualMs = await baseline(host, manualFile);
    const manualSize = fs.statSync(manualFile).size;

    global.gc?.();
    const rss = sampleRss();
    const p0 = performance.now();
    const { jobId } = await startBackup("pixelfox", CLI_ACTOR, "bench");
    const job = await waitForJob(jobId, { timeoutMs: 3_600_000, pollMs: 100 });
    const panelMs = performance.now() - p0;
    const backupRss = rss.stop();
    if (job.status !== "succeeded") throw new Error(`panel backup ${job.status}: ${job.error}`);
    const backup = await db.backup.findFirstOrThrow({ where: { jobId } });
    const { uncompressedBytes } = await readGzipTail(backup.fileName);

    global.gc?.();
    const dl = sampleRss();
    const d0 = performance.now();
    const res = await createBackupDownload(backup.id, null, CLI_ACTOR);
    let downloaded = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) downloaded += chunk.length;
    const downloadMs = performance.now() - d0;
    const downloadRss = dl.stop();

    const rate = (bytes: number, ms: number) => `${(bytes / 1_000_000 / (ms / 1000)).toFixed(1)} MB/s`;
    console.log(`SQL: ${mb(uncompressedBytes)} uncompressed; panel file ${mb(backup.sizeBytes ?? 0)}, manual file ${mb(manualSize)}`);
    console.log(
      `  manual  ssh docker exec pxlfox-db mariadb-dump | gzip > file: ${(manualMs / 1000).toFixed(2)} s = ${rate(uncompressedBytes, manualMs)} of SQL`,
    );
    console.log(
      `  panel   backup job (dump+gzip in the container, stream, sha256, gunzip+scan on the way, re-hash the stored file): ${(panelMs / 1000).toFixed(2)} s = ${rate(uncompressedBytes, panelMs)} of SQL`,
    );
    console.log(
      `  ratio   panel / manual = ${(panelMs / manualMs).toFixed(2)}  (the panel also counts rows beside the dump, gunzips and scans the stream to check it and to count and digest the dumped rows, and re-hashes the stored file)`,
    );
    console.log(
      `  panel RSS growth: peak +${mb(backupRss)} during the backup; +${mb(downloadRss)} during a download of ${mb(downloaded)} (${(downloadMs / 1000).toFixed(2)} s)`,
    );

    // The same with encryption at rest: written through the cipher, verified and downloaded through decryption.
    await db.stack.update({ where: { name: "pixelfox" }, data: { backupEncryption: true } });
    try {
      global.gc?.();
      const encRss = sampleRss();
      const q0 = performance.now();
      const enc = await startBackup("pixelfox", CLI_ACTOR, "bench");
      const encJob = await waitForJob(enc.jobId, { timeoutMs: 3_600_000, pollMs: 100 });
      const encMs = performance.now() - q0;
      const encBackupRss = encRss.stop();
      if (encJob.status !== "succeeded") throw new Error(`encrypted panel backup ${encJob.status}: ${encJob.error}`);
      const encBackup = await db.backup.findFirstOrThrow({ where: { jobId: enc.jobId } });
      global.gc?.();
      const encDl = sampleRss();
      const r0 = performance.now();
      const encRes = await createBackupDownload(encBackup.id, null, CLI_ACTOR);
      let encDownloaded = 0;
      for await (const chunk of encRes.body as unknown as AsyncIterable<Uint8Array>) encDownloaded += chunk.length;
      const encDownloadMs = performance.now() - r0;
      console.log(
        `  encrypted at rest: backup ${(encMs / 1000).toFixed(2)} s = ${rate(uncompressedBytes, encMs)} of SQL (${(encMs / panelMs).toFixed(2)} × the plain one), peak RSS +${mb(encBackupRss)}; download with decryption ${mb(encDownloaded)} in ${(encDownloadMs / 1000).toFixed(2)} s = ${rate(encDownloaded, encDownloadMs)}, peak RSS +${mb(encDl.stop())}`,
      );
    } finally {
      await db.stack.update({ where: { name: "pixelfox" }, data: { backupEncryption: false } });
    }
    await benchCipher();
  } finally {
    rootSql(host, `REVOKE SELECT ON ${SCRATCH}.* FROM ${grantee}; DROP DATABASE IF EXISTS ${SCRATCH};`);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
