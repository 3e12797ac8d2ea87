import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { dockerApi, fleetHost } from "../support/fleet";
import { trpcQuery } from "../support/trpc";
import { jobIdOf, waitJob } from "../8-golive/golive-fixtures";

export interface Check {
  id: string;
  area: string;
  label: string;
  verdict: "pass" | "fail" | "unknown";
  evidence: string;
  fix: string | null;
  panelFix: string | null;
  acceptedRisk?: { reason: string } | null;
}
interface Overview {
  latest: {
    id: string;
    score: number | null;
    results: { host: string; checks: Check[]; error: string | null }[];
    changes: { checkId: string; from: string; to: string; host: string }[];
  } | null;
}

export const overview = (request: APIRequestContext, stack: string) => trpcQuery<Overview>(request, "security.overview", { stack });

/** One check of the newest run, by host and id (fails naming what the run has when it is missing). */
export async function checkOf(request: APIRequestContext, stack: string, host: string, id: string): Promise<Check> {
  const ov = await overview(request, stack);
  const h = ov.latest?.results.find((r) => r.host === host);
  const c = h?.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} on ${host}; the run has: ${h?.checks.map((x) => x.id).join(", ") ?? `no host ${host}`}`);
  return c;
}

/** Clicks "Run audit now" on the stack's Security page and waits for the job to succeed. */
export async function runAuditFromPage(page: Page, stack: string): Promise<string> {
  await page.goto(`/stacks/${stack}/security`);
  const jobId = await jobIdOf(page, "security.run", () => page.getByRole("button", { name: "Run audit now" }).click());
  const job = await waitJob(page.request, jobId, 120_000);
  expect(job.status, job.error ?? "").toBe("succeeded");
  return jobId;
}

interface Inspect {
  Name: string;
  Config: {
    Image: string;
    Cmd: string[] | null;
    Entrypoint: string[] | null;
    Env: string[];
    Labels: Record<string, string>;
    ExposedPorts?: object;
  };
  HostConfig: Record<string, unknown> & { PortBindings?: Record<string, { HostIp: string; HostPort: string }[]> };
}

/**
 * Re-creates a container as an operator fixing it by hand would (`docker rm -f` + `docker run` with the
 * same image, env, volumes and labels): published on `hostIp` instead, with extra command words.
 */
export async function recreate(host: string, name: string, change: { hostIp: string; extraCmd?: string[] }): Promise<void> {
  const sock = fleetHost(host).dockerSocket;
  const { body: info } = await dockerApi<Inspect>(sock, "GET", `/containers/${name}/json`);
  const bindings = Object.fromEntries(
    Object.entries(info.HostConfig.PortBindings ?? {}).map(([k, v]) => [
      k,
      v.map((b) => ({ HostIp: change.hostIp, HostPort: b.HostPort })),
    ]),
  );
  const body = {
    Image: info.Config.Image,
    Cmd: [...(info.Config.Cmd ?? []), ...(change.extraCmd ?? [])],
    Entrypoint: info.Config.Entrypoint,
    Env: info.Config.Env,
    Labels: info.Config.Labels,
    ExposedPorts: info.Config.ExposedPorts,
    HostConfig: { ...info.HostConfig, PortBindings: bindings },
  };
  expect((await dockerApi(sock, "DELETE", `/containers/${name}?force=true`)).status).toBe(204);
  const created = await dockerApi<{ Id: string }>(sock, "POST", `/containers/create?name=${name}`, body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await dockerApi(sock, "POST", `/containers/${created.body.Id}/start`)).status).toBe(204);
}
