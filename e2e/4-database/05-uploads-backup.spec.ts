import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { onHost } from "../support/fleet";
import { panelCli, signIn } from "../support/panel";
import { trpcMutation, trpcQuery } from "../support/trpc";
import { sha256 } from "./db-fixtures";
import { BACKUP_DIR, listBackups } from "./fault-fixtures";

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };
const UPLOADS = "/srv/pixelfox/uploads";
const TEST_DIR = `e2e-uploads-${randomBytes(4).toString("hex")}`;

/** Files the test puts into the app host's uploads, with their exact content (one binary, one empty, a space in a name). */
const FILES: Record<string, Buffer> = {
  [`${TEST_DIR}/2026/11/fox.jpg`]: randomBytes(300_000),
  [`${TEST_DIR}/2026/11/notes for alt text.txt`]: Buffer.from("a fox in the snow\n"),
  [`${TEST_DIR}/empty.png`]: Buffer.alloc(0),
};

const onAppHost = (argv: string[], input?: Buffer) => onHost("app", argv, input);

let admin = "";
const local = mkdtempSync(path.join(tmpdir(), "pxf-e2e-uploads-"));

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  panelCli(["fleet", "import"]);
  admin = panelCli(["token", "create", "--name", "e2e-uploads-admin", "--role", "admin"]).trim().split("\n").pop() ?? "";
  // Copy the files in as a tar through SSH (names with spaces stay intact, nothing goes through a shell).
  for (const [name, body] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(local, "in", name)), { recursive: true });
    writeFileSync(path.join(local, "in", name), body);
  }
  onAppHost(["tar", "-xf", "-", "-C", UPLOADS], execFileSync("tar", ["-cf", "-", "-C", path.join(local, "in"), TEST_DIR]));
});

test.afterAll(() => {
  onAppHost(["rm", "-rf", `${UPLOADS}/${TEST_DIR}`]);
  rmSync(local, { recursive: true, force: true });
});

test("back up uploads: good with the host and file count, downloads as a .tar.gz holding the exact files", async ({ page, request }) => {
  const expectedFiles = Number(onAppHost(["find", UPLOADS, "-type", "f", "-printf", "."]).length);
  expect(expectedFiles).toBeGreaterThanOrEqual(3);
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/database/pixelfox");
  await page.getByRole("button", { name: "Back up uploads" }).click();
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });

  const backup = (await listBackups(page.request)).find((b) => b.kind === "uploads")!;
  expect(backup).toMatchObject({ status: "good", verified: true, hostName: "app" });
  expect(backup.rowCounts.files).toBe(expectedFiles);
  const row = page.getByTestId(`backup-${backup.id}`);
  await expect(row).toContainText("good");
  await expect(row.getByTestId("backup-kind")).toContainText("uploads");
  await expect(row.getByTestId("backup-host")).toHaveText("app");
  await expect(row.getByTestId("backup-files")).toHaveText(`${expectedFiles} files`);
  // An uploads archive is not a database dump: no drill offered for it.
  await expect(row.getByRole("button", { name: "Drill" })).toHaveCount(0);
  await expect(row.getByRole("link", { name: "Download" })).toBeVisible();

  const res = await request.get(`/api/backups/${backup.id}/download`, { headers: { authorization: `Bearer ${admin}` } });
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("application/gzip");
  expect(res.headers()["content-disposition"]).toMatch(new RegExp(`filename="uploads-app-[0-9T-]+-${backup.id}\\.tar\\.gz"`));
  const body = await res.body();
  expect(sha256(body)).toBe(backup.sha256);
  expect(readFileSync(path.join(BACKUP_DIR, `${backup.id}.tar.gz`)).equals(body)).toBe(true);

  const archive = path.join(local, "download.tar.gz");
  writeFileSync(archive, body);
  const listed = execFileSync("tar", ["-tzf", archive], { encoding: "utf8" })
    .split("\n")
    .filter((l) => l && !l.endsWith("/"));
  expect(listed).toHaveLength(expectedFiles);
  mkdirSync(path.join(local, "out"));
  execFileSync("tar", ["-xzf", archive, "-C", path.join(local, "out")]);
  for (const [name, content] of Object.entries(FILES)) {
    expect(sha256(readFileSync(path.join(local, "out", "uploads", name))), name).toBe(sha256(content));
  }
});

