import { expect, test } from "@playwright/test";
import http from "node:http";
import { fleetHost, fleetStatus } from "../support/fleet";
import { deployViaApi, waitForJob } from "../support/api";
import { panelCli } from "../support/panel";
import { servedVersion } from "../support/traffic";

function containerNames(dockerSocket: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath: dockerSocket, path: "/containers/json?all=1" }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => resolve((JSON.parse(body) as { Names: string[] }[]).flatMap((c) => c.Names.map((n) => n.slice(1)))));
      })
      .on("error", reject);
  });
}

test("cancelling a deploy stops the remote work: the new container is removed, the old version serves, the lock is free", async ({
  request,
}) => {
  test.setTimeout(120_000);
  const pingUrl = `${fleetStatus().stack.publicDomain}/api/v1/ping`;
  const app = fleetHost("app");
  const token = panelCli(["token", "create", "--name", "cancel-test", "--role", "deployer"]).trim().split("\n").pop() ?? "";
  panelCli(["stack", "deploy-settings", "--name", "pixelfox", "--json", JSON.stringify({ healthStartPeriodMs: 30_000 })]);
  try {
    const before = await servedVersion(pingUrl);
    const target = before === "v1.1.0" ? "v1.0.0" : "v1.1.0";
    const { status, body } = await deployViaApi(request, token, target);
    expect(status).toBe(202);
    const auth = { authorization: `Bearer ${token}` };
    // Wait until the candidate container exists on the host (the health gate is waiting on it).
    await expect
      .poll(async () => (await containerNames(app.dockerSocket)).some((n) => n.startsWith("pxlfox-app-next-")), { timeout: 30_000 })
      .toBe(true);

    const cancel = await request.post(`/api/v1/jobs/${body.jobId}/cancel`, { headers: auth });
    expect(cancel.status()).toBe(202);
    const job = await waitForJob(request, token, body.jobId, 30_000);
    expect(job.status).toBe("cancelled");
    await expect
      .poll(async () => (await containerNames(app.dockerSocket)).some((n) => n.startsWith("pxlfox-app-next-")), { timeout: 15_000 })
      .toBe(false);
    expect(await servedVersion(pingUrl)).toBe(before);

    const history = await request.get("/api/v1/stacks/pixelfox/deployments", { headers: auth });
    expect(((await history.json()).deployments as { id: string; status: string }[]).find((d) => d.id === body.deploymentId)?.status).toBe(
      "cancelled",
    );
    // The lock went with the job.
    const lock = await request.get(`/api/v1/jobs/${body.jobId}`, { headers: auth });
    expect((await lock.json()).status).toBe("cancelled");
    const viewerToken = panelCli(["token", "create", "--name", "cancel-viewer", "--role", "viewer"]).trim().split("\n").pop() ?? "";
    expect(
      (await request.post(`/api/v1/jobs/${body.jobId}/cancel`, { headers: { authorization: `Bearer ${viewerToken}` } })).status(),
    ).toBe(403);
  } finally {
    panelCli(["stack", "deploy-settings", "--name", "pixelfox", "--json", JSON.stringify({ healthStartPeriodMs: 0 })]);
  }
});
