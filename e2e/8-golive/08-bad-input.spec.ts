import fs from "node:fs";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { fleetStatus, onHost } from "../support/fleet";
import { signIn } from "../support/panel";
import { trpcMutation, trpcQuery } from "../support/trpc";
import {
  ADMIN,
  ensureStack,
  failedStep,
  goLiveViaApi,
  resetBare,
  stackInput,
  trpcRefusal,
  type JobView,
  type StackRow,
} from "./golive-fixtures";
import { inspectOn, pullOn, removeContainerOn, snapshot } from "./host-checks";

const PLACED = (db: string): [string, string][] => [
  ["db", db],
  ["cache", "bare2"],
  ["app", "bare3"],
  ["proxy", "bare3"],
];
const BARE = ["bare1", "bare2", "bare3", "bare4", "bare-nodocker"];
const MARKERS = ["/tmp/pxf-x", "/tmp/pxf-y", "/tmp/pxf-z", "/tmp/pxf-r"];
const SMOKE = { smokeSteps: ["ping", "home"] };

interface HostRow {
  id: string;
  name: string;
  address: string;
  sshPort: number;
  sshUser: string;
  privateAddress: string | null;
  dockerSocket: string;
  roles: string[];
}

/** Steps that ran (or began) besides the preflight: none when the go-live was refused before any change. */
const ranBeyond = (job: JobView, allowed: string[]) =>
  job.steps.filter((s) => !allowed.includes(s.key) && ["running", "succeeded", "failed"].includes(s.status)).map((s) => s.key);

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  test.setTimeout(120_000);
  resetBare();
  // A marker left by an earlier run would hide nothing new: start without any.
  for (const m of MARKERS) fs.rmSync(m, { force: true });
});

test("a go-live with the db on a host without Docker is refused at preflight naming Docker; the other hosts are untouched", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  await ensureStack(page.request, "golive-nodocker", "http://10.213.77.33", PLACED("bare-nodocker"), SMOKE);
  const before = snapshot(BARE);
  const job = await goLiveViaApi(page.request, "golive-nodocker", "v2.0.0");
  expect(job.status).toBe("failed");
  expect(failedStep(job)).toBe("preflight");
  expect(job.error).toContain("Preflight failed, nothing was changed");
  expect(job.error).toContain("bare-nodocker: Docker Engine");
  expect(job.error).toContain("Install Docker Engine");
  expect(ranBeyond(job, ["preflight"])).toEqual([]);
  expect(snapshot(BARE)).toEqual(before);
});

/** A bad publicDomain is refused at save, or (saved) by the go-live before anything reaches a host: either way naming publicDomain. */
async function expectDomainRefused(request: APIRequestContext, stack: StackRow, domain: string): Promise<string> {
  const saved = await trpcRefusal(request, "stack.update", { ...stackInput(stack), publicDomain: domain });
  if (!saved.ok) {
    expect(saved.status, saved.message).toBe(400);
    expect(saved.fields, saved.message).toEqual(["publicDomain"]);
    return `refused at save: ${saved.message}`;
  }
  const job = await goLiveViaApi(request, stack.name, "v2.0.0");
  expect(job.status).toBe("failed");
  expect(job.error ?? "").toMatch(/^publicDomain: the proxy can serve only a DNS name or an IPv4 address/);
  // Preflight (read-only) and the app's env (kept in the panel) ran; no role was touched.
  expect(ranBeyond(job, ["preflight", "env"])).toEqual([]);
  return `saved, refused by the go-live: ${job.error}`;
}

test("a public domain with a space, '}' or ';' never reaches a proxy config: refused naming publicDomain", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  const stack = await ensureStack(page.request, "golive-baddomain", "http://10.213.77.33", PLACED("bare1"), SMOKE);
  const before = snapshot(BARE);
  try {
    const spaced = await trpcRefusal(page.request, "stack.update", { ...stackInput(stack), publicDomain: "http://pixel fox.test" });
    expect(spaced.status).toBe(400);
    expect(spaced.fields).toEqual(["publicDomain"]);
    expect(spaced.message).toMatch(/^publicDomain: /);
    for (const domain of ["http://pixelfox.test}", "http://pixelfox.test;reverse_proxy", "http://a}b.test"]) {
      console.log(`[bad input] ${domain}: ${await expectDomainRefused(page.request, stack, domain)}`);
    }
  } finally {
    await trpcMutation(page.request, "stack.update", stackInput(stack));
  }
  expect(snapshot(BARE)).toEqual(before);
  expect(onHost("bare3", ["sh", "-c", "ls /srv/caddy/Caddyfile 2>/dev/null || true"]).trim()).toBe("");
});

