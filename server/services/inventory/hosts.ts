import type { Host } from "@prisma/client";
import { db } from "@/server/db";
import { decryptSecret, encryptSecret } from "@/server/crypto";
import { AppError } from "@/server/errors";
import type { HostKeyState, HostRole } from "@/server/domain/roles";
import { HOST_KEY_STATES, HOST_ROLES } from "@/server/domain/roles";
import type { TCreateHostInput, TUpdateHostInput } from "@/server/domain/inventory";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { publicKeyFingerprint, resolvePrivateKey } from "./private-key";

const KEY_AAD = "host.privateKey";

/** What the API returns for a host. Security: never the private key. */
export interface HostView {
  id: string;
  name: string;
  address: string;
  sshPort: number;
  sshUser: string;
  publicKeyFingerprint: string | null;
  hostKeyFingerprint: string | null;
  hostKeyState: HostKeyState;
  presentedFingerprint: string | null;
  hostKeyPinnedAt: Date | null;
  hostKeyPinnedBy: string | null;
  privateAddress: string | null;
  dockerSocket: string;
  roles: HostRole[];
  lastCheckAt: Date | null;
  lastCheckOk: boolean | null;
  lastError: string | null;
  /** Viewers may read every container's log on this host, not only the stack's service containers. */
  viewerLogsAllowed: boolean;
}

export function toHostView(h: Host): HostView {
  const roles = (JSON.parse(h.roles) as string[]).filter((r): r is HostRole => (HOST_ROLES as readonly string[]).includes(r));
  const state = (HOST_KEY_STATES as readonly string[]).includes(h.hostKeyState) ? (h.hostKeyState as HostKeyState) : "UNPINNED";
  return {
    id: h.id,
    name: h.name,
    address: h.address,
    sshPort: h.sshPort,
    sshUser: h.sshUser,
    publicKeyFingerprint: h.publicKeyFingerprint,
    hostKeyFingerprint: h.hostKeyFingerprint,
    hostKeyState: state,
    presentedFingerprint: h.presentedFingerprint,
    hostKeyPinnedAt: h.hostKeyPinnedAt,
    hostKeyPinnedBy: h.hostKeyPinnedBy,
    privateAddress: h.privateAddress,
    dockerSocket: h.dockerSocket,
    roles,
    lastCheckAt: h.lastCheckAt,
    lastCheckOk: h.lastCheckOk,
    lastError: h.lastError,
    viewerLogsAllowed: h.viewerLogsAllowed,
  };
}

export async function listHosts(): Promise<HostView[]> {
  return (await db.host.findMany({ orderBy: { name: "asc" } })).map(toHostView);
}

export async function getHostRow(id: string): Promise<Host> {
  const host = await db.host.findUnique({ where: { id } });
  if (!host) throw new AppError("NOT_FOUND", "Host not found: it may have been deleted");
  return host;
}

export async function getHost(id: string): Promise<HostView> {
  return toHostView(await getHostRow(id));
}

/** Decrypts the stored key; only transport code calls this. */
export function decryptHostKey(host: Host): string {
  return decryptSecret(host.privateKeyEnc, KEY_AAD);
}

async function assertNameFree(name: string, exceptId?: string) {
  const other = await db.host.findUnique({ where: { name } });
  if (other && other.id !== exceptId) {
    throw new AppError("CONFLICT", `A host named ${name} already exists`, { data: { field: "name" } });
  }
}

export async function createHost(input: TCreateHostInput, actor: Actor, pinned?: string): Promise<HostView> {
  await assertNameFree(input.name);
  const key = await resolvePrivateKey(input);
  const host = await db.host.create({
    data: {
      name: input.name,
      address: input.address,
      sshPort: input.sshPort,
      sshUser: input.sshUser,
      privateKeyEnc: encryptSecret(key, KEY_AAD),
      publicKeyFingerprint: publicKeyFingerprint(key),
      privateAddress: input.privateAddress ?? null,
      dockerSocket: input.dockerSocket,
      roles: JSON.stringify(input.roles),
      ...(pinned ? { hostKeyFingerprint: pinned, hostKeyState: "PINNED", hostKeyPinnedAt: new Date(), hostKeyPinnedBy: actor.label } : {}),
    },
  });
  await recordAuditEvent(actor, { action: "host.create", target: host.name, details: { address: host.address, pinned: Boolean(pinned) } });
  return toHostView(host);
}

export async function updateHost(input: TUpdateHostInput, actor: Actor): Promise<HostView> {
  const current = await getHostRow(input.id);
  await assertNameFree(input.name, input.id);
  const newKey = input.privateKey || input.privateKeyPath ? await resolvePrivateKey(input) : null;
  const host = await db.host.update({
    where: { id: input.id },
    data: {
      name: input.name,
      address: input.address,
      sshPort: input.sshPort,
      sshUser: input.sshUser,
      privateAddress: input.privateAddress ?? null,
      dockerSocket: input.dockerSocket,
      roles: JSON.stringify(input.roles),
      ...(newKey ? { privateKeyEnc: encryptSecret(newKey, KEY_AAD), publicKeyFingerprint: publicKeyFingerprint(newKey) } : {}),
    },
  });
  await recordAuditEvent(actor, {
    action: "host.update",
    target: host.name,
    details: { from: { address: current.address, sshPort: current.sshPort }, keyReplaced: Boolean(newKey) },
  });
  return toHostView(host);
}

export async function deleteHost(id: string, actor: Actor): Promise<void> {
  const host = await getHostRow(id);
  const services = await db.service.count({ where: { hostId: id } });
  if (services > 0) {
    throw new AppError("CONFLICT", `${host.name} still carries ${services} service(s): remove them from the stack first`);
  }
  await db.host.delete({ where: { id } });
  await recordAuditEvent(actor, { action: "host.delete", target: host.name });
}
