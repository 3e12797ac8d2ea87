import type { SshTarget } from "@/server/adapters/ssh/types";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { usableTarget } from "@/server/services/inventory/host-target";

/** The transport target for a host given by id or, for readable links, by inventory name. */
export async function resolveLogHost(hostKey: string): Promise<SshTarget> {
  const host = (await db.host.findUnique({ where: { id: hostKey } })) ?? (await db.host.findUnique({ where: { name: hostKey } }));
  if (!host) throw new AppError("NOT_FOUND", `No host "${hostKey}" in the inventory: pick one from the list.`, { data: { field: "host" } });
  return usableTarget(host, "reading its logs");
}
