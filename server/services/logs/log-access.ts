import type { Host } from "@prisma/client";
import { db } from "@/server/db";
import { hasRole, type Role } from "@/server/domain/roles";
import { AppError } from "@/server/errors";

/** What decides whether a viewer may read a container's log on one host. */
export interface HostLogScope {
  hostName: string;
  /** An admin allowed viewers to read every container's log on this host. */
  viewerLogsAllowed: boolean;
  /** The stack services placed on this host. */
  services: { kind: string; containerName: string }[];
}

export type LogAccess = { allowed: true } | { allowed: false; reason: string };

const HEX_ID = /^(?:[a-f0-9]{12}|[a-f0-9]{64})$/;

/**
 * True for a container of a stack's service on the host: the service's container, and for an app service
 * the deploy's candidates (`<name>-next-…`) and the containers it keeps for rollback (`<name>-prev-…`).
 */
export function isServiceContainer(services: HostLogScope["services"], container: string): boolean {
  return services.some(
    (s) =>
      s.containerName === container ||
      (s.kind === "app" && (container.startsWith(`${s.containerName}-next-`) || container.startsWith(`${s.containerName}-prev-`))),
  );
}

/**
 * Who may read which container's log. Security: deployers and admins read every container of a registered
 * host; viewers read the stack's service containers (what the stack pages link to), and every other
 * container only where an admin allowed it for that host: another tenant's or a tool's container may print
 * things a viewer has no business seeing. A container named by id is matched by nothing but the host flag.
 */
export function decideContainerLogAccess(role: Role, scope: HostLogScope, container: string): LogAccess {
  if (hasRole(role, "DEPLOYER") || scope.viewerLogsAllowed || isServiceContainer(scope.services, container)) return { allowed: true };
  const byId = HEX_ID.test(container) ? " Viewers name a stack's container by its name, not its id." : "";
  return {
    allowed: false,
    reason: `${container} on ${scope.hostName} is not a container of a stack's service: a viewer may read only those.${byId} An admin can allow viewers to read every container's log on ${scope.hostName} (host page → Log access), or give you the DEPLOYER role.`,
  };
}

/** The scope of a host row: its flag and the stack services placed on it. */
export async function loadHostLogScope(host: Host): Promise<HostLogScope> {
  const services = await db.service.findMany({ where: { hostId: host.id }, select: { kind: true, containerName: true } });
  return { hostName: host.name, viewerLogsAllowed: host.viewerLogsAllowed, services };
}

/** Refuses (403, naming the container and why) a log the role may not read; nothing is sent to the host before. */
export async function assertContainerLogAccess(role: Role, host: Host, container: string): Promise<void> {
  const decision = decideContainerLogAccess(role, await loadHostLogScope(host), container);
  if (!decision.allowed)
    throw new AppError("FORBIDDEN", decision.reason, { host: host.name, data: { field: "container", container, host: host.name } });
}

/**
 * The slow query log needs DEPLOYER. Security: it holds the text of the stack's slowest queries, with the
 * values in them (emails, tokens in WHERE clauses), which is more than a viewer's role is meant to show.
 */
export function assertSlowLogAccess(role: Role): void {
  if (!hasRole(role, "DEPLOYER"))
    throw new AppError(
      "FORBIDDEN",
      `Reading the MySQL slow query log needs the DEPLOYER role: it shows the stack's query text with the values in it. You are ${role}.`,
      { data: { field: "source" } },
    );
}

/** True when the role may open the slow query log (the presets list hides it otherwise). */
export const canReadSlowLog = (role: Role) => hasRole(role, "DEPLOYER");
