import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { isSweepStale, loadLatestSweep } from "./latest";
import { OTHER_HOSTS } from "./other-hosts";
import type { CheckResult } from "./types";

/** One host's health page: its latest check and its services' checks. */
export interface HostHealth {
  host: { id: string; name: string; address: string };
  stacks: { id: string; name: string }[];
  /** The stack whose samples chart this host: its first stack, or "" for a host placed in no stack. */
  sampleStack: string;
  check: CheckResult | null;
  services: (CheckResult & { serviceId: string | null })[];
  isStale: boolean;
}

/** One host's latest check (null until a sweep ran) and the stacks it serves, for the host health page. */
export async function getHostHealth(hostId: string): Promise<HostHealth> {
  const host = await db.host.findUnique({ where: { id: hostId }, include: { services: { include: { stack: true } } } });
  if (!host) throw new AppError("NOT_FOUND", "Host not found: it may have been deleted. Open the host list to pick another.");
  const stacks = [...new Map(host.services.map((s) => [s.stack.id, { id: s.stack.id, name: s.stack.name }])).values()];
  const stackIds = stacks.length ? stacks.map((s) => s.id) : [OTHER_HOSTS.id];
  const latest = (await Promise.all(stackIds.map((id) => loadLatestSweep(id)))).filter((l) => l !== null);
  const checks = latest.flatMap((l) => l.sweep.checks);
  const serviceId = (c: CheckResult) => host.services.find((s) => `${s.kind}@${host.name}` === c.subject)?.id ?? null;
  return {
    host: { id: host.id, name: host.name, address: host.address },
    stacks,
    sampleStack: stacks[0]?.name ?? OTHER_HOSTS.id,
    check: checks.find((c) => c.subject === `host:${host.name}`) ?? null,
    services: checks.filter((c) => c.hostId === host.id && c.kind !== "host").map((c) => ({ ...c, serviceId: serviceId(c) })),
    isStale: latest.some((l) => isSweepStale(l)),
  };
}
