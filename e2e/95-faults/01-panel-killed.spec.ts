import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { faultScenario } from "../support/fault-table";
import { dockerApi, fleetHost } from "../support/fleet";
import { servedVersion } from "../support/traffic";
import { trpcMutation, trpcQuery } from "../support/trpc";
import { countDaemonLogRequests, LIVE_SCRIPT, removeLogContainer, startLogContainer, TEST_PREFIX } from "../3-logs/log-fixtures";
import { rootSql } from "../4-database/db-fixtures";
import { useScratchDatabase } from "../4-database/fault-fixtures";
import { gateHolding, FaultPanel, until, versionsToDeploy } from "./fault-panel";

// The panel process SIGKILLed in the middle of its work, then started again on the same store.

test.describe.configure({ mode: "serial" });

const panel = new FaultPanel(3202, "/tmp/pxf-e2e-faults-killed");
const SCRATCH = "pxf_fault_killed";
let restoreDb: (() => Promise<void>) | null = null;

test.beforeAll(async ({ playwright }) => {
  test.setTimeout(120_000);
  // A start period keeps the deploy's candidate in the health gate long enough to kill the panel there.
  await panel.setUp(playwright, gateHolding(8000));
  restoreDb = (await useScratchDatabase(panel.api, SCRATCH, 400_000)).restore;
});

test.afterAll(async () => {
  await restoreDb?.();
  await rootSql("SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'pxf\\_drill\\_%'").then(async (out) => {
    for (const name of out.split("\n").filter(Boolean)) await rootSql(`DROP DATABASE IF EXISTS \`${name}\``);
  });
  await removeLogContainer(fleetHost("cache").dockerSocket, `${TEST_PREFIX}killed`);
  await panel.tearDown();
});

/** Processes on this machine (every fleet host shares its pid namespace) whose command line mentions `needle`. */
function processesMentioning(needle: string): string[] {
  const out = execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" });
  return out.split("\n").filter((l) => l.includes(needle) && !l.includes("ps -eo"));
}

faultScenario(
  "panel SIGKILL during a backup",
  "job interrupted with its steps; backup failed with the reason, partial file deleted, not counted; no dump left running on the db host",
  async (_args, observe) => {
    test.setTimeout(180_000);
    const goodBefore = (await panel.backups()).filter((b) => b.status === "good").length;
    const { jobId, backup, size } = await panel.startStreamingBackup();
    expect(processesMentioning(SCRATCH).length, "the dump runs on the db host").toBeGreaterThan(0);
    panel.kill();
    observe(`killed with ${backup.id} being dumped (${Math.round(size / 1024)} KB written)`);
    // The dump's output has nowhere to go: it stops on the host without the panel.
    await until("the remote dump to end", () => (processesMentioning(SCRATCH).length === 0 ? true : undefined), 30_000);
    observe("dump process on db: gone");
    await panel.start();

    const job = await panel.job(jobId);
    expect(job.status).toBe("interrupted");
    expect(job.steps.find((s) => s.key === "dump")?.status).toBe("interrupted");
    observe(`job: ${job.status} (dump step ${job.steps.find((s) => s.key === "dump")?.status})`);
    const after = (await panel.backups()).find((b) => b.id === backup.id)!;
    expect(after.status).toBe("failed");
    expect(after.verified).toBe(false);
    expect(after.error).toMatch(/panel stopped while this backup was being taken/);
    observe(`backup: ${after.status} — "${after.error}"`);
    expect(panel.backupFiles().filter((f) => f.startsWith(backup.id))).toEqual([]);
    observe("partial file: deleted");
    expect((await panel.backups()).filter((b) => b.status === "good").length).toBe(goodBefore);
    expect(await panel.lock()).toBeNull();
    observe("good backups unchanged; stack lock free");
  },
);

faultScenario(
  "panel SIGKILL during a restore drill",
  "drill marked interrupted (not passed, not failed); the next drill drops the scratch database it left and passes",
  async (_args, observe) => {
    test.setTimeout(240_000);
    const { jobId: backupJob } = await trpcMutation<{ jobId: string }>(panel.api, "backups.create", { stack: "pixelfox" });
    expect((await panel.waitForJobEnd(backupJob)).status).toBe("succeeded");
    const backup = (await panel.backups()).find((b) => b.jobId === backupJob)!;
    const { jobId } = await trpcMutation<{ jobId: string }>(panel.api, "backups.drill", { id: backup.id });
    await panel.waitForStep(jobId, "restore");
    const scratch = `pxf_drill_${jobId}`.slice(0, 64);
    await until("the scratch database", async () => ((await rootSql(`SHOW DATABASES LIKE '${scratch}'`)).trim() ? true : undefined));
    panel.kill();
    observe(`killed while restoring into ${scratch}`);
    await panel.start();

    const job = await panel.job(jobId);
    expect(job.status).toBe("interrupted");
    const marked = (await panel.backups()).find((b) => b.id === backup.id)!;
    expect(marked.drillStatus).toBe("interrupted");
    expect(marked.status).toBe("good");
    observe(`job ${job.status}; drill ${marked.drillStatus}; backup still ${marked.status}`);
    expect((await rootSql(`SHOW DATABASES LIKE '${scratch}'`)).trim()).toBe(scratch);
    observe("scratch database left on db");

    const { jobId: again } = await trpcMutation<{ jobId: string }>(panel.api, "backups.drill", { id: backup.id });
    const ended = await panel.waitForJobEnd(again, 180_000);
    expect(ended.status, ended.error ?? "").toBe("succeeded");
    expect((await rootSql(`SHOW DATABASES LIKE '${scratch}'`)).trim()).toBe("");
    const log = await panel.api.get(`/api/logs/stream?job=${again}`).then((r) => r.text());
    expect(log).toContain(`Dropped ${scratch}, left on db by a drill the panel could not finish`);
    expect((await panel.backups()).find((b) => b.id === backup.id)!.drillStatus).toBe("passed");
    observe("next drill: dropped it (said so in its log) and passed");
  },
);