test("restore uploads: a safety archive first, lost files come back, files added since stay", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  const backup = (await listBackups(page.request)).find((b) => b.kind === "uploads" && b.status === "good")!;
  const [lost] = Object.keys(FILES);
  onAppHost(["rm", "-f", `${UPLOADS}/${lost}`]);
  const added = `${TEST_DIR}/added after the backup.txt`;
  onAppHost(["tee", `${UPLOADS}/${added}`], Buffer.from("newer than the backup\n"));

  await page.goto("/database/pixelfox");
  await page.getByTestId(`backup-${backup.id}`).getByRole("button", { name: "Restore" }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText("Restore the uploads on app?");
  await expect(dialog).toContainText("nothing is deleted");
  await dialog.getByLabel(/^Type/).fill("app");
  await dialog.getByRole("button", { name: "Restore" }).click();
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });

  expect(sha256(Buffer.from(onAppHost(["base64", "-w0", `${UPLOADS}/${lost}`]), "base64"))).toBe(sha256(FILES[lost!]!));
  expect(onAppHost(["cat", `${UPLOADS}/${added}`])).toBe("newer than the backup\n");
  // The safety archive, taken before, holds the state the restore started from: the added file, not the lost one.
  const safety = (await listBackups(page.request)).find((b) => b.kind === "uploads" && b.reason === "safety")!;
  expect(safety).toMatchObject({ status: "good", hostName: "app" });
  const archive = path.join(local, "safety.tar.gz");
  writeFileSync(archive, readFileSync(path.join(BACKUP_DIR, `${safety.id}.tar.gz`)));
  const listed = execFileSync("tar", ["-tzf", archive], { encoding: "utf8" });
  expect(listed).toContain(`uploads/${added}`);
  expect(listed).not.toContain(`uploads/${lost}`);
});

test("with encryption at rest on, the stored archive is encrypted and the download is the plain .tar.gz", async ({ page, request }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await trpcMutation(page.request, "stack.setBackupEncryption", { idOrName: "pixelfox", enabled: true });
  try {
    const { jobId } = await trpcMutation<{ jobId: string }>(page.request, "backups.createUploads", { stack: "pixelfox" });
    await expect
      .poll(async () => (await listBackups(page.request)).find((b) => b.jobId === jobId)?.status, { timeout: 60_000 })
      .toBe("good");
    const backup = (await listBackups(page.request)).find((b) => b.jobId === jobId)!;
    const stored = readFileSync(path.join(BACKUP_DIR, `${backup.id}.tar.gz`));
    expect(stored.subarray(0, 8).toString("latin1")).toBe("PXFENC1\n");
    const res = await request.get(`/api/backups/${backup.id}/download`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status()).toBe(200);
    const body = await res.body();
    expect(sha256(body)).toBe(backup.sha256);
    expect(body.subarray(0, 2).toString("hex")).toBe("1f8b");
    const archive = path.join(local, "encrypted-download.tar.gz");
    writeFileSync(archive, body);
    const name = Object.keys(FILES)[0]!;
    expect(sha256(execFileSync("tar", ["-xzOf", archive, `uploads/${name}`], { maxBuffer: 1 << 24 }))).toBe(sha256(FILES[name]!));
  } finally {
    await trpcMutation(page.request, "stack.setBackupEncryption", { idOrName: "pixelfox", enabled: false });
  }
});

test("an uploads schedule archives every few seconds and its retention keeps the newest per host", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/database/pixelfox");
  await page.getByRole("button", { name: "Add schedule" }).click();
  const form = page.getByTestId("schedule-form");
  await form.getByLabel("Kind").selectOption("uploads");
  await form.getByLabel("Cron (UTC)").fill("*/4 * * * * *");
  await form.getByLabel("Keep last").fill("1");
  await form.getByLabel("Daily").fill("0");
  await form.getByLabel("Weekly").fill("0");
  await form.getByRole("button", { name: "Save schedule" }).click();
  await expect(form).toBeHidden();
  type Schedule = { id: string; kind: string };
  const schedule = (await trpcQuery<Schedule[]>(page.request, "schedules.list", { stack: "pixelfox" })).find((s) => s.kind === "uploads")!;
  const scheduled = async () =>
    (await listBackups(page.request)).filter((b) => b.kind === "uploads" && b.status === "good" && b.reason === "schedule");
  try {
    // The first scheduled archive…
    let first = "";
    await expect.poll(async () => (first = (await scheduled())[0]?.id ?? ""), { timeout: 30_000, intervals: [500] }).not.toBe("");
    // …is removed by the retention of a later run, which keeps just the newest archive of the host.
    await expect
      .poll(
        async () => {
          const uploads = (await listBackups(page.request)).filter(
            (b) => b.kind === "uploads" && b.hostName === "app" && b.status === "good",
          );
          return { hasFirst: uploads.some((b) => b.id === first), count: uploads.length };
        },
        { timeout: 30_000, intervals: [500] },
      )
      .toEqual({ hasFirst: false, count: 1 });
    // Database backups are another scope: an uploads retention never touches them.
    expect((await listBackups(page.request)).some((b) => b.kind === "mysql" && b.status === "good")).toBe(true);
    await expect(page.getByTestId(`schedule-${schedule.id}`)).toContainText("last 1");
  } finally {
    await trpcMutation(page.request, "schedules.delete", { id: schedule.id });
  }
  // No run is left going when the next spec starts.
  await expect
    .poll(async () => (await listBackups(page.request)).filter((b) => b.status === "running").length, { timeout: 30_000 })
    .toBe(0);
});
