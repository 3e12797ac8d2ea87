import "@/server/jobs/testing/test-db";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/server/db";
import { ZChannelInput, ZEmailChannelInput } from "@/server/domain/alerts";
import { ZCreateStackInput } from "@/server/domain/inventory";
import { ZOffsiteSettingsInput } from "@/server/domain/offsite";
import { AppError } from "@/server/errors";
import { readJobLog, waitForJob } from "@/server/jobs/queries";
import { startJob } from "@/server/jobs/runner";
import { removeTestDataDir } from "@/server/jobs/testing/test-db";
import { listChannels, saveChannel } from "@/server/services/alerts/channels";
import { evaluateAlerts } from "@/server/services/alerts/evaluate";
import { listAuditEvents, recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { saveEnvVersion } from "@/server/services/env/app-env";
import { listBackups } from "@/server/services/backups/backups";
import { findDbCredentials } from "@/server/services/health/credentials";
import { redactSweep } from "@/server/services/health/monitor";
import type { CheckResult } from "@/server/services/health/types";
import { createStack } from "@/server/services/inventory/stacks";
import { saveOffsiteSettings } from "@/server/services/offsite/offsite-settings";
import { stackViewFor } from "./mask";
import { collectStackSecrets } from "./stack-secrets";
import { admin, createPinnedHost, placeService, viewer } from "./testing/fixtures";

const sent: string[] = [];
vi.mock("@/server/adapters/notify/webhook", () => ({
  sendWebhook: vi.fn((_url: string, text: string) => {
    sent.push(text);
    return Promise.resolve();
  }),
}));

const REGISTRY_PASSWORD = "reg-Pa55word-Xy";
const S3_SECRET = "s3SecretKeyValue0123456789abcdef";
/** Random-looking: the env rules refuse a guessable UPLOAD_TOKEN_SECRET. */
const ENV_SECRET = "env-upl0ad-Vn4Kx8Qz2Rm7Tb3Lw9Hc5Yp1Gd6Fs0J";
const WEBHOOK_URL = "https://hooks.example.test/services/T000/B000/webhookTokenValue123";
const SMTP_PASSWORD = "smtp-Pa55-value";
const DB_ROOT_PASSWORD = "db-r00t-password-value";
const PLANTED = [REGISTRY_PASSWORD, S3_SECRET, ENV_SECRET, WEBHOOK_URL, SMTP_PASSWORD, DB_ROOT_PASSWORD];

/** Every planted secret in one text, as a broken app or a verbose tool would print them. */
const LEAKY = `reg=${REGISTRY_PASSWORD} s3 ${S3_SECRET} env ${ENV_SECRET} hook ${WEBHOOK_URL} smtp ${SMTP_PASSWORD} root ${DB_ROOT_PASSWORD}`;

const expectNoSecret = (text: string) => {
  for (const secret of PLANTED) expect(text, `leaks ${secret}`).not.toContain(secret);
};

let stackId = "";

beforeAll(async () => {
  const stack = await createStack(
    ZCreateStackInput.parse({
      name: "privacy",
      publicDomain: "https://pixelfox.example.test",
      imageRepository: "registry.example.test/pixelfox/app",
      registryUsername: "ci-robot",
      registryPassword: REGISTRY_PASSWORD,
    }),
    admin,
  );
  stackId = stack.id;
  await saveOffsiteSettings(
    stack.name,
    ZOffsiteSettingsInput.parse({
      enabled: true,
      endpoint: "http://127.0.0.1:4569",
      region: "us-east-1",
      bucket: "backups",
      prefix: "",
      forcePathStyle: true,
      accessKeyId: "AKIAEXAMPLE0001",
      secretAccessKey: S3_SECRET,
    }),
    admin,
  );
  await saveEnvVersion(stack.name, `APP_NAME=pixelfox\nUPLOAD_TOKEN_SECRET=${ENV_SECRET}\n`, "", admin);
  await saveChannel(ZChannelInput.parse({ kind: "webhook", name: "ops-hook", url: WEBHOOK_URL }));
  await saveChannel(
    ZEmailChannelInput.parse({
      kind: "email",
      name: "ops-mail",
      enabled: false,
      host: "smtp.example.test",
      port: 587,
      username: "alerts-sender@example.test",
      password: SMTP_PASSWORD,
      from: "ops@example.test",
      to: ["oncall@example.test"],
    }),
  );
  // A health sweep reads the db container's env: what it saw is remembered for the redaction.
  const host = await createPinnedHost("privacy-db");
  const dbService = await placeService(stack.id, host.id, "db", "pxlfox-db");
  await findDbCredentials(
    {
      name: "pxlfox-db",
      env: ["MYSQL_USER=pixelfox", "MYSQL_PASSWORD=app-db-password", "MYSQL_DATABASE=pixelfox", `MYSQL_ROOT_PASSWORD=${DB_ROOT_PASSWORD}`],
    } as never,
    undefined,
    {} as never,
    dbService.id,
  );
});

afterAll(async () => {
  await db.$disconnect();
  removeTestDataDir();
});

describe("collectStackSecrets", () => {
  it("knows every secret the panel holds or has read for the stack", async () => {
    const secrets = await collectStackSecrets(stackId);
    for (const s of PLANTED) expect(secrets).toContain(s);
    expect(secrets).not.toContain("pixelfox");
  });

  it("knows a secret saved a moment ago (saves invalidate the cache)", async () => {
    await collectStackSecrets(stackId);
    await saveEnvVersion(
      "privacy",
      `APP_NAME=pixelfox\nUPLOAD_TOKEN_SECRET=${ENV_SECRET}\nDB_PASSWORD=fresh-db-Xq7Lm2Rv9Kt4Wz8N\n`,
      "",
      admin,
    );
    expect(await collectStackSecrets(stackId)).toContain("fresh-db-Xq7Lm2Rv9Kt4Wz8N");
  });
});

describe("redaction with the stack's secrets", () => {
  it("keeps every planted secret out of a stack job's log lines and error", async () => {
    const { jobId } = await startJob(
      { kind: "backup", title: "leaky job", stackId, actor: admin, steps: [{ key: "work", label: "Work" }] },
      async (ctx) => {
        ctx.log(LEAKY, "stderr");
        await ctx.step("work", () => {
          throw new AppError("REMOTE_FAILED", `remote said ${S3_SECRET}`);
        });
      },
    );
    const job = await waitForJob(jobId);
    const lines = await readJobLog(jobId);
    expect(lines.some((l) => l.text.includes("[REDACTED]"))).toBe(true);
    for (const l of lines) expectNoSecret(l.text);
    expect(job.status).toBe("failed");
    expectNoSecret(job.error ?? "");
    expectNoSecret(JSON.stringify(job.steps));
  });

  it("keeps them out of every string of a stored audit entry", async () => {
    await recordAuditEvent(admin, { action: "test.leak", target: "privacy", details: { error: LEAKY, nested: { list: [S3_SECRET] } } });
    const row = await db.auditEvent.findFirstOrThrow({ where: { action: "test.leak" } });
    expectNoSecret(row.details);
    expect(row.details).toContain("[REDACTED]");
    // Rows written before a secret was known are redacted as they are read.
    await db.auditEvent.create({ data: { actorLabel: "old", action: "test.old", details: JSON.stringify({ error: LEAKY }) } });
    expectNoSecret(JSON.stringify(await listAuditEvents()));
  });

  it("keeps them out of an alert's stored message and the notification sent", async () => {
    const check: CheckResult = {
      subject: "app@privacy-db",
      kind: "app",
      hostId: null,
      hostName: "privacy-db",
      status: "down",
      reason: `answered 500: ${LEAKY}`,
      latencyMs: null,
      checkedAt: new Date().toISOString(),
      metrics: {},
      details: {},
    };
    await evaluateAlerts({ id: stackId, name: "privacy" }, [check]);
    await evaluateAlerts({ id: stackId, name: "privacy" }, [check]);
    const event = await db.alertEvent.findFirstOrThrow({ where: { stackId, ruleKind: "down" } });
    expect(event.message).toContain("[REDACTED]");
    expectNoSecret(event.message);
    expect(sent.length).toBeGreaterThan(0);
    for (const text of sent) expectNoSecret(text);
  });
});

describe("other texts viewers read", () => {
  it("redacts a health check's reason (a broken app's answer) before the dashboard and alerts see it", async () => {
    const check = { subject: "app@x", kind: "app", status: "down", reason: `answered 500: ${LEAKY}`, details: { body: LEAKY } };
    const sweep = await redactSweep(stackId, { stackId, stackName: "privacy", startedAt: "", durationMs: 1, checks: [check as never] });
    expectNoSecret(JSON.stringify(sweep));
    expect(sweep.checks[0]!.reason).toContain("answered 500: reg=[REDACTED]");
  });

  it("redacts the failure reasons of the backups list", async () => {
    await db.backup.create({
      data: {
        stackId,
        fileName: "leaky0001.sql.gz",
        status: "failed",
        actorLabel: "t",
        error: LEAKY,
        offsiteError: `S3 said ${S3_SECRET}`,
      },
    });
    const [backup] = await listBackups("privacy");
    expect(backup!.error).toContain("[REDACTED]");
    expectNoSecret(JSON.stringify(backup));
  });
});

describe("what a viewer sees", () => {
  it("masks webhook URLs and SMTP usernames for viewers; admins see them", async () => {
    const forViewer = await listChannels(viewer.role);
    const hook = forViewer.find((c) => c.name === "ops-hook")!;
    const mail = forViewer.find((c) => c.name === "ops-mail")!;
    expect(hook.url).toBe("https://hooks.example.test/…(masked)");
    expect(mail.email?.username).toBe("al•••");
    expect(mail.email?.host).toBe("smtp.example.test");
    expectNoSecret(JSON.stringify(forViewer));
    expect(JSON.stringify(forViewer)).not.toContain("alerts-sender");
    const forAdmin = await listChannels(admin.role);
    expect(forAdmin.find((c) => c.name === "ops-hook")!.url).toBe(WEBHOOK_URL);
    expect(forAdmin.find((c) => c.name === "ops-mail")!.email?.username).toBe("alerts-sender@example.test");
    expect(JSON.stringify(forAdmin)).not.toContain(SMTP_PASSWORD);
  });

  it("masks the registry username for non-admins", () => {
    const view = { name: "privacy", registryUsername: "ci-robot" };
    expect(stackViewFor("VIEWER", view).registryUsername).toBe("ci•••");
    expect(stackViewFor("DEPLOYER", view).registryUsername).toBe("ci•••");
    expect(stackViewFor("ADMIN", view).registryUsername).toBe("ci-robot");
  });
});
