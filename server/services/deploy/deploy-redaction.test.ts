import "@/server/jobs/testing/test-db";
import { afterAll, describe, expect, it } from "vitest";
import { createFakeDocker } from "@/server/adapters/docker/testing/fake-docker";
import { db } from "@/server/db";
import { ZChannelInput } from "@/server/domain/alerts";
import { ZCreateStackInput } from "@/server/domain/inventory";
import { readJobLog, waitForJob } from "@/server/jobs/queries";
import { removeTestDataDir } from "@/server/jobs/testing/test-db";
import { saveChannel } from "@/server/services/alerts/channels";
import { saveEnvVersion } from "@/server/services/env/app-env";
import { createStack } from "@/server/services/inventory/stacks";
import { admin, createPinnedHost, deployer, placeService } from "@/server/services/secrets/testing/fixtures";
import { LABELS } from "./app-containers";
import type { ProbeResult } from "./health-gate";
import { listDeployments } from "./history";
import type { DeployPorts } from "./ports";
import { startDeployment } from "./start-deployment";

const REPO = "registry.example.test/pixelfox/app";
const REGISTRY_PASSWORD = "reg-Pa55word-deploy";
/** Random-looking: the env rules refuse a guessable UPLOAD_TOKEN_SECRET. */
const ENV_SECRET = "env-upl0ad-Qm7Rx2Kv9Tz4Lw8Nc3Hb6Yp1Df5Gs0J";
const RANDOM_SECRET = "Zx81Kq0Lm3Np7Rt2Vw9Yb4Cd";
/** Only in the live container's env (no managed env): the panel learns it from the new container it creates. */
const LIVE_ENV_SECRET = "live-db-Pa55word";
const WEBHOOK_URL = "https://hooks.example.test/services/T111/B111/deployHookToken999";
/** What the panel holds whatever the env: the registry password it pulls with, the alert channel's URL. */
const HELD = [REGISTRY_PASSWORD, WEBHOOK_URL];

afterAll(async () => {
  await db.$disconnect();
  removeTestDataDir();
});

/** A stack whose new version never gets healthy and prints its secrets while it fails, as a broken app does. */
async function brokenDeployWorld(name: string, opts: { managedEnv: boolean }) {
  const stack = await createStack(
    ZCreateStackInput.parse({
      name,
      publicDomain: "https://pixelfox.example.test",
      imageRepository: REPO,
      registryUsername: "ci-robot",
      registryPassword: REGISTRY_PASSWORD,
    }),
    admin,
  );
  if (opts.managedEnv)
    await saveEnvVersion(stack.name, `APP_NAME=pixelfox\nUPLOAD_TOKEN_SECRET=${ENV_SECRET}\nSESSION_SIG=${RANDOM_SECRET}\n`, "", admin);
  await saveChannel(ZChannelInput.parse({ kind: "webhook", name: `${name}-hook`, url: WEBHOOK_URL, enabled: false }));
  const host = await createPinnedHost(`${name}-app`);
  await placeService(stack.id, host.id, "app", "pxlfox-app");
  await placeService(stack.id, host.id, "proxy", "pxlfox-proxy");
  const fake = createFakeDocker();
  fake.addContainer(host.name, {
    name: "pxlfox-app",
    image: `${REPO}:v1`,
    env: ["APP_PORT=4000", `DB_PASSWORD=${LIVE_ENV_SECRET}`],
    labels: { [LABELS.tag]: "v1", [LABELS.port]: "4000" },
    logs: ["listening"],
  });
  const ports: DeployPorts = {
    docker: fake.connector,
    healthGate: (target, _port, o) => {
      const candidate = fake.containers(target.name).find((c) => c.name.startsWith("pxlfox-app-next-"))!;
      // What a broken app prints: its own env, and whatever else it was handed.
      const leaked = `${candidate.env.join(" ")} pulled with ${REGISTRY_PASSWORD} alerts to ${WEBHOOK_URL}`;
      const values = candidate.env.map((e) => e.slice(e.indexOf("=") + 1));
      candidate.logs.push("booting", `fatal: bad config ${leaked}`, `connecting with ${values.join(" / ")}`);
      const probe: ProbeResult = { attempt: 1, ok: false, ms: 1, at: new Date().toISOString(), error: `answered 500: ${leaked}` };
      o.onProbe(probe);
      return Promise.resolve({ healthy: false, probes: [probe] });
    },
    switchUpstreams: () => Promise.reject(new Error("not reached")),
    writeEnvFile: () => Promise.resolve(),
    readEnvFile: () => Promise.resolve(null),
    envVersionEntries: () => Promise.resolve(null),
    smoke: () => Promise.resolve([]),
    sleep: () => Promise.resolve(),
  };
  const secrets = [...HELD, ...(opts.managedEnv ? [ENV_SECRET, RANDOM_SECRET] : [LIVE_ENV_SECRET])];
  return { stack, ports, secrets };
}

describe("a failed deploy's evidence", () => {
  it.each([
    ["with the env managed in the panel", "leaky-managed", true],
    ["with the env copied from the live container", "leaky-copied", false],
  ])("%s: stores the failed container's lines and the error without any secret", async (_label, name, managedEnv) => {
    const { stack, ports, secrets } = await brokenDeployWorld(name, { managedEnv });
    const { jobId, deploymentId } = await startDeployment({ stack: stack.name, tag: "v2" }, deployer, ports);
    const job = await waitForJob(jobId);
    expect(job.status).toBe("failed");

    const row = await db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
    expect(row.status).toBe("failed");
    expect(row.error).toContain("Health gate failed");
    const evidence = JSON.parse(row.evidence) as { hosts: { failedLogs?: string[] }[] };
    const failedLogs = evidence.hosts[0]?.failedLogs ?? [];
    // The evidence is still there (the operator needs it), with the secrets replaced.
    expect(failedLogs).toHaveLength(3);
    expect(failedLogs[1]).toMatch(/^fatal: bad config .*=\[REDACTED\] .*pulled with \[REDACTED\] alerts to \[REDACTED\]$/);

    const texts = [
      row.error ?? "",
      row.evidence,
      job.error ?? "",
      JSON.stringify(job.steps),
      ...(await readJobLog(jobId)).map((l) => l.text),
      ...(await db.auditEvent.findMany({ where: { target: { startsWith: name } } })).map((a) => a.details),
      JSON.stringify(await listDeployments(stack.name)),
    ];
    for (const text of texts) for (const secret of secrets) expect(text, `leaks ${secret}`).not.toContain(secret);
    expect(texts.join("\n")).toContain("[REDACTED]");
  });
});
