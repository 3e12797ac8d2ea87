import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { getLatestSweep } from "./latest";
import type { CheckResult } from "./types";

/** One host's latest check (null until a sweep ran) and the stacks it serves, for the host health page. */
export async function getHostHealth(hostId: string): Promise<{ host: { id: string; name: string; address: string }; stacks: { id: string; name: string }[]; check: CheckResult | null; services: CheckResult[] }> {
  const host = await db.host.findUnique({ where: { id: hostId }, include: { services: { include: { stack: true } } } });
  if (!host) throw new AppError("NOT_FOUND", "Host not found");
  const stacks = [...new Map(host.services.map((s) => [s.stack.id, { id: s.stack.id, name: s.stack.name }])).values()];
  const checks = stacks.flatMap((s) => getLatestSweep(s.id)?.checks ?? []);
  return {
    host: { id: host.id, name: host.name, address: host.address }, stacks,
    check: checks.find((c) => c.subject === `host:${host.name}`) ?? null,
    services: checks.filter((c) => c.hostId === host.id && c.kind !== "host"),
  };
}
