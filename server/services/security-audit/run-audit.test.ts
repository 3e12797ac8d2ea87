import { removeTestDataDir } from "@/server/jobs/testing/test-db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "@/server/crypto";
import { db } from "@/server/db";
import { waitForJob } from "@/server/jobs";
import type { HostAuditResult } from "@/server/domain/security-audit";
import type { Actor } from "@/server/services/auth/actor";
import { readFixture } from "./parsers/read-fixture";
import { securityOverview } from "./runs";
import { startSecurityAudit } from "./start-audit";
import { createFakeAuditPorts, encodeAuditOutput, type FakeAuditWorld } from "./testing/fake-audit-ports";

const admin: Actor = { kind: "user", id: null, label: "admin@example.com", role: "ADMIN" };
const STRONG = "Zq8v3LrT0pWm6yXc2NbK9sHd4FgJ7aUe1";

const sections = (sshd: string, ufw: string) => ({
  uid: "0",
  sshdT: readFixture(sshd),
  ufw: readFixture(ufw),
  nft: "",
  iptables: readFixture("iptables-save-empty.txt"),
  ip6tables: "",
  ss: readFixture("ss-ltnH.txt"),
});

const world: FakeAuditWorld = {
  outputs: new Map([
    ["app1", encodeAuditOutput(sections("sshd-T-hardened.txt", "ufw-status-assorted.txt"))],
    ["data1", encodeAuditOutput(sections("sshd-T-insecure.txt", "ufw-status-db-role.txt"))],
    ["cache1", encodeAuditOutput(sections("sshd-T-hardened.txt", "ufw-status-inactive.txt"))],
  ]),
  open: new Set(["203.0.113.11:3306"]),
  cacheAnonymous: new Map([["cache1", "PONG"]]),
  db: { rootHosts: ["localhost"], seeded: ["admin@test.de"] },
  site: { status: 200, headers: { "x-frame-options": "DENY" } },
};
const { ports, docker } = createFakeAuditPorts(world);

const results = async () => (await securityOverview("audited")).latest!.results;
const verdict = (rs: HostAuditResult[], host: string, id: string) =>
  rs.find((h) => h.host === host)?.checks.find((c) => c.id === id)?.verdict;
const run = async () => {
  const { jobId } = await startSecurityAudit("audited", admin, "manual", ports);
  const job = await waitForJob(jobId, { timeoutMs: 30_000 });
  expect(job.status, job.error ?? "").toBe("succeeded");
  return jobId;
};

beforeAll(async () => {
  process.env.PANEL_SECRET = "run-audit-test-secret-0123456789abcdefgh";
  const stack = await db.stack.create({
    data: { name: "audited", publicDomain: "https://pixelfox.test", imageRepository: "ghcr.io/pixelfox/pixelfox" },
  });
  let n = 10;
  for (const [name, kind, priv] of [
    ["app1", "app", "10.0.0.30"],
    ["data1", "db", "10.0.0.10"],
    ["cache1", "cache", "10.0.0.20"],
  ] as const) {
    const host = await db.host.create({
      data: {
        name,
        address: `203.0.113.${n++}`,
        privateAddress: priv,
        sshUser: "root",
        privateKeyEnc: encryptSecret("placeholder-key", "host.privateKey"),
        hostKeyFingerprint: `SHA256:${"A".repeat(43)}`,
        hostKeyState: "PINNED",
      },
    });
    await db.service.create({ data: { stackId: stack.id, hostId: host.id, kind, containerName: `pxlfox-${kind}` } });
  }
  docker.addContainer("data1", {
    name: "pxlfox-db",
    image: "mysql:8.4",
    env: ["MYSQL_ROOT_PASSWORD=root-pw-that-must-not-leak-1234", "MYSQL_DATABASE=pixelfox_db", "MYSQL_USER=pixelfox", "MYSQL_PASSWORD=x"],
    hostConfig: { NetworkMode: "bridge", PortBindings: { "3306/tcp": [{ HostIp: "", HostPort: "3306" }] } },
  });
  docker.addContainer("cache1", {
    name: "pxlfox-cache",
    image: "dragonfly",
    hostConfig: { NetworkMode: "bridge", PortBindings: { "6379/tcp": [{ HostIp: "", HostPort: "6379" }] } },
  });
  docker.addContainer("app1", {
    name: "pxlfox-app",
    image: "ghcr.io/pixelfox/pixelfox:v1",
    env: [
      "PUBLIC_DOMAIN=https://pixelfox.test",
      "APP_HOST=0.0.0.0",
      "DB_HOST=10.0.0.10",
      "DB_NAME=pixelfox_db",
      "DB_USER=pixelfox",
      `DB_PASSWORD=${STRONG}`,
      "UPLOAD_TOKEN_SECRET=change_this_secret",
      `REPLICATION_SECRET=${STRONG}x`,
    ],
    hostConfig: { NetworkMode: "bridge", PortBindings: { "4000/tcp": [{ HostIp: "127.0.0.1", HostPort: "4000" }] } },
  });
});
afterAll(async () => {
  await db.$disconnect();
  removeTestDataDir();
});

