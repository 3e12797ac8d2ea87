import { expect, test } from "@playwright/test";
import { fleetStatus } from "../support/fleet";
import { deployViaApi, waitForJob } from "../support/api";
import { panelCli } from "../support/panel";
import { servedVersion } from "../support/traffic";

test.describe.configure({ mode: "serial" });

let deployer = "";
let viewer = "";
let pingUrl = "";

test.beforeAll(() => {
  pingUrl = `${fleetStatus().stack.publicDomain}/api/v1/ping`;
  const last = (out: string) => out.trim().split("\n").pop() ?? "";
  deployer = last(panelCli(["token", "create", "--name", "ci-deployer", "--role", "deployer"]));
  viewer = last(panelCli(["token", "create", "--name", "ci-viewer", "--role", "viewer"]));
});

test("401 without a token, 401 with a bad one, 403 for a VIEWER token", async ({ request }) => {
  const url = "/api/v1/stacks/pixelfox/deployments";
  expect((await request.post(url, { data: { tag: "v1.0.0" } })).status()).toBe(401);
  expect((await request.post(url, { data: { tag: "v1.0.0" }, headers: { authorization: "Bearer pxf_not-a-real-token" } })).status()).toBe(
    401,
  );
  const forbidden = await request.post(url, { data: { tag: "v1.0.0" }, headers: { authorization: `Bearer ${viewer}` } });
  expect(forbidden.status()).toBe(403);
  expect((await forbidden.json()).error.code).toBe("FORBIDDEN");
  // A VIEWER may read.
  expect((await request.get(url, { headers: { authorization: `Bearer ${viewer}` } })).status()).toBe(200);
});

test("400 names the rule for a bad tag, and nothing is started", async ({ request }) => {
  for (const tag of ["v1.0.0; rm -rf /", "$(reboot)", "-bad", "", "a".repeat(200)]) {
    const res = await request.post("/api/v1/stacks/pixelfox/deployments", {
      data: { tag },
      headers: { authorization: `Bearer ${deployer}` },
    });
    expect(res.status(), tag).toBe(400);
    const body = await res.json();
    expect(body.error.message).toContain("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    expect(body.error.fieldErrors.tag).toBeTruthy();
  }
  const notJson = await request.post("/api/v1/stacks/pixelfox/deployments", {
    data: "tag=v1",
    headers: { authorization: `Bearer ${deployer}`, "content-type": "text/plain" },
  });
  expect(notJson.status()).toBe(415);
  const history = await request.get("/api/v1/stacks/pixelfox/deployments", { headers: { authorization: `Bearer ${deployer}` } });
  const tags = ((await history.json()).deployments as { tag: string }[]).map((d) => d.tag);
  expect(tags.some((t) => t.includes(";") || t.includes("$"))).toBe(false);
});

test("a tag missing from the registry fails at the pull step with the registry's answer; the old version serves", async ({ request }) => {
  const before = await servedVersion(pingUrl);
  const { status, body } = await deployViaApi(request, deployer, "v9.9.9-missing");
  expect(status).toBe(202);
  const job = await waitForJob(request, deployer, body.jobId);
  expect(job.status).toBe("failed");
  expect(job.steps.find((s) => s.key.startsWith("pull:"))?.status).toBe("failed");
  expect(job.error).toMatch(/not found|manifest unknown/i);
  expect(await servedVersion(pingUrl)).toBe(before);
});

test("deploy, follow the log stream, then roll back through the API; 409 while locked", async ({ request }) => {
  const target = (await servedVersion(pingUrl)) === "v1.1.0" ? "v1.0.0" : "v1.1.0";
  const { status, body } = await deployViaApi(request, deployer, target);
  expect(status).toBe(202);
  expect(body.jobId).toBeTruthy();
  expect(body.deploymentId).toBeTruthy();

  const clash = await deployViaApi(request, deployer, target);
  expect(clash.status).toBe(409);
  expect(clash.body.error?.message).toContain("token:ci-deployer");

  const logs = await request.get(`/api/v1/jobs/${body.jobId}/logs`, { headers: { authorization: `Bearer ${deployer}` }, timeout: 120_000 });
  expect(logs.status()).toBe(200);
  const text = await logs.text();
  expect(text).toContain(`pulling`);
  expect(text).toMatch(/probe \d+: healthy/);

  const job = await waitForJob(request, deployer, body.jobId);
  expect(job.status).toBe("succeeded");
  // Every step ran and succeeded; writing the hosts' .env is skipped while the env is not managed in the panel.
  const notDone = job.steps.filter((s) => s.status !== "succeeded" && !(s.key === "env-file" && s.status === "skipped"));
  expect(notDone.map((s) => `${s.key}: ${s.status}`)).toEqual([]);
  expect(await servedVersion(pingUrl)).toBe(target);

  const rb = await request.post("/api/v1/stacks/pixelfox/rollback", { headers: { authorization: `Bearer ${deployer}` }, data: {} });
  expect(rb.status()).toBe(202);
  const rbJob = await waitForJob(request, deployer, (await rb.json()).jobId);
  expect(rbJob.status).toBe("succeeded");
  expect(await servedVersion(pingUrl)).not.toBe(target);
});

test("the OpenAPI document describes the deploy API", async ({ request }) => {
  const res = await request.get("/api/v1/openapi.json");
  expect(res.status()).toBe(200);
  const doc = await res.json();
  expect(doc.openapi).toMatch(/^3\./);
  for (const path of [
    "/api/v1/stacks/{stack}/deployments",
    "/api/v1/stacks/{stack}/rollback",
    "/api/v1/jobs/{id}",
    "/api/v1/jobs/{id}/logs",
  ]) {
    expect(Object.keys(doc.paths)).toContain(path);
  }
});
