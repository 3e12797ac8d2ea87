import { execFileSync } from "node:child_process";
import Docker from "dockerode";
import { expect, test } from "@playwright/test";
import { fleetStatus } from "../support/fleet";
import { deployViaApi, waitForJob } from "../support/api";
import { panelCli, signIn } from "../support/panel";
import { describeTraffic, startTraffic } from "../support/traffic";
import { trpcMutation, trpcQuery } from "../support/trpc";

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };
const fleetCli = (args: string[]) =>
  execFileSync(process.execPath, ["--import", "tsx", "fleet/cli.ts", ...args], { stdio: "pipe", encoding: "utf8" });

test("with two app hosts the deploy rolls through them one at a time and Caddy lists both healthy containers", async ({ page }) => {
  test.setTimeout(240_000);
  fleetCli(["up", "--extra", "1"]);
  let serviceId: string | null = null;
  let hostId: string | null = null;
  const status = fleetStatus();
  const x = status.hosts.find((h) => h.name === "x100");
  if (!x) throw new Error("fleet did not add host x100");
  const docker = new Docker({ socketPath: x.dockerSocket });
  try {
    // The second app host runs the current version, listening on its own address (Caddy dials it there).
    const image = `${status.registry.repository}:v1.0.0`;
    const auth = { username: status.registry.username, password: status.registry.password, serveraddress: status.registry.host };
    await new Promise<void>((resolve, reject) =>
      docker.pull(image, { authconfig: auth }, (err, stream) => {
        if (err || !stream) return reject(err ?? new Error("no pull stream"));
        docker.modem.followProgress(stream, (e: Error | null) => (e ? reject(e) : resolve()));
      }),
    );
    await docker
      .getContainer("pxlfox-app")
      .remove({ force: true })
      .catch(() => undefined);
    // The same environment as the first app host (the app needs its database and cache to start), as an
    // operator copies .env to a second VPS; only the listen address and node id differ.
    const appHost = status.hosts.find((h) => h.name === "app");
    if (!appHost) throw new Error("fleet has no app host");
    const core = new Docker({ socketPath: appHost.dockerSocket });
    const [running] = await core.listContainers({ filters: { label: ["com.pixelfox.service=app"], status: ["running"] } });
    if (!running) throw new Error("no running app container on host app");
    const coreEnv = ((await core.getContainer(running.Id).inspect()).Config.Env ?? []).filter(
      (e) => !/^(APP_HOST|APP_PORT|NODE_ID)=/.test(e),
    );
    const c = await docker.createContainer({
      name: "pxlfox-app",
      Image: image,
      Env: [...coreEnv, "APP_HOST=0.0.0.0", "APP_PORT=4000", "NODE_ID=x100"],
      HostConfig: { NetworkMode: "host", RestartPolicy: { Name: "always" } },
    });
    await c.start();

    panelCli(["fleet", "import"]);
    await signIn(page, ADMIN.email, ADMIN.password);
    const { stack } = await trpcQuery<{ stack: { id: string } }>(page.request, "stack.get", { idOrName: "pixelfox" });
    const hosts = await trpcQuery<{ id: string; name: string }[]>(page.request, "host.list", undefined);
    hostId = hosts.find((h) => h.name === "x100")?.id ?? null;
    const svc = await trpcMutation<{ id: string }>(page.request, "service.create", {
      stackId: stack.id,
      hostId,
      kind: "app",
      containerName: "pxlfox-app",
      settings: {},
    });
    serviceId = svc.id;

    const token = panelCli(["token", "create", "--name", "two-hosts", "--role", "deployer"]).trim().split("\n").pop() ?? "";
    const pingUrl = `${status.stack.publicDomain}/api/v1/ping`;
    const traffic = startTraffic(pingUrl);
    const { body } = await deployViaApi(page.request, token, "v1.1.0");
    const job = await waitForJob(page.request, token, body.jobId, 180_000);
    const stats = await traffic.stop();
    console.log(describeTraffic("deploy over two app hosts", stats));
    expect(job.status, job.error ?? "").toBe("succeeded");
    expect(job.steps.map((s) => s.key)).toEqual(expect.arrayContaining(["gate:app", "gate:x100", "switch:app", "switch:x100"]));
    const order = job.steps.map((s) => s.key);
    expect(order.indexOf("retire:app")).toBeLessThan(order.indexOf("pull:x100"));
    expect(stats.failures, stats.errors.slice(0, 5).join("; ")).toBe(0);

    // Caddy now lists both new containers; both answer v1.1.0.
    const live = await trpcQuery<{ upstreams: string[]; isConsistent: boolean; hosts: { host: string; live: { tag: string } | null }[] }>(
      page.request,
      "deploy.live",
      { stack: "pixelfox" },
    );
    expect(live.upstreams).toHaveLength(2);
    expect(live.upstreams.some((u) => u.startsWith("10.213.77.100:"))).toBe(true);
    expect(live.isConsistent).toBe(true);
    expect(live.hosts.map((h) => h.live?.tag)).toEqual(["v1.1.0", "v1.1.0"]);
    const versions = new Set<string>();
    for (let i = 0; i < 20; i++) versions.add((await fetch(pingUrl)).headers.get("x-app-version") ?? "?");
    expect([...versions]).toEqual(["v1.1.0"]);
  } finally {
    // Back to one app host: Caddy only on the app host's container, x100 removed from the panel and the fleet.
    if (serviceId) await trpcMutation(page.request, "service.delete", { id: serviceId }).catch(() => undefined);
    const token = panelCli(["token", "create", "--name", "two-hosts-cleanup", "--role", "deployer"]).trim().split("\n").pop() ?? "";
    const again = await deployViaApi(page.request, token, "v1.1.0");
    if (again.status === 202) await waitForJob(page.request, token, again.body.jobId, 120_000);
    if (hostId) await trpcMutation(page.request, "host.delete", { id: hostId }).catch(() => undefined);
    fleetCli(["up", "--extra", "0"]);
  }
});
