import { execFileSync } from "node:child_process";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { fleetStatus } from "../support/fleet";
import { panelCli } from "../support/panel";
import { trpcMutation, trpcQuery } from "../support/trpc";

export const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };
export const ALL_SMOKE = ["ping", "home", "account", "upload", "direct-upload"];
/** What the job log says for each smoke step, in run order (server/services/smoke/steps.ts). */
export const SMOKE_LINES = ["ping", "home page", "register / log in", "upload", "thumbnail", "direct upload", "cleanup"];

const DEFAULT_CONTAINER: Record<string, string> = {
  db: "pxlfox-db",
  cache: "pxlfox-cache",
  app: "pxlfox-app",
  proxy: "pxlfox-proxy",
  storage: "pxlfox-storage",
};

/** The sandbox fleet's own CLI (root; it takes the fleet lock, so a reset never races an `up`). */
export function fleetCli(args: string[], timeoutMs = 180_000): string {
  return execFileSync(process.execPath, ["--import", "tsx", "fleet/cli.ts", ...args], {
    stdio: "pipe",
    encoding: "utf8",
    timeout: timeoutMs,
  });
}

/** Registers core, plan-laid and bare hosts (keys pinned from the fleet's record); idempotent. */
export function importFleet(): void {
  panelCli(["fleet", "import", "--plan", "--bare"]);
}

/** bare1..bare4 and bare-nodocker back to bare: no containers, images or volumes, an empty /srv. */
export function resetBare(): void {
  fleetCli(["reset-bare"]);
  importFleet();
}

/** plan and plannx as the templates lay them out (containers and /srv made anew): up to a minute. */
export function resetPlan(): void {
  fleetCli(["reset-plan"], 240_000);
  importFleet();
}

export interface JobStepView {
  key: string;
  label: string;
  status: string;
}
export interface JobView {
  id: string;
  status: string;
  error: string | null;
  steps: JobStepView[];
}