faultScenario(
  "panel SIGKILL during a log stream",
  "the host's dockerd serves no logs request afterwards (no remote docker logs keeps streaming)",
  async (_args, observe) => {
    const socket = fleetHost("cache").dockerSocket;
    const name = `${TEST_PREFIX}killed`;
    await startLogContainer(socket, name, LIVE_SCRIPT);
    const baseline = await countDaemonLogRequests(socket);
    const res = await fetch(`${panel.url}/api/logs/stream?host=cache&container=${name}&tail=5&follow=1`, {
      headers: { authorization: `Bearer ${panel.token}` },
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = "";
    while (!/live \d+/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    expect(await countDaemonLogRequests(socket)).toBe(baseline + 1);
    observe(`streaming (${baseline + 1} logs request on cache's dockerd)`);
    panel.kill();
    await reader.cancel().catch(() => undefined);
    await expect.poll(() => countDaemonLogRequests(socket), { timeout: 15_000 }).toBe(baseline);
    observe(`after the kill: ${baseline} logs request(s) on the host`);
    await panel.start();
  },
);

faultScenario(
  "panel SIGKILL during a deploy",
  "job and deployment interrupted; lock free; the old version serves throughout; the candidate left running is listed and can be removed (audited); the next deploy succeeds",
  async (_args, observe) => {
    test.setTimeout(240_000);
    const { pingUrl, before, target } = await versionsToDeploy();
    const jobId = await panel.deploy(target);
    await panel.waitForStep(jobId, "gate:app");
    panel.kill();
    expect(await servedVersion(pingUrl)).toBe(before);
    observe(`killed in the health gate; ${before} still serves`);
    await panel.start();

    const job = (await panel.job(jobId)) as { status: string; error: string | null; deployment?: { status: string } };
    expect(job.status).toBe("interrupted");
    expect(String(job.error)).toMatch(/panel stopped/i);
    expect(job.deployment?.status).toBe("interrupted");
    expect(await panel.lock()).toBeNull();
    observe(`job ${job.status}, deployment ${job.deployment?.status}, lock free`);
    type Live = { hosts: { host: string; leftovers: { name: string; running: boolean }[] }[] };
    const live = await trpcQuery<Live>(panel.api, "deploy.live", { stack: "pixelfox" });
    const leftover = live.hosts.flatMap((h) => h.leftovers.map((l) => ({ ...l, host: h.host })))[0];
    expect(leftover, "the candidate is listed").toBeDefined();
    expect(leftover!.name).toMatch(/^pxlfox-app-next-/);
    observe(`listed: ${leftover!.name} on ${leftover!.host} (${leftover!.running ? "running" : "stopped"})`);
    const socket = fleetHost(leftover!.host).dockerSocket;
    expect((await dockerApi(socket, "GET", `/containers/${leftover!.name}/json`)).status).toBe(200);
    // Only a -next- candidate of this stack's app can go: the live container is refused, naming the rule,
    // and a name that is no container name is refused naming the field.
    const refusal = async (container: string) => {
      const res = await panel.api.post("/api/trpc/deploy.removeLeftover", {
        data: { json: { stack: "pixelfox", host: leftover!.host, container } },
      });
      return { status: res.status(), message: ((await res.json()) as { error: { json: { message: string } } }).error.json.message };
    };
    expect(await refusal("pxlfox-app")).toEqual({
      status: 400,
      message: "Only a candidate left by a deploy (pxlfox-app-next-…) can be removed here; pxlfox-app is not one",
    });
    expect((await refusal("x; rm -rf /")).message).toMatch(/container/i);
    expect((await dockerApi(socket, "GET", "/containers/pxlfox-app/json")).status).toBe(200);
    await trpcMutation(panel.api, "deploy.removeLeftover", { stack: "pixelfox", host: leftover!.host, container: leftover!.name });
    expect((await dockerApi(socket, "GET", `/containers/${leftover!.name}/json`)).status).toBe(404);
    const audit = await trpcQuery<{ action: string; details: Record<string, unknown> }[]>(panel.api, "audit.list", { limit: 50 });
    expect(audit.find((a) => a.action === "deploy.leftover.remove")?.details).toMatchObject({ container: leftover!.name });
    expect(await servedVersion(pingUrl)).toBe(before);
    observe("removed on the host (checked by Docker), audited; old version still serves");

    panel.cli(["stack", "deploy-settings", "--name", "pixelfox", "--json", JSON.stringify({ healthStartPeriodMs: 0 })]);
    const final = await panel.waitForJobEnd(await panel.deploy(target));
    expect(final.status).toBe("succeeded");
    expect(await servedVersion(pingUrl)).toBe(target);
    observe(`next deploy: ${final.status}, ${target} serves`);
  },
);
