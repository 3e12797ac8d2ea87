import type { Host, Stack } from "@prisma/client";
import { db } from "@/server/db";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { AppError } from "@/server/errors";
import type { ServiceKind } from "@/server/domain/roles";
import { toSshTarget } from "@/server/services/inventory/host-target";

/** A host of the stack as the sweep sees it: reachable only when its host key is pinned. */
export interface TopologyHost {
  id: string;
  name: string;
  address: string;
  hostKeyState: string;
  /** Null when the panel must not talk to the host (key unpinned or changed). */
  target: SshTarget | null;
}

export interface TopologyService {
  id: string;
  kind: ServiceKind;
  host: TopologyHost;
  containerName: string;
  settings: Record<string, unknown>;
}

export interface StackTopology {
  stack: Stack;
  hosts: TopologyHost[];
  services: TopologyService[];
}

/** Load a stack's hosts and services; decrypts keys in memory for pinned hosts only. */
export async function loadStackTopology(stackRef: string): Promise<StackTopology> {
  const stack = await db.stack.findFirst({ where: { OR: [{ id: stackRef }, { name: stackRef }] } });
  if (!stack) throw new AppError("NOT_FOUND", `Stack ${stackRef} not found`);
  const rows = await db.service.findMany({ where: { stackId: stack.id }, include: { host: true }, orderBy: { kind: "asc" } });
  const hosts = new Map<string, TopologyHost>();
  const hostOf = (h: Host): TopologyHost => {
    let found = hosts.get(h.id);
    if (!found) {
      found = toTopologyHost(h);
      hosts.set(h.id, found);
    }
    return found;
  };
  const services = rows.map((s) => ({
    id: s.id,
    kind: s.kind as ServiceKind,
    host: hostOf(s.host),
    containerName: s.containerName,
    settings: safeJson(s.settings),
  }));
  return { stack, hosts: [...hosts.values()].sort((a, b) => a.name.localeCompare(b.name)), services };
}

/** A host as a probe sees it; decrypts its key in memory only when the host key is pinned. */
export function toTopologyHost(h: Host): TopologyHost {
  // Security: a host whose key is not pinned (or changed) is never contacted by a probe.
  const target = h.hostKeyState === "PINNED" ? toSshTarget(h) : null;
  return { id: h.id, name: h.name, address: h.address, hostKeyState: h.hostKeyState, target };
}

function safeJson(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}
