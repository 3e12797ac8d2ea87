import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { appEnvSecrets, CANARY_CHANNEL, fleetSecrets, PLANTED_FILE, usableSecrets, writePlanted } from "../support/planted-secrets";
import { signIn } from "../support/panel";
import { trpcMutation, trpcQuery } from "../support/trpc";

// The start of the redaction scan (e2e/99-scan/99-redaction-scan.spec.ts): right after the first admin
// exists, the secrets the run will use are written down, and one more is configured: an alert channel
// whose URL path is a token, on a loopback port where nothing listens. It stays enabled for the whole
// run, so every alert tries it and fails (how a failed delivery is reported is scanned too); it is
// left in place for the scan.

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };

test("the run's secrets are planted: the fleet's passwords and key, the app's env secrets, a webhook URL with a token", async ({
  page,
}) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  const token = `pxf-canary-${randomBytes(24).toString("hex")}`;
  const url = `http://127.0.0.1:9/hooks/${token}`;
  await trpcMutation(page.request, "alerts.saveChannel", { channel: { kind: "webhook", name: CANARY_CHANNEL, url, enabled: true } });
  const channels = await trpcQuery<{ name: string; url: string | null }[]>(page.request, "alerts.channels", {});
  expect(channels.find((c) => c.name === CANARY_CHANNEL)?.url).toBe(url);

  const secrets = usableSecrets([
    { label: "webhook URL", value: url },
    { label: "webhook token", value: token },
    ...fleetSecrets(),
    ...(await appEnvSecrets()),
  ]);
  writePlanted(secrets);
  console.log(`[redaction scan] ${secrets.length} secrets planted in ${PLANTED_FILE}: ${secrets.map((s) => s.label).join(", ")}`);
  for (const label of ["webhook URL", "db password", "cache password", "registry password", "S3 secret key"])
    expect(secrets.map((s) => s.label)).toContain(label);
  expect(secrets.some((s) => s.label.startsWith("SSH private key"))).toBe(true);
});
