import { createHash } from "node:crypto";
import Docker from "dockerode";
import mysql from "mysql2/promise";
import { fleetHost, fleetStatus } from "../support/fleet";

export const BROKEN_TAG = "e2e-broken-migration";

function appDocker(): Docker {
  return new Docker({ socketPath: fleetHost("app").dockerSocket });
}

function tarOneFile(path: string, body: string): Buffer {
  const data = Buffer.from(body);
  const header = Buffer.alloc(512);
  header.write(path, 0);
  header.write("0000644\0", 100);
  header.write("0000000\0", 108);
  header.write("0000000\0", 116);
  header.write(`${data.length.toString(8).padStart(11, "0")}\0`, 124);
  header.write(
    `${Math.floor(Date.now() / 1000)
      .toString(8)
      .padStart(11, "0")}\0`,
    136,
  );
  header.write("        ", 148);
  header.write("0", 156);
  header.write("ustar\0" + "00", 257);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  const pad = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([header, data, pad, Buffer.alloc(1024)]);
}

/**
 * Builds, on the app host, an image of the stack's repository whose /app/migrations has an extra
 * version 4 that fails at its second statement (the first one is harmless).
 */
export async function buildBrokenMigrationImage(): Promise<void> {
  const docker = appDocker();
  const repo = fleetStatus().registry.repository;
  const container = await docker.createContainer({ Image: `${repo}:v1.1.0`, Cmd: ["/bin/true"] });
  try {
    await container.putArchive(tarOneFile("migrations/000004_broken.up.sql", "SELECT 1;\nALTER TABLE no_such_table ADD COLUMN x INT;\n"), {
      path: "/app",
    });
    await container.commit({ repo, tag: BROKEN_TAG });
  } finally {
    await container.remove({ force: true });
  }
}

export async function removeBrokenMigrationImage(): Promise<void> {
  await appDocker()
    .getImage(`${fleetStatus().registry.repository}:${BROKEN_TAG}`)
    .remove({ force: true })
    .catch(() => undefined);
}

/** A direct connection to the fleet's database as the app user (to change data and check a restore). */
export async function appDb() {
  const s = fleetStatus().stack.db;
  return mysql.createConnection({ host: s.host, port: s.port, user: s.user, password: s.password, database: s.name });
}

export function sha256(buf: Buffer): string {
  return createHash("sha256").update(buf).digest("hex");
}

function dbDocker(): Docker {
  return new Docker({ socketPath: fleetHost("db").dockerSocket });
}

/** Runs SQL as root inside pxlfox-db (password in the exec environment), returning stdout. */
export async function rootSql(sql: string): Promise<string> {
  const exec = await dbDocker()
    .getContainer("pxlfox-db")
    .exec({
      Cmd: ["mariadb", "--user=root", "-N", "-B", "-e", sql],
      Env: [`MYSQL_PWD=${fleetStatus().stack.db.rootPassword}`],
      AttachStdout: true,
      AttachStderr: true,
    });
  const stream = await exec.start({});
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", resolve);
    stream.on("error", reject);
  });
  const info = await exec.inspect();
  // Docker's multiplexed frames: 8-byte headers, then the payload.
  const raw = Buffer.concat(chunks);
  let out = "";
  for (let i = 0; i + 8 <= raw.length;) {
    const len = raw.readUInt32BE(i + 4);
    out += raw.subarray(i + 8, i + 8 + len).toString("utf8");
    i += 8 + len;
  }
  if (info.ExitCode !== 0) throw new Error(`root SQL failed (${info.ExitCode}): ${out}`);
  return out;
}

export async function stopDbContainer(): Promise<void> {
  await dbDocker().getContainer("pxlfox-db").stop({ t: 1 });
}

/** Starts pxlfox-db (if stopped) and waits until the app user can query again. */
export async function startDbContainer(timeoutMs = 60_000): Promise<void> {
  await dbDocker()
    .getContainer("pxlfox-db")
    .start()
    .catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 304) throw err;
    });
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const conn = await appDb();
      await conn.query("SELECT 1");
      await conn.end();
      return;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
