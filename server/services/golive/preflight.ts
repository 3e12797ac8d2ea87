import type { Host } from "@prisma/client";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { db } from "@/server/db";
import type { ProvisionRole } from "@/server/domain/golive";
import { AppError, isAppError } from "@/server/errors";
import type { JobContext } from "@/server/jobs/types";
import { toSshTarget } from "@/server/services/inventory/host-target";
import {
  checkClock,
  checkCompose,
  checkDirs,
  checkDisk,
  checkPorts,
  PREFLIGHT_SCRIPT,
  ROLE_NEEDS,
  sections,
  type PreflightItem,
} from "./preflight-checks";
import type { ProvisionPorts } from "./provision-role";
import { GOLIVE_LABELS } from "./role-spec";
import type { Placement } from "./stack-layout";

export interface HostPreflight {
  host: string;
  roles: ProvisionRole[];
  items: PreflightItem[];
  /** True when nothing failed: provisioning may start (unknowns are shown, not blocking). */
  ok: boolean;
}

const fail = (id: string, label: string, evidence: string, fix: string): PreflightItem => ({ id, label, status: "fail", evidence, fix });

/**
 * Read-only checks of one host for the roles it is to take: SSH with the pinned key, Docker Engine,
 * the compose plugin, free disk and inodes, the role directories, the clock, the ports the roles need,
 * and whether their containers already exist. Nothing on the host is changed.
 */
export async function preflightHost(host: Host, roles: ProvisionRole[], ports: ProvisionPorts, stackName: string): Promise<HostPreflight> {
  const items: PreflightItem[] = [];
  if (host.hostKeyState !== "PINNED") {
    items.push(
      fail(
        "ssh",
        "SSH with the pinned host key",
        `host key ${host.hostKeyState.toLowerCase()}`,
        "Fetch and verify the host's fingerprint on its page, then pin it.",
      ),
    );
    return { host: host.name, roles, items, ok: false };
  }
  const target: SshTarget = toSshTarget(host);
  const needs = roles.map((r) => ROLE_NEEDS[r]);
  const dirs = [...new Set(needs.flatMap((n) => n.dirs))];
  const started = Date.now();
  let run: { stdout: string };
  try {
    run = await ports.exec(target, ["sh", "-c", PREFLIGHT_SCRIPT, "sh", ...dirs], {
      throwOnNonZero: false,
      action: "run the preflight checks",
      timeoutMs: 20_000,
    });
  } catch (err) {
    items.push(
      fail(
        "ssh",
        "SSH with the pinned host key",
        isAppError(err) ? err.message : String(err),
        "Check the host is up, reachable on its SSH port, and that the panel's key is authorised.",
      ),
    );
    return { host: host.name, roles, items, ok: false };
  }
  items.push({
    id: "ssh",
    label: "SSH with the pinned host key",
    status: "pass",
    evidence: `${host.sshUser}@${host.address}:${host.sshPort}, key ${host.hostKeyFingerprint ?? "?"}, answered in ${Date.now() - started} ms`,
  });
  const s = sections(run.stdout);
  items.push(await checkDocker(ports, target));
  items.push(checkCompose(s.get("compose")));
  items.push(...checkDisk(s.get("df"), s.get("dfi"), Math.max(...needs.map((n) => n.minFreeMb))));
  items.push(checkDirs(s.get("dirs"), dirs));
  items.push(checkClock(s.get("date"), Math.round(Date.now() / 1000)));
  const containers = items.find((i) => i.id === "docker")?.status === "pass" ? await checkContainers(ports, target, roles, stackName) : [];
  // A role the panel provisioned earlier holds its own ports: only the others must find them free.
  const pending = roles.filter((r) => !containers.some((c) => c.id === `container:${r}` && c.label.endsWith("(provisioned earlier)")));
  const wanted = [...new Set(pending.flatMap((r) => ROLE_NEEDS[r].ports))];
  if (wanted.length) items.push(checkPorts(s.get("ss"), wanted));
  items.push(...containers);
  return { host: host.name, roles, items, ok: !items.some((i) => i.status === "fail") };
}

