import { removeTestDataDir } from "@/server/jobs/testing/test-db";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import type { CheckResult } from "@/server/services/health/types";
import { evaluateAlerts } from "./evaluate";
import { listAlertRules } from "./rules";

afterAll(async () => {
  await db.$disconnect();
  removeTestDataDir();
});

const STACK = { id: "stack-default-rules", name: "pixelfox" };
const check = (over: Partial<CheckResult>): CheckResult => ({
  subject: "x",
  kind: "host",
  hostId: "h",
  hostName: "app",
  status: "ok",
  reason: null,
  latencyMs: 1,
  checkedAt: "",
  metrics: {},
  details: {},
  ...over,
});

/** One sweep that breaks every default rule, or satisfies all of them. */
function sweep(bad: boolean): CheckResult[] {
  return [
    check({
      subject: "cache@cache",
      kind: "cache",
      hostName: "cache",
      status: bad ? "down" : "ok",
      reason: bad ? "pxlfox-cache is exited on cache" : null,
    }),
    check({ subject: "host:app", details: { mounts: [{ mount: "/srv", usedPct: bad ? 95 : 40, inodesUsedPct: bad ? 93 : 10 }] } }),
    check({
      subject: "host:db",
      hostName: "db",
      status: bad ? "down" : "ok",
      ...(bad
        ? {
            reason: "db presented a different SSH host key",
            failure: { code: "HOST_KEY_MISMATCH", category: "hostkey", message: "changed" },
          }
        : {}),
    }),
    check({ subject: "proxy@app", kind: "proxy", metrics: { certDays: bad ? 9 : 60 } }),
  ];
}

async function deployment(status: string, startedAt: Date) {
  await db.deployment.create({
    data: {
      stackId: STACK.id,
      jobId: `job-${status}-${startedAt.getTime()}`,
      tag: "v1.2.0-broken",
      actorLabel: "test",
      status,
      startedAt,
      error: status === "failed" ? "health gate failed" : null,
    },
  });
}
async function goodBackup(createdAt: Date) {
  await db.backup.create({
    data: { stackId: STACK.id, fileName: `b-${createdAt.getTime()}.sql.gz`, actorLabel: "test", status: "good", verified: true, createdAt },
  });
}

describe("the default alert rules", () => {
  it("exist with the issue's thresholds", async () => {
    const rules = new Map((await listAlertRules()).map((r) => [r.kind, r]));
    expect([...rules.keys()].sort()).toEqual([
      "audit_regressed",
      "backup_stale",
      "cert",
      "deploy_failed",
      "disk",
      "down",
      "hostkey",
      "inodes",
    ]);
    expect(rules.get("down")).toMatchObject({ enabled: true, consecutive: 2 });
    expect(rules.get("disk")).toMatchObject({ enabled: true, threshold: 90 });
    expect(rules.get("inodes")).toMatchObject({ enabled: true, threshold: 90 });
    expect(rules.get("cert")).toMatchObject({ enabled: true, threshold: 14 });
    expect(rules.get("hostkey")?.enabled).toBe(true);
    expect(rules.get("deploy_failed")?.enabled).toBe(true);
    expect(rules.get("backup_stale")?.enabled).toBe(true);
    expect(rules.get("audit_regressed")).toMatchObject({ enabled: true, consecutive: 1 });
  });

  it("each fire on a sweep that breaks it, once, and recover when it is fixed", async () => {
    const t0 = Date.now();
    await deployment("failed", new Date(t0 - 60_000));
    await goodBackup(new Date(t0 - 30 * 3_600_000));
    const first = await evaluateAlerts(STACK, sweep(true), new Date(t0));
    // "down" waits for its second failed check in a row; everything else fires at once.
    expect(
      first
        .filter((a) => a.action === "fire")
        .map((a) => a.rule)
        .sort(),
    ).toEqual(["backup_stale", "cert", "deploy_failed", "disk", "hostkey", "inodes"]);
    const second = await evaluateAlerts(STACK, sweep(true), new Date(t0 + 30_000));
    expect(
      second
        .filter((a) => a.action === "fire")
        .map((a) => `${a.rule} ${a.subject}`)
        .sort(),
    ).toEqual(["down cache@cache", "down host:db"]);

    const firing = await db.alertEvent.findMany({ where: { stackId: STACK.id, status: "firing" } });
    expect(new Set(firing.map((e) => e.ruleKind))).toEqual(
      new Set(["down", "disk", "inodes", "cert", "hostkey", "deploy_failed", "backup_stale"]),
    );
    expect(firing.find((e) => e.ruleKind === "cert")?.message).toMatch(/expires in 9 days \(alert under 14\)/);
    expect(firing.find((e) => e.ruleKind === "backup_stale")?.message).toMatch(/30 h old \(alert above 26 h\)/);

    await deployment("succeeded", new Date(t0 + 40_000));
    await goodBackup(new Date(t0 + 40_000));
    const fixed = await evaluateAlerts(STACK, sweep(false), new Date(t0 + 60_000));
    expect(fixed.filter((a) => a.action === "recover")).toHaveLength(firing.length);
    expect(await db.alertEvent.count({ where: { stackId: STACK.id, status: "firing" } })).toBe(0);
  });
});
