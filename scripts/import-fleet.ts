import { readFleetStatus, type FleetHostStatus, type FleetStatus } from "@/fleet/lib/index";
import { db } from "@/server/db";
import { ALL_SMOKE_STEPS } from "@/server/services/smoke/steps";
import { DEFAULT_CONTAINER_NAMES, type HostRole } from "@/server/domain/roles";
import { ZGoLiveSettings } from "@/server/domain/golive";
import { CLI_ACTOR } from "@/server/services/auth/actor";
import { createHost, updateHost } from "@/server/services/inventory/hosts";
import { createService } from "@/server/services/inventory/services";
import { createStack, updateStack } from "@/server/services/inventory/stacks";

export interface ImportOptions {
  /** Also the stacks laid out by the plan's templates (plan, plannx), their hosts and services. */
  plan?: boolean;
  /** Also the bare hosts (no services), for provisioning. */
  bare?: boolean;
}

interface StackImport {
  name: string;
  publicDomain: string;
  hosts: FleetHostStatus[];
  services: { host: string; kind: HostRole; settings?: Record<string, string | number | boolean> }[];
  /** The stack's go-live settings: the fleet registry's role images, and which smoke steps run. */
  goLive?: Record<string, unknown>;
}

/**
 * Registers the local sandbox fleet in the panel: the stack, its hosts (keys read from the fleet's files
 * and host keys pinned from the fleet's own record, so no blind trust-on-first-use) and its services.
 * Idempotent: existing rows are updated. By default only the pixelfox stack (and benchmark extras).
 */
export async function importFleet(options: ImportOptions = {}): Promise<string> {
  const fleet = await readFleetStatus();
  if (!fleet.up) throw new Error("the sandbox fleet is not up: run `npm run fleet -- up` first");
  const core = fleet.hosts.filter((h) => h.group === "core");
  const lines: string[] = [];
  lines.push(
    await importStack(fleet, {
      name: fleet.stack.name,
      publicDomain: fleet.stack.publicDomain,
      hosts: core,
      services: core.flatMap((h) => h.roles.map((kind) => ({ host: h.name, kind }))),
    }),
  );
  const extras = fleet.hosts.filter((h) => h.group === "extra");
  for (const h of extras) await importHost(h);
  if (extras.length) lines.push(`${extras.length} extra host(s)`);
  const images = { db: fleet.roleImages.db, cache: fleet.roleImages.cache, caddy: fleet.roleImages.caddy, nginx: fleet.roleImages.nginx };
  if (options.plan) {
    for (const ps of fleet.planStacks) {
      // plannx keeps its data in a database of its own on plan's db server, and uses plan's cache.
      const hosts = fleet.hosts.filter(
        (h) => h.stack === ps.name || (h.stack === "plan" && (h.roles.includes("db") || h.roles.includes("cache"))),
      );
      const services = hosts.flatMap((h) =>
        h.roles
          .filter((kind) => h.stack === ps.name || kind === "db" || kind === "cache")
          .map((kind) => ({ host: h.name, kind, settings: kind === "db" ? { database: ps.db.name } : undefined })),
      );
      lines.push(
        await importStack(fleet, {
          name: ps.name,
          publicDomain: ps.publicDomain,
          hosts,
          services,
          goLive: { images, proxy: ps.proxy, smokeSteps: ALL_SMOKE_STEPS },
        }),
      );
    }
  }
  if (options.bare) {
    const bare = fleet.hosts.filter((h) => h.group === "bare");
    for (const h of bare) await importHost(h);
    lines.push(`bare hosts ${bare.map((h) => h.name).join(", ")}`);
  }
  return `imported ${lines.join("; ")}; host keys pinned from the fleet record`;
}

async function importStack(fleet: FleetStatus, s: StackImport): Promise<string> {
  const stackInput = {
    name: s.name,
    publicDomain: s.publicDomain,
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
  if (s.goLive)
    await db.stack.update({ where: { id: stack.id }, data: { goLiveSettings: JSON.stringify(ZGoLiveSettings.parse(s.goLive)) } });
  for (const h of s.hosts) {
    const host = await importHost(h);
    for (const svc of s.services.filter((x) => x.host === h.name)) {
      const has = await db.service.findFirst({ where: { stackId: stack.id, hostId: host.id, kind: svc.kind } });
      if (!has) {
        await createService(
          {
            stackId: stack.id,
            hostId: host.id,
            kind: svc.kind,
            containerName: DEFAULT_CONTAINER_NAMES[svc.kind],
            settings: svc.settings ?? {},
          },
          CLI_ACTOR,
        );
      }
    }
  }
  return `stack ${stack.name} with ${s.hosts.length} hosts (${s.hosts.map((h) => h.name).join(", ")})`;
}

async function importHost(h: FleetHostStatus) {
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
  return host;
}