async function checkDocker(ports: ProvisionPorts, target: SshTarget): Promise<PreflightItem> {
  try {
    const v = await ports.docker(target).version();
    return {
      id: "docker",
      label: "Docker Engine",
      status: "pass",
      evidence: `Docker ${v.Version} (API ${v.ApiVersion}) at ${target.dockerSocket}`,
    };
  } catch (err) {
    return fail(
      "docker",
      "Docker Engine",
      isAppError(err) ? err.message : String(err),
      "Install Docker Engine (https://docs.docker.com/engine/install/), start it, and let the SSH user reach its socket.",
    );
  }
}

/** A role's container that exists and is not the panel's is a conflict; one the panel provisioned is resumed. */
async function checkContainers(
  ports: ProvisionPorts,
  target: SshTarget,
  roles: ProvisionRole[],
  stackName: string,
): Promise<PreflightItem[]> {
  const docker = ports.docker(target);
  const out: PreflightItem[] = [];
  for (const role of roles) {
    const name = ROLE_NEEDS[role].container;
    const info = await docker
      .inspectContainer(name)
      .catch((err: unknown) => (isAppError(err) && err.code === "NOT_FOUND" ? null : Promise.reject(err)));
    const labels = info?.Config.Labels ?? {};
    const ours = labels[GOLIVE_LABELS.managed] === "1" && labels[GOLIVE_LABELS.stack] === stackName;
    out.push(
      !info
        ? { id: `container:${role}`, label: `No ${name} yet`, status: "pass", evidence: `no container named ${name}` }
        : ours
          ? {
              id: `container:${role}`,
              label: `${name} (provisioned earlier)`,
              status: "pass",
              evidence: `${name} ${info.State.Running ? "runs" : "is stopped"} (${info.Config.Image}); a go-live checks it and goes on`,
            }
          : fail(
              `container:${role}`,
              `${name} already exists`,
              `${name} runs ${info.Config.Image}, not created by the panel for ${stackName}`,
              "Adopt the stack instead (Stack → Adopt), or remove that container first.",
            ),
    );
  }
  return out;
}

/** Preflight of every host of a placement, as the go-live's first step: refuses before any change. */
export async function runPreflightForPlacement(job: JobContext, p: Placement, ports: ProvisionPorts): Promise<HostPreflight[]> {
  const byHost = new Map<string, { host: Host; roles: ProvisionRole[] }>();
  const add = (s: { host: Host }, role: ProvisionRole) => {
    const e = byHost.get(s.host.id) ?? { host: s.host, roles: [] };
    if (!e.roles.includes(role)) e.roles.push(role);
    byHost.set(s.host.id, e);
  };
  add(p.db, "db");
  add(p.cache, "cache");
  for (const a of p.apps) add(a, "app");
  for (const s of p.storage) add(s, "storage");
  add(p.proxy, "proxy");
  const results = await Promise.all([...byHost.values()].map((e) => preflightHost(e.host, e.roles, ports, p.stack.name)));
  for (const r of results) {
    for (const i of r.items)
      job.log(
        `${r.host} ${i.label}: ${i.status}: ${i.evidence.split("\n").join("; ")}`,
        i.status === "fail" ? "error" : i.status === "unknown" ? "warn" : "info",
      );
  }
  const failed = results.flatMap((r) => r.items.filter((i) => i.status === "fail").map((i) => ({ host: r.host, i })));
  if (failed.length) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `Preflight failed, nothing was changed: ${failed.map(({ host, i }) => `${host}: ${i.label} (${i.evidence.split("\n")[0]}): ${i.fix ?? ""}`).join("; ")}`,
      { host: failed[0]!.host, data: { failures: failed.map(({ host, i }) => ({ host, id: i.id, label: i.label })) } },
    );
  }
  return results;
}

/** The preflight an operator asks for on one host and the roles they mean to place there. */
export async function preflightHostById(
  hostId: string,
  roles: ProvisionRole[],
  ports: ProvisionPorts,
  stackName: string,
): Promise<HostPreflight> {
  const host = await db.host.findUnique({ where: { id: hostId } });
  if (!host) throw new AppError("NOT_FOUND", "Host not found", { data: { field: "hostId" } });
  return preflightHost(host, roles, ports, stackName);
}
