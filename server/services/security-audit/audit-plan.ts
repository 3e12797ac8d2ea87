import type { Host, Stack } from "@prisma/client";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import type { ServiceRow } from "@/server/services/golive/stack-layout";
import type { AuditedHost } from "./host-facts";

export interface AuditPlan {
  hosts: { row: Host; audited: AuditedHost }[];
  services: ServiceRow[];
  /** The private addresses of the app and storage hosts: the only sources allowed to reach 3306 and 6379. */
  appPrivateSources: string[];
}

/** The hosts the stack's services are placed on, each with the roles placed there. */
export async function readAuditPlan(stack: Stack): Promise<AuditPlan> {
  const services = await db.service.findMany({ where: { stackId: stack.id }, include: { host: true }, orderBy: [{ kind: "asc" }] });
  if (!services.length)
    throw new AppError("PRECONDITION_FAILED", `Stack ${stack.name} has no services: place them on their hosts first (Stack → Services).`);
  const byHost = new Map<string, { row: Host; audited: AuditedHost }>();
  for (const s of services) {
    const e = byHost.get(s.hostId) ?? {
      row: s.host,
      audited: {
        name: s.host.name,
        address: s.host.address,
        privateAddress: s.host.privateAddress,
        sshPort: s.host.sshPort,
        sshUser: s.host.sshUser,
        roles: [],
      },
    };
    if (!e.audited.roles.includes(s.kind)) e.audited.roles.push(s.kind);
    byHost.set(s.hostId, e);
  }
  // A db or cache host can serve several stacks (plan and plannx share plan-db): the app hosts of every
  // stack with a data service on one of these hosts may reach it.
  const dataHostIds = services.filter((s) => s.kind === "db" || s.kind === "cache").map((s) => s.hostId);
  const sharing = dataHostIds.length
    ? await db.service.findMany({ where: { hostId: { in: dataHostIds }, kind: { in: ["db", "cache"] } }, select: { stackId: true } })
    : [];
  const stackIds = [...new Set([stack.id, ...sharing.map((s) => s.stackId)])];
  const apps = await db.service.findMany({
    where: { stackId: { in: stackIds }, kind: { in: ["app", "storage"] } },
    include: { host: true },
  });
  const appPrivateSources = [...new Set(apps.map((s) => s.host.privateAddress ?? s.host.address))];
  return { hosts: [...byHost.values()], services, appPrivateSources };
}
