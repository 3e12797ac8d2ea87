import { expect, test, type Page } from "@playwright/test";
import { fleetStatus } from "../support/fleet";
import { signIn } from "../support/panel";
import { ADMIN, ensureStack, resetBare } from "./golive-fixtures";
import { containersOn, pullOn, removeContainerOn, removeImageOn, srvOn } from "./host-checks";

const STACK = "golive-pre";
const PORT_HOLDER = "pxf-e2e-port";

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  test.setTimeout(120_000);
  resetBare();
});

/** Places a service through the stack page's Services card (Add service → kind, host → Add service). */
async function addService(page: Page, kind: string, hostLabel: string) {
  await page.getByRole("button", { name: "Add service", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Kind").selectOption(kind);
  await dialog.getByLabel("Host").selectOption({ label: hostLabel });
  await dialog.getByRole("button", { name: "Add service" }).click();
  await expect(dialog).toBeHidden();
}

async function runPreflight(page: Page) {
  const answered = page.waitForResponse((r) => r.url().includes("/api/trpc/golive.preflightStack") && r.request().method() === "POST", {
    timeout: 60_000,
  });
  await page.getByRole("button", { name: "Run preflight" }).click();
  expect((await answered).ok(), "golive.preflightStack failed").toBe(true);
}

test("preflight names the host without Docker and its fix, passes a bare host, then sees port 4000 taken; nothing on the hosts changes", async ({
  page,
}) => {
  test.setTimeout(150_000);
  const fleet = fleetStatus();
  await signIn(page, ADMIN.email, ADMIN.password);
  // The stack only (the fleet's registry and role images); its services are placed on the stack page.
  await ensureStack(page.request, STACK, "http://10.213.77.33", []);

  await page.goto(`/stacks/${STACK}`);
  await addService(page, "db", "bare-nodocker (10.213.77.49)");
  await addService(page, "app", "bare3 (10.213.77.33)");
  await addService(page, "proxy", "bare3 (10.213.77.33)");
  await expect(page.getByRole("row").filter({ hasText: "bare-nodocker" })).toHaveCount(1);
  await expect(page.getByRole("row").filter({ hasText: "bare3" })).toHaveCount(2);

  await page.getByRole("link", { name: "Go live", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/stacks/${STACK}/go-live$`));
  await runPreflight(page);

  const nodocker = page.getByTestId("preflight-bare-nodocker");
  await expect(nodocker).toContainText("(db)");
  await expect(nodocker.locator("[data-status]").first()).toHaveAttribute("data-status", "fail");
  const docker = nodocker.getByTestId("preflight-item-docker");
  await expect(docker).toContainText("Docker Engine");
  await expect(docker.locator("[data-status]")).toHaveAttribute("data-status", "fail");
  await expect(docker).toContainText("Install Docker Engine (https://docs.docker.com/engine/install/)");
  // SSH itself works there: only Docker is missing.
  await expect(nodocker.getByTestId("preflight-item-ssh").locator("[data-status]")).toHaveAttribute("data-status", "pass");

  const bare3 = page.getByTestId("preflight-bare3");
  await expect(bare3).toContainText("(app, proxy)");
  await expect(bare3.locator("[data-status]").first()).toHaveAttribute("data-status", "pass");
  await expect(bare3.getByTestId("preflight-item-docker").locator("[data-status]")).toHaveAttribute("data-status", "pass");
  await expect(bare3.getByTestId("preflight-item-ports").locator("[data-status]")).toHaveAttribute("data-status", "pass");
  await expect(bare3.getByTestId("preflight-item-container:app")).toContainText("No pxlfox-app yet");

  // Something else takes 4000 on bare3 (Docker publishes it on every interface): the ports item fails naming it.
  const image = `${fleet.registry.host}/library/nginx:1.22`;
  try {
    const bare3Docker = await pullOn("bare3", image);
    const holder = await bare3Docker.createContainer({
      name: PORT_HOLDER,
      Image: image,
      ExposedPorts: { "80/tcp": {} },
      HostConfig: { PortBindings: { "80/tcp": [{ HostPort: "4000" }] } },
    });
    await holder.start();
    await runPreflight(page);
    const ports = bare3.getByTestId("preflight-item-ports");
    await expect(ports.locator("[data-status]")).toHaveAttribute("data-status", "fail");
    await expect(ports).toContainText(":4000");
    await expect(ports).toContainText("Stop what listens on 4000");
    await expect(bare3.locator("[data-status]").first()).toHaveAttribute("data-status", "fail");
  } finally {
    await removeContainerOn("bare3", PORT_HOLDER);
    await removeImageOn("bare3", image);
  }

  // Read-only: no container of the panel and nothing in /srv on either host.
  expect([...containersOn("bare3").keys()]).toEqual([]);
  expect(srvOn("bare3")).toEqual([]);
  expect(srvOn("bare-nodocker")).toEqual([]);
});
