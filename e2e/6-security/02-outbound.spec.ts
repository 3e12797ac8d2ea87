import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { pressCheckNow } from "../support/check-now";
import { fleetStatus } from "../support/fleet";
import { panelCli, signIn } from "../support/panel";
import { trpcMutation, trpcQuery } from "../support/trpc";

// Outbound requests the panel makes on an admin's behalf never reach the panel itself nor a
// link-local / metadata address, whatever the spelling; health checks never show a remote body.

test.describe.configure({ mode: "serial" });

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };
const MARKER = "LOOPBACK-SERVICE-SAYS-e2e-5c1d";

interface StackView {
  id: string;
  name: string;
  publicDomain: string;
  imageRepository: string;
  registryUrl: string | null;
  registryUsername: string | null;
  healthPath: string;
}

test.beforeAll(() => {
  panelCli(["fleet", "import"]);
});

test("an off-site endpoint that is the panel itself, spelled as IPv4-mapped IPv6, is refused naming the endpoint field", async ({
  page,
  baseURL,
}) => {
  const port = new URL(baseURL ?? "http://127.0.0.1:3100").port;
  const s3 = fleetStatus().s3;
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/database/pixelfox");
  const card = page.getByTestId("offsite-card");
  const before = await trpcQuery<{ endpoint: string }>(page.request, "offsite.get", { stack: "pixelfox" });

  const values: Record<string, string> = {
    "Endpoint URL": `http://[::ffff:127.0.0.1]:${port}`,
    Region: s3.region,
    Bucket: s3.bucket,
    "Access key id": s3.accessKeyId,
    "Secret key": s3.secretAccessKey,
  };
  for (const [label, value] of Object.entries(values)) await card.getByLabel(label, { exact: true }).fill(value);
  await card.getByRole("button", { name: "Save off-site settings" }).click();
  await expect(card.getByRole("alert").filter({ hasText: "points at this panel itself" })).toBeVisible();
  // Nothing was saved.
  expect((await trpcQuery<{ endpoint: string }>(page.request, "offsite.get", { stack: "pixelfox" })).endpoint).toBe(before.endpoint);

  // The API names the field and the rule, for every spelling of the panel's address.
  for (const endpoint of [
    `http://[::ffff:7f00:1]:${port}`,
    `http://localhost.:${port}`,
    `http://2130706433:${port}`,
    `http://0.0.0.0:${port}`,
  ]) {
    const res = await page.request.post("/api/trpc/offsite.save", {
      data: {
        json: {
          stack: "pixelfox",
          enabled: false,
          endpoint,
          region: s3.region,
          bucket: s3.bucket,
          prefix: "",
          forcePathStyle: true,
          accessKeyId: s3.accessKeyId,
          secretAccessKey: s3.secretAccessKey,
        },
      },
    });
    expect(res.status(), endpoint).toBe(400);
    const body = (await res.json()) as { error: { json: { message: string; data: { fieldErrors: Record<string, string[]> } } } };
    expect(body.error.json.data.fieldErrors.endpoint?.[0], endpoint).toMatch(/points at this panel itself/);
  }
});

test("a webhook to the cloud metadata address is refused", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/alerts");
  const form = page.getByRole("form", { name: "Add channel" });
  await form.getByLabel("Channel name").fill("metadata");
  await form.getByLabel("Webhook URL").fill("http://169.254.169.254/latest/meta-data/iam/security-credentials/");
  await form.getByRole("button", { name: "Add channel" }).click();
  await expect(page.getByText(/link-local or cloud metadata address/)).toBeVisible();
  await expect(page.getByTestId("channel-metadata")).toHaveCount(0);

  const res = await page.request.post("/api/trpc/alerts.saveChannel", {
    data: { json: { channel: { kind: "webhook", name: "metadata6", url: "http://[::ffff:169.254.169.254]/", enabled: true } } },
  });
  expect(res.status()).toBe(400);
  const body = (await res.json()) as { error: { json: { data: { fieldErrors: Record<string, string[]> } } } };
  expect(body.error.json.data.fieldErrors.url?.[0]).toMatch(/link-local or cloud metadata address/);
});

async function checkNow(page: Page) {
  await pressCheckNow(page, page.getByRole("button", { name: "Check now" }), "health.checkNow");
}

test("a public domain pointed at a loopback service shows none of that service's answer on the health page", async ({ page }) => {
  // A private service on the panel machine's loopback, answering a recognizable text.
  let requests = 0;
  const service = http.createServer((_req, res) => {
    requests++;
    res.writeHead(200, { "content-type": "text/plain" }).end(`${MARKER} db_password=hunter2`);
  });
  await new Promise<void>((r) => service.listen(0, "127.0.0.1", r));
  const servicePort = (service.address() as AddressInfo).port;

  await signIn(page, ADMIN.email, ADMIN.password);
  const { stack } = await trpcQuery<{ stack: StackView }>(page.request, "stack.get", { idOrName: "pixelfox" });
  const update = (publicDomain: string) =>
    trpcMutation(page.request, "stack.update", {
      id: stack.id,
      name: stack.name,
      publicDomain,
      imageRepository: stack.imageRepository,
      registryUrl: stack.registryUrl ?? undefined,
      registryUsername: stack.registryUsername ?? undefined,
      healthPath: stack.healthPath,
    });
  await update(`http://127.0.0.1:${servicePort}`);
  try {
    await page.goto("/");
    await checkNow(page);
    await expect(page.getByTestId("health-box-public-public")).toHaveAttribute("data-status", "down");
    // The reason says what came back (status, type, size), never what it said.
    await expect(page.getByTestId("check-external")).toContainText("answered HTTP 200 (text/plain");
    await expect(page.getByTestId("check-external")).toContainText('not {"ping":"pong"}');
    expect(requests).toBeGreaterThan(0);
    for (const path of ["/", "/alerts"]) {
      await page.goto(path);
      await expect(page.locator("main#main")).toBeVisible();
      const html = (await page.content()).toLowerCase();
      expect(html, path).not.toContain(MARKER.toLowerCase());
      expect(html, path).not.toContain("hunter2");
    }
    // Nor does the API a viewer reads.
    const overview = JSON.stringify(await trpcQuery(page.request, "health.overview", { stack: "pixelfox" }));
    expect(overview).not.toContain(MARKER);
  } finally {
    await update(stack.publicDomain);
    service.close();
  }
  await page.goto("/");
  await expect(async () => {
    await checkNow(page);
    await expect(page.getByTestId("health-box-public-public")).toHaveAttribute("data-status", "ok", { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
});