test("a host that already runs a pxlfox-cache of its own is refused before anything changes, and its container is left alone", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  await ensureStack(page.request, "golive-conflict", "http://10.213.77.33", PLACED("bare1"), SMOKE);
  const image = `${fleetStatus().registry.host}/library/redis:7`;
  const docker = await pullOn("bare2", image);
  await removeContainerOn("bare2", "pxlfox-cache");
  await (await docker.createContainer({ name: "pxlfox-cache", Image: image })).start();
  try {
    const mine = await inspectOn("bare2", "pxlfox-cache");
    const before = snapshot(BARE);
    const job = await goLiveViaApi(page.request, "golive-conflict", "v2.0.0");
    expect(job.status).toBe("failed");
    expect(failedStep(job)).toBe("preflight");
    expect(job.error).toContain("nothing was changed");
    expect(job.error).toContain("bare2: pxlfox-cache already exists");
    expect(job.error).toContain(`not created by the panel for golive-conflict`);
    expect(ranBeyond(job, ["preflight"])).toEqual([]);
    expect(snapshot(BARE)).toEqual(before);
    const after = await inspectOn("bare2", "pxlfox-cache");
    expect(after?.Id).toBe(mine?.Id);
    expect(after?.State.StartedAt).toBe(mine?.State.StartedAt);
    expect(after?.State.Running).toBe(true);
  } finally {
    await removeContainerOn("bare2", "pxlfox-cache");
  }
});

test("a docker socket path or a role that is not one is refused naming the field; no marker file appears anywhere", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  const hosts = await trpcQuery<HostRow[]>(page.request, "host.list", undefined);
  const bare2 = hosts.find((h) => h.name === "bare2")!;
  const update = (dockerSocket: string) =>
    trpcRefusal(page.request, "host.update", {
      id: bare2.id,
      name: bare2.name,
      address: bare2.address,
      sshPort: bare2.sshPort,
      sshUser: bare2.sshUser,
      privateAddress: bare2.privateAddress ?? "",
      dockerSocket,
      roles: bare2.roles,
    });
  for (const socket of ["/run/docker.sock;touch /tmp/pxf-x", "/run/$(touch /tmp/pxf-y).sock", "/run/`touch /tmp/pxf-z`"]) {
    const r = await update(socket);
    expect(r.status, socket).toBe(400);
    expect(r.fields, socket).toEqual(["dockerSocket"]);
    expect(r.message, socket).toMatch(/^dockerSocket: An absolute path/);
  }
  const still = await trpcQuery<{ dockerSocket: string }>(page.request, "host.get", { id: bare2.id });
  expect(still.dockerSocket).toBe(bare2.dockerSocket);

  const bare3 = hosts.find((h) => h.name === "bare3")!;
  for (const roles of [["web"], ["db; touch /tmp/pxf-r"]]) {
    const r = await trpcRefusal(page.request, "golive.preflightHost", { stack: "golive-conflict", hostId: bare3.id, roles });
    expect(r.status, roles[0]).toBe(400);
    expect(r.fields, roles[0]).toEqual(["roles"]);
    expect(r.message).toContain("roles: Each role must be one of db, cache, app, proxy, storage");
  }
  // A good preflight of the same host still answers (the refusals above were about the input only).
  const ok = await trpcMutation<{ host: string; ok: boolean }>(page.request, "golive.preflightHost", {
    stack: "golive-conflict",
    hostId: bare3.id,
    roles: ["app"],
  });
  expect(ok.host).toBe("bare3");

  for (const host of BARE) {
    const found = onHost(host, ["sh", "-c", 'for f in "$@"; do [ -e "$f" ] && echo "$f"; done; true', "sh", ...MARKERS]).trim();
    expect(found, `marker files on ${host}`).toBe("");
  }
  for (const m of MARKERS) expect(fs.existsSync(m), `${m} on the panel's machine`).toBe(false);
});