/** Polls job.get until the job has ended. */
export async function waitJob(request: APIRequestContext, id: string, timeoutMs = 180_000): Promise<JobView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await trpcQuery<JobView>(request, "job.get", { id });
    if (!["queued", "running"].includes(job.status)) return job;
    if (Date.now() > until) throw new Error(`job ${id} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Every line of a job's log, oldest first. */
export async function jobLog(request: APIRequestContext, id: string): Promise<string[]> {
  const lines: string[] = [];
  for (let after = 0; ;) {
    const page = await trpcQuery<{ seq: number; text: string }[]>(request, "job.log", { id, afterSeq: after, limit: 1000 });
    lines.push(...page.map((l) => l.text));
    if (page.length < 1000) return lines;
    after = page[page.length - 1]!.seq;
  }
}

/** The failed step of a job (its key), or null. */
export const failedStep = (job: JobView) => job.steps.find((s) => s.status === "failed")?.key ?? null;

/**
 * Runs `click` and returns the jobId the browser's tRPC call `procedure` answered with (batched or
 * not), so the test follows exactly the job its click started.
 */
export async function jobIdOf(page: Page, procedure: string, click: () => Promise<void>): Promise<string> {
  const answered = page.waitForResponse((r) => r.request().method() === "POST" && trpcNames(r.url()).includes(procedure), {
    timeout: 60_000,
  });
  await click();
  const res = await answered;
  const body = await res.json();
  const one = Array.isArray(body) ? body[trpcNames(res.url()).indexOf(procedure)] : body;
  const id = one?.result?.data?.json?.jobId;
  if (typeof id !== "string") throw new Error(`${procedure} answered ${res.status()}: ${JSON.stringify(body).slice(0, 400)}`);
  return id;
}

/** The procedures a tRPC request carries: `/api/trpc/a.b,c.d?batch=1` → ["a.b", "c.d"]. */
function trpcNames(url: string): string[] {
  const path = new URL(url).pathname;
  return path.startsWith("/api/trpc/") ? decodeURIComponent(path.slice("/api/trpc/".length)).split(",") : [];
}

/** Waits until the job view on the page shows this job ended as expected, and returns the job. */
export async function expectJobOnPage(page: Page, id: string, status: "succeeded" | "failed", timeoutMs = 180_000): Promise<JobView> {
  await expect(page.locator(`[data-job-id="${id}"]`)).toHaveAttribute("data-status", status, { timeout: timeoutMs });
  const job = await waitJob(page.request, id, 10_000);
  expect(job.status, job.error ?? "").toBe(status);
  return job;
}

/** A tRPC mutation whose refusal is the point: status, message and the fields it names. */
export async function trpcRefusal(request: APIRequestContext, path: string, input: unknown) {
  const res = await request.post(`/api/trpc/${path}`, { data: { json: input } });
  const body = await res.json();
  const error = body.error?.json as { message?: string; data?: { fieldErrors?: Record<string, string[]> | null } } | undefined;
  return {
    ok: res.ok(),
    status: res.status(),
    message: error?.message ?? "",
    fields: Object.keys(error?.data?.fieldErrors ?? {}),
  };
}

export interface StackRow {
  id: string;
  name: string;
  publicDomain: string;
  imageRepository: string;
  registryUrl: string | null;
  registryUsername: string | null;
  healthPath: string;
}

/** The fields stack.update takes, from a stack as stack.get shows it (the stored registry password is kept). */
export const stackInput = (s: StackRow) => ({
  id: s.id,
  name: s.name,
  publicDomain: s.publicDomain,
  imageRepository: s.imageRepository,
  registryUrl: s.registryUrl ?? "",
  registryUsername: s.registryUsername ?? "",
  healthPath: s.healthPath,
});

/**
 * The stack with the fleet's registry (created when missing), its go-live settings (the fleet's role
 * images unless `images` says otherwise) and its services placed as `services` says ([kind, host]).
 */
export async function ensureStack(
  request: APIRequestContext,
  name: string,
  publicDomain: string,
  services: [string, string][],
  settings: { smokeSteps?: string[]; images?: Record<string, string> } = {},
): Promise<StackRow> {
  const fleet = fleetStatus();
  const stacks = await trpcQuery<StackRow[]>(request, "stack.list", undefined);
  if (!stacks.some((s) => s.name === name)) {
    await trpcMutation(request, "stack.create", {
      name,
      publicDomain,
      imageRepository: fleet.registry.repository,
      registryUrl: fleet.registry.url,
      registryUsername: fleet.registry.username,
      registryPassword: fleet.registry.password,
      healthPath: "/api/v1/ping",
    });
  }
  const images = { ...fleet.roleImages, ...settings.images };
  panelCli([
    "stack",
    "golive-settings",
    "--name",
    name,
    "--json",
    JSON.stringify({ images, smokeSteps: settings.smokeSteps ?? ALL_SMOKE }),
  ]);
  const { stack, services: placed } = await trpcQuery<{ stack: StackRow; services: { kind: string; hostName: string }[] }>(
    request,
    "stack.get",
    { idOrName: name },
  );
  const hosts = await trpcQuery<{ id: string; name: string }[]>(request, "host.list", undefined);
  for (const [kind, hostName] of services) {
    if (placed.some((p) => p.kind === kind && p.hostName === hostName)) continue;
    const hostId = hosts.find((h) => h.name === hostName)?.id;
    if (!hostId) throw new Error(`host ${hostName} is not registered in the panel (fleet import --bare?)`);
    await trpcMutation(request, "service.create", {
      stackId: stack.id,
      hostId,
      kind,
      containerName: DEFAULT_CONTAINER[kind],
      settings: {},
    });
  }
  return stack;
}

/** Starts a go-live through tRPC and waits for its end. */
export async function goLiveViaApi(request: APIRequestContext, stack: string, tag: string, timeoutMs = 240_000): Promise<JobView> {
  const { jobId } = await trpcMutation<{ jobId: string }>(request, "golive.goLive", { stack, tag });
  return waitJob(request, jobId, timeoutMs);
}

export const containerOf = (kind: string) => DEFAULT_CONTAINER[kind] ?? kind;
