import { hasRole, type Role } from "@/server/domain/roles";
import { db } from "@/server/db";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { isSecretEnvKey } from "@/server/services/secrets/env-secrets";
import type { ContainerSummary } from "@/server/services/hosts/normalize-container";
import { getHost, getHostRow, type HostView } from "@/server/services/inventory/hosts";
import { decideContainerLogAccess, loadHostLogScope } from "./log-access";

/**
 * Lets viewers read every container's log on the host, or only the stack's service containers again
 * (admins; audited with the before and after).
 */
export async function setViewerLogsAllowed(hostId: string, allowed: boolean, actor: Actor): Promise<HostView> {
  const host = await getHostRow(hostId);
  await db.host.update({ where: { id: host.id }, data: { viewerLogsAllowed: allowed } });
  await recordAuditEvent(actor, {
    action: "host.viewer-logs",
    target: host.name,
    details: { from: host.viewerLogsAllowed, to: allowed },
  });
  return getHost(host.id);
}

/** A container as the host page lists it, with whether the caller may open its log. */
export type ContainerForRole = ContainerSummary & { canReadLogs: boolean };

/**
 * The host's containers as the caller's role may see them: each says whether its log opens for the
 * caller (the page hides the link otherwise). Security: for non-admins, label values under secret-looking
 * keys (basic-auth users, tokens that some tools put in labels) are masked.
 */
export async function describeContainersFor(role: Role, hostId: string, containers: ContainerSummary[]): Promise<ContainerForRole[]> {
  const scope = await loadHostLogScope(await getHostRow(hostId));
  return containers.map((c) => ({
    ...c,
    labels: hasRole(role, "ADMIN") ? c.labels : maskSecretLabels(c.labels),
    canReadLogs: decideContainerLogAccess(role, scope, c.name).allowed,
  }));
}

const SECRET_LABEL = /(auth|passw|secret|token|credential)/i;

function maskSecretLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(labels).map(([k, v]) => [k, SECRET_LABEL.test(k) || isSecretEnvKey(k.replace(/[.-]/g, "_")) ? "•••" : v]),
  );
}
