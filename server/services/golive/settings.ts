import { db } from "@/server/db";
import { parseGoLiveSettings, type GoLiveSettings } from "@/server/domain/golive";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { getStackRow } from "@/server/services/inventory/stacks";
import { createSshDocker } from "@/server/adapters/docker";
import { execCommand } from "@/server/adapters/ssh/exec";
import { preflightHost, type HostPreflight } from "./preflight";
import { createReadinessPorts } from "./readiness";
import type { ProvisionPorts } from "./provision-role";
import { readPlacementLoose } from "./stack-layout";
import type { ProvisionRole } from "@/server/domain/golive";

export async function getGoLiveSettings(stackRef: string): Promise<GoLiveSettings> {
  return parseGoLiveSettings((await getStackRow(stackRef)).goLiveSettings);
}

/** How the stack's roles are provisioned and which smoke steps run (admins; audited). */
export async function saveGoLiveSettings(stackRef: string, settings: GoLiveSettings, actor: Actor): Promise<GoLiveSettings> {
  const stack = await getStackRow(stackRef);
  await db.stack.update({ where: { id: stack.id }, data: { goLiveSettings: JSON.stringify(settings) } });
  await recordAuditEvent(actor, { action: "golive.settings", target: stack.name, details: { ...settings } });
  return settings;
}

export function defaultProvisionPorts(): ProvisionPorts {
  const docker = createSshDocker();
  return { docker, exec: (t, argv, o) => execCommand(t, argv, o), readiness: createReadinessPorts(docker) };
}

/** Preflight of every host the stack's services are placed on, for the roles placed there (read-only). */
export async function preflightStack(stackRef: string, ports: ProvisionPorts = defaultProvisionPorts()): Promise<HostPreflight[]> {
  const stack = await getStackRow(stackRef);
  const p = await readPlacementLoose(stack, "checking it before going live").catch(async () => ({
    services: [] as Awaited<ReturnType<typeof readPlacementLoose>>["services"],
  }));
  const byHost = new Map<string, { host: (typeof p.services)[number]["host"]; roles: ProvisionRole[] }>();
  for (const s of p.services) {
    const e = byHost.get(s.hostId) ?? { host: s.host, roles: [] };
    e.roles.push(s.kind as ProvisionRole);
    byHost.set(s.hostId, e);
  }
  return Promise.all([...byHost.values()].map((e) => preflightHost(e.host, e.roles, ports, stack.name)));
}
