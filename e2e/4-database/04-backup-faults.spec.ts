import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { fleetStatus } from "../support/fleet";
import { panelCli, signIn } from "../support/panel";
import { trpcMutation, trpcQuery } from "../support/trpc";
import { rootSql, startDbContainer, stopDbContainer } from "./db-fixtures";

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };
const BACKUP_DIR = path.join(process.env.E2E_DATA_DIR ?? "/tmp/pxf-e2e-data", "backups");
// Big enough that the dump streams for a few seconds (≈ 55 MB of SQL).
const SCRATCH = "pxf_drill_fault";
const ROWS = 400_000;

type Backup = { id: string; status: string; verified: boolean; error: string | null; jobId: string | null };
type Service = {
  id: string;
  stackId: string;
  hostId: string;
  kind: string;
  containerName: string;
  settings: Record<string, string | number | boolean>;
};

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  panelCli(["fleet", "import"]);
});

test("stopping the db container mid-backup ends as a failed backup with a reason and no partial file", async ({ page }) => {
  test.setTimeout(120_000);
  const appUser = fleetStatus().stack.db.user;
  await rootSql(
    `DROP DATABASE IF EXISTS ${SCRATCH}; CREATE DATABASE ${SCRATCH}; CREATE TABLE ${SCRATCH}.items (id INT PRIMARY KEY, h CHAR(64), note VARCHAR(200)) ENGINE=InnoDB;`,
  );
  await rootSql(
    `USE ${SCRATCH}; INSERT INTO items SELECT seq, SHA2(seq, 256), CONCAT('row ', seq, ' ', MD5(RAND())) FROM seq_1_to_${ROWS};`,
  );
  const userHost = (await rootSql(`SELECT host FROM mysql.user WHERE user = '${appUser}' LIMIT 1`)).trim();
  await rootSql(`GRANT SELECT ON ${SCRATCH}.* TO '${appUser}'@'${userHost}'`);
  await signIn(page, ADMIN.email, ADMIN.password);
  const { services } = await trpcQuery<{ services: Service[] }>(page.request, "stack.get", { idOrName: "pixelfox" });
  const dbService = services.find((s) => s.kind === "db")!;
  const update = (settings: Service["settings"]) =>
    trpcMutation(page.request, "service.update", {
      id: dbService.id,
      stackId: dbService.stackId,
      hostId: dbService.hostId,
      kind: "db",
      containerName: dbService.containerName,
      settings,
    });
  await update({ ...dbService.settings, database: SCRATCH });
  try {
    const { jobId } = await trpcMutation<{ jobId: string }>(page.request, "backups.create", { stack: "pixelfox" });
    let backup: Backup | undefined;
    await expect
      .poll(
        async () => {
          backup = (await trpcQuery<Backup[]>(page.request, "backups.list", { stack: "pixelfox" })).find((b) => b.jobId === jobId);
          const file = backup ? path.join(BACKUP_DIR, `${backup.id}.sql.gz`) : "";
          return file && existsSync(file) ? statSync(file).size > 0 : false;
        },
        { timeout: 30_000, intervals: [100] },
      )
      .toBe(true);
    await stopDbContainer();
    await expect
      .poll(
        async () =>
          (await trpcQuery<Backup[]>(page.request, "backups.list", { stack: "pixelfox" })).find((b) => b.id === backup!.id)?.status,
        { timeout: 30_000 },
      )
      .toBe("failed");
    const failed = (await trpcQuery<Backup[]>(page.request, "backups.list", { stack: "pixelfox" })).find((b) => b.id === backup!.id)!;
    expect(failed.verified).toBe(false);
    expect(failed.error).toMatch(/did not finish|broke|exited/);
    expect(existsSync(path.join(BACKUP_DIR, `${failed.id}.sql.gz`))).toBe(false);
    await page.goto("/database/pixelfox");
    await expect(page.getByTestId(`backup-${failed.id}`)).toContainText("failed");
    await expect(page.getByTestId(`backup-${failed.id}`).getByTestId("backup-error")).not.toBeEmpty();
  } finally {
    await startDbContainer();
    await update(dbService.settings);
    await rootSql(`REVOKE SELECT ON ${SCRATCH}.* FROM '${appUser}'@'${userHost}'; DROP DATABASE IF EXISTS ${SCRATCH};`).catch(
      () => undefined,
    );
  }
});