describe("the audit job", () => {
  it("judges every host of the stack, stores the run with a score, and never stores a secret's value", async () => {
    await run();
    const rs = await results();
    expect(rs.map((h) => h.host).sort()).toEqual(["app1", "cache1", "data1"]);
    expect(verdict(rs, "data1", "db-seeded-accounts")).toBe("fail");
    expect(verdict(rs, "data1", "ports-published:3306")).toBe("fail");
    expect(verdict(rs, "cache1", "cache-auth-required")).toBe("fail");
    expect(verdict(rs, "cache1", "firewall-active")).toBe("fail");
    expect(verdict(rs, "app1", "env:secret-placeholder:UPLOAD_TOKEN_SECRET")).toBe("fail");
    expect(verdict(rs, "app1", "ports-4000-internal")).toBe("pass");
    const ov = await securityOverview("audited");
    expect(ov.latest!.score).toBe(Math.round((100 * ov.latest!.passed) / (ov.latest!.passed + ov.latest!.failed)));
    expect(ov.latest!.changes).toEqual([]);
    const stored = JSON.stringify(await db.securityAuditRun.findMany());
    for (const secret of ["root-pw-that-must-not-leak-1234", STRONG, "change_this_secret"]) expect(stored).not.toContain(secret);
  });

  it("a check that passed and fails now is a change and fires the audit_regressed alert; fixed, it resolves", async () => {
    world.cacheAnonymous.set("cache1", "NOAUTH Authentication required.");
    await run();
    expect(verdict(await results(), "cache1", "cache-auth-required")).toBe("pass");
    world.cacheAnonymous.set("cache1", "PONG");
    await run();
    const ov = await securityOverview("audited");
    expect(ov.latest!.changes).toContainEqual(
      expect.objectContaining({ host: "cache1", checkId: "cache-auth-required", from: "pass", to: "fail" }),
    );
    const firing = await db.alertEvent.findMany({ where: { ruleKind: "audit_regressed", status: "firing" } });
    expect(firing.map((e) => e.subject)).toEqual(["audit:cache1:cache-auth-required"]);
    expect(firing[0]!.message).toMatch(/^Security audit check regressed: An unauthenticated PING is refused on cache1/);
    world.cacheAnonymous.set("cache1", "NOAUTH Authentication required.");
    await run();
    expect(await db.alertEvent.count({ where: { ruleKind: "audit_regressed", status: "firing" } })).toBe(0);
    expect(await db.alertEvent.count({ where: { ruleKind: "audit_regressed", status: "resolved" } })).toBe(1);
  });

  it("refuses a second audit of the stack while one runs", async () => {
    const first = startSecurityAudit("audited", admin, "manual", ports);
    const second = startSecurityAudit("audited", admin, "manual", ports);
    const outcomes = await Promise.allSettled([first, second]);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(refused).toHaveLength(1);
    expect(String(refused[0]!.reason)).toMatch(/already running/);
    for (const o of outcomes) if (o.status === "fulfilled") await waitForJob(o.value.jobId, { timeoutMs: 30_000 });
  });
});
