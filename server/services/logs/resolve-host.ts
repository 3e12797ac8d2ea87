import type { Host } from "@prisma/client";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { db } from "@/server/db";
import type { Role } from "@/server/domain/roles";
import { AppError } from "@/server/errors";
import { usableTarget } from "@/server/services/inventory/host-target";
import { assertContainerLogAccess } from "./log-access";

/** A host of the inventory given by id or, for readable links, by name. */
export async function findLogHost(hostKey: string): Promise<Host> {
  const host = (await db.host.findUnique({ where: { id: hostKey } })) ?? (await db.host.findUnique({ where: { name: hostKey } }));
  if (!host) throw new AppError("NOT_FOUND", `No host "${hostKey}" in the inventory: pick one from the list.`, { data: { field: "host" } });
  return host;
}

/**
 * The transport target for reading `container`'s log on a host, once the role may read it (403 otherwise,
 * before anything is sent to the host).
 */
export async function resolveLogHost(hostKey: string, role: Role, container: string): Promise<SshTarget> {
  const host = await findLogHost(hostKey);
  await assertContainerLogAccess(role, host, container);
  return usableTarget(host, "reading its logs");
}
