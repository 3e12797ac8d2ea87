import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { dockerApi, fleetHost } from "../support/fleet";
import { panelCli, signIn } from "../support/panel";
import { trpcMutation } from "../support/trpc";
import { ADMIN, trpcRefusal } from "./golive-fixtures";
import { ensureGoLiveStackLive, GOLIVE_STACK, inspectOn, type Inspect } from "./host-checks";

const STACK = GOLIVE_STACK.name;
const VIEWER = { email: "golive-viewer@pixelfox.test", password: "a-very-long-viewer-password" };

interface ComposeService {
  container_name: string;
  image: string;
  restart?: string;
  network_mode?: string;
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  labels?: Record<string, string>;
  command?: string[];
}

test.describe.configure({ mode: "serial" });

/** `docker-compose config` of the exported files (compose 1.29 resolves env_file into `environment`), as JSON. */
function composeConfig(dir: string): { services: Record<string, ComposeService> } {
  const yaml = execFileSync("docker-compose", ["-f", "docker-compose.yml", "config"], { cwd: dir, encoding: "utf8", stdio: "pipe" });
  const json = execFileSync("python3", ["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))"], {
    input: yaml,
    encoding: "utf8",
  });
  return JSON.parse(json);
}

const portsOf = (i: Inspect) =>
  Object.entries(i.HostConfig.PortBindings ?? {})
    .flatMap(([key, bindings]) => (bindings ?? []).map((b) => `${b.HostIp ? `${b.HostIp}:` : ""}${b.HostPort}:${key}`))
    .sort();
const withMode = (bind: string) => (bind.split(":").length === 2 ? `${bind}:rw` : bind);
const pixelfoxLabels = (labels: Record<string, string> | null | undefined) =>
  Object.fromEntries(Object.entries(labels ?? {}).filter(([k]) => k.startsWith("com.pixelfox.")));

/** The container's own env: what Docker runs it with, minus the lines its image sets. */
async function ownEnv(host: string, info: Inspect): Promise<Record<string, string>> {
  const image = await dockerApi<{ Config: { Env: string[] | null } }>(
    fleetHost(host).dockerSocket,
    "GET",
    `/images/${info.Config.Image}/json`,
  );
  expect(image.status).toBe(200);
  const fromImage = new Set(image.body.Config.Env ?? []);
  return Object.fromEntries(
    (info.Config.Env ?? []).filter((e) => !fromImage.has(e)).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]),
  );
}

test("the export of bare3 starts, by docker-compose's own reading, exactly what Docker runs there", async ({ page }) => {
  test.setTimeout(300_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  await ensureGoLiveStackLive(page.request);

  await page.goto(`/stacks/${STACK}/go-live`);
  await page.getByRole("combobox", { name: "Host" }).selectOption("bare3");
  await page.getByRole("button", { name: "Export", exact: true }).click();
  const shown = page.getByTestId("export-docker-compose.yml");
  await expect(shown).toContainText('container_name: "pxlfox-app"', { timeout: 30_000 });
  await expect(shown).toContainText('container_name: "pxlfox-proxy"');
  // The env file holds the app's secrets: download only, never shown on the page.
  await expect(page.getByText("app.env", { exact: true })).toBeVisible();
  await expect(page.getByTestId("export-app.env")).toHaveCount(0);

  const exported = await trpcMutation<{ host: string; files: { name: string; text: string; secret: boolean }[] }>(
    page.request,
    "golive.exportHost",
    { stack: STACK, host: "bare3" },
  );
  expect(exported.files.map((f) => `${f.name}${f.secret ? " (secret)" : ""}`)).toEqual(["docker-compose.yml", "app.env (secret)"]);
  const compose = exported.files[0]!.text;
  const withoutStamp = (t: string) => t.split("\n").slice(1).join("\n");
  expect(withoutStamp((await shown.textContent()) ?? "")).toBe(withoutStamp(compose));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "golive-export-"));
  try {
    for (const f of exported.files) fs.writeFileSync(path.join(dir, f.name), f.text, { mode: f.secret ? 0o600 : 0o644 });
    const config = composeConfig(dir);
    expect(Object.keys(config.services).sort()).toEqual(["app", "proxy"]);
    for (const [service, c] of Object.entries(config.services)) {
      const info = await inspectOn("bare3", c.container_name);
      expect(info, `${c.container_name} runs on bare3`).not.toBeNull();
      const i = info!;
      expect(c.container_name).toBe(`pxlfox-${service}`);
      expect(c.image, `${service}: image`).toBe(i.Config.Image);
      expect(c.restart, `${service}: restart`).toBe(i.HostConfig.RestartPolicy.Name);
      // Compose's default for a service without network_mode is a network of its own project; the panel's containers use Docker's bridge.
      expect(c.network_mode ?? "bridge", `${service}: network mode`).toBe(i.HostConfig.NetworkMode);
      expect([...(c.ports ?? [])].sort(), `${service}: published ports`).toEqual(i.HostConfig.NetworkMode === "host" ? [] : portsOf(i));
      expect([...(c.volumes ?? [])].sort(), `${service}: volumes`).toEqual((i.HostConfig.Binds ?? []).map(withMode).sort());
      expect(c.labels ?? {}, `${service}: labels`).toEqual(pixelfoxLabels(i.Config.Labels));
      expect(c.environment ?? {}, `${service}: environment`).toEqual(await ownEnv("bare3", i));
      expect(c.command, `${service}: command`).toBeUndefined();
    }
    expect(Object.keys(config.services.app!.environment ?? {})).toEqual(
      expect.arrayContaining(["DB_PASSWORD", "CACHE_PASSWORD", "PUBLIC_DOMAIN"]),
    );
    expect(config.services.app!.ports).toEqual(["127.0.0.1:4000:4000/tcp"]);
    expect(config.services.proxy!.network_mode).toBe("host");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a viewer sees neither the export card nor the decommission card, and cannot export", async ({ browser }) => {
  try {
    panelCli(["user", "create", "--email", VIEWER.email, "--role", "viewer"], VIEWER.password);
  } catch {
    /* created by an earlier attempt of this spec */
  }
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const page = await context.newPage();
  try {
    await signIn(page, VIEWER.email, VIEWER.password);
    await page.goto(`/stacks/${STACK}/go-live`);
    await expect(page.getByRole("button", { name: "Run preflight" })).toBeVisible();
    await expect(page.getByText("Provisioning and smoke tests")).toBeVisible();
    await expect(page.getByText("Export compose files")).toHaveCount(0);
    await expect(page.getByText("Decommission a role")).toHaveCount(0);
    const refused = await trpcRefusal(page.request, "golive.exportHost", { stack: STACK, host: "bare3" });
    expect(refused.status).toBe(403);
  } finally {
    await context.close();
  }
});
