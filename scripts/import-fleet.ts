import { readFleetStatus } from "@/fleet/lib/index";
import { db } from "@/server/db";
import { DEFAULT_CONTAINER_NAMES } from "@/server/domain/roles";
import { CLI_ACTOR } from "@/server/services/auth/actor";
import { createHost, updateHost } from "@/server/services/inventory/hosts";
import { createService } from "@/server/services/inventory/services";
import { createStack, updateStack } from "@/server/services/inventory/stacks";

/**
 * Registers the local sandbox fleet in the panel: the stack, its hosts (keys read from the fleet's files
 * and host keys pinned from the fleet's own record, so no blind trust-on-first-use) and its services.
 * Idempotent: existing rows are updated.
 */
export async function importFleet(): Promise<string> {
  const fleet = await readFleetStatus();
  if (!fleet.up) throw new Error("the sandbox fleet is not up: run `npm run fleet -- up` first");
  const stackInput = {
    name: fleet.stack.name,
    publicDomain: fleet.stack.publicDomain,
    imageRepository: fleet.registry.repository,
    registryUrl: fleet.registry.url,
    registryUsername: fleet.registry.username,
    registryPassword: fleet.registry.password,
    healthPath: "/api/v1/ping",
  };
  const existingStack = await db.stack.findUnique({ where: { name: stackInput.name } });
  const stack = existingStack
    ? await updateStack({ id: existingStack.id, ...stackInput }, CLI_ACTOR)
    : await createStack(stackInput, CLI_ACTOR);

  for (const h of fleet.hosts) {
    if (!h.hostKeyFingerprint) throw new Error(`the fleet has no host key record for ${h.name}: run \`npm run fleet -- up\``);
    const hostInput = {
      name: h.name,
      address: h.sshHost,
      sshPort: h.sshPort,
      sshUser: h.user,
      privateKeyPath: h.privateKeyPath,
      privateAddress: h.privateAddress,
      dockerSocket: h.dockerSocket,
      roles: h.roles,
    };
    const existing = await db.host.findUnique({ where: { name: h.name } });
    const host = existing
      ? await updateHost({ id: existing.id, ...hostInput }, CLI_ACTOR)
      : await createHost(hostInput, CLI_ACTOR, h.hostKeyFingerprint);
    await db.host.update({
      where: { id: host.id },
      data: {
        hostKeyFingerprint: h.hostKeyFingerprint,
        hostKeyState: "PINNED",
        presentedFingerprint: null,
        hostKeyPinnedAt: new Date(),
        hostKeyPinnedBy: "fleet record",
      },
    });
    for (const kind of h.roles) {
      const has = await db.service.findFirst({ where: { stackId: stack.id, hostId: host.id, kind } });
      if (!has)
        await createService(
          { stackId: stack.id, hostId: host.id, kind, containerName: DEFAULT_CONTAINER_NAMES[kind], settings: {} },
          CLI_ACTOR,
        );
    }
  }
  return `imported stack ${stack.name} with ${fleet.hosts.length} hosts (${fleet.hosts.map((h) => h.name).join(", ")}), host keys pinned from the fleet record`;
}
