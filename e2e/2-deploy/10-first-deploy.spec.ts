import { expect, test, type Page } from "@playwright/test";
import { dockerApi, fleetHost, fleetStatus } from "../support/fleet";
import { panelCli, signIn } from "../support/panel";
import { servedVersion } from "../support/traffic";
import { trpcMutation, trpcQuery } from "../support/trpc";

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };
const pingUrl = () => `${fleetStatus().stack.publicDomain}/api/v1/ping`;
const socket = () => fleetHost("app").dockerSocket;

interface Inspected {
  Name: string;
  State: { Running: boolean };
  Config: { Env: string[]; Labels: Record<string, string> };
  HostConfig: { Binds: string[]; RestartPolicy: { Name: string }; NetworkMode: string };
}
interface Listed {
  Names: string[];
  State: string;
}

test.beforeAll(() => {
  panelCli(["fleet", "import"]);
});

async function deployInUi(page: Page, tag: string) {
  await page.goto("/deploy/pixelfox");
  await page.getByLabel("Image tag").fill(tag);
  await page.getByRole("button", { name: "Deploy", exact: true }).click();
  await expect(page.getByText(`Deploy of ${tag} started`)).toBeVisible();
  await expect(page.getByTestId("job-status")).toHaveText(/succeeded/i, { timeout: 90_000 });
}

test("a host with no app container gets its first one from the panel's env and the compose's volumes; a stopped one is kept aside", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  // The env comes from the panel (there is no container to copy it from): make sure one is saved.
  const versions = await trpcQuery<unknown[]>(page.request, "env.list", { stack: "pixelfox" });
  if (versions.length === 0) await trpcMutation(page.request, "env.importFromLive", { stack: "pixelfox" });

  // A fresh app host: no pxlfox-app at all, so the proxy has nothing to send PixelFox's traffic to.
  expect((await dockerApi(socket(), "DELETE", "/containers/pxlfox-app?force=1")).status).toBe(204);
  expect((await fetch(pingUrl())).status).toBe(502);

  await deployInUi(page, "v1.1.0");
  await expect(page.getByText(/first deploy on app: no pxlfox-app runs there/).first()).toBeVisible();
  expect(await servedVersion(pingUrl())).toBe("v1.1.0");
  const app = (await dockerApi<Inspected>(socket(), "GET", "/containers/pxlfox-app/json")).body;
  expect(app.State.Running).toBe(true);
  expect(app.HostConfig.Binds).toEqual(expect.arrayContaining(["/srv/pixelfox/uploads:/app/uploads", "/srv/pixelfox/tmp:/app/tmp"]));
  expect(app.HostConfig.RestartPolicy.Name).toBe("always");
  expect(app.Config.Labels["com.pixelfox.env-version"]).toMatch(/^\d+$/);
  expect(app.Config.Env.some((e) => e.startsWith("DB_PASSWORD="))).toBe(true);

  // A stopped pxlfox-app (stopped by hand, or a crashed one) is not in the way: it is kept as a retained container.
  expect((await dockerApi(socket(), "POST", "/containers/pxlfox-app/stop?t=2")).status).toBe(204);
  await deployInUi(page, "v1.0.0");
  await expect(
    page.getByText(/pxlfox-app \(v1\.1\.0\) exists but is stopped: keeping it as pxlfox-app-prev-v1\.1\.0-/).first(),
  ).toBeVisible();
  expect(await servedVersion(pingUrl())).toBe("v1.0.0");
  const all = (await dockerApi<Listed[]>(socket(), "GET", "/containers/json?all=1")).body;
  const kept = all.filter((c) => c.Names.some((n) => n.startsWith("/pxlfox-app-prev-v1.1.0-")));
  expect(kept.length).toBeGreaterThan(0);
  expect(kept.every((c) => c.State !== "running")).toBe(true);
});
