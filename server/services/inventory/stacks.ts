import type { Stack } from "@prisma/client";
import { db } from "@/server/db";
import { decryptSecret, encryptSecret } from "@/server/crypto";
import { AppError, isAppError } from "@/server/errors";
import { assertOutboundLiteralAllowed } from "@/server/adapters/http/outbound-guard";
import { OUTBOUND } from "@/server/adapters/http/outbound-purposes";
import { resolveRegistryEndpoint } from "@/server/adapters/registry/reference";
import type { TCreateStackInput, TUpdateStackInput } from "@/server/domain/inventory";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { invalidateStackSecrets } from "@/server/services/secrets/secret-cache";

const PASSWORD_AAD = "stack.registryPassword";

/** A stack as the API shows it. Security: the registry password is only reported as set or not. */
export interface StackView {
  id: string;
  name: string;
  publicDomain: string;
  imageRepository: string;
  registryUrl: string | null;
  registryUsername: string | null;
  hasRegistryPassword: boolean;
  healthPath: string;
  /** New backup files are encrypted at rest. */
  backupEncryption: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export function toStackView(s: Stack): StackView {
  return {
    id: s.id,
    name: s.name,
    publicDomain: s.publicDomain,
    imageRepository: s.imageRepository,
    registryUrl: s.registryUrl,
    registryUsername: s.registryUsername,
    hasRegistryPassword: Boolean(s.registryPasswordEnc),
    healthPath: s.healthPath,
    backupEncryption: s.backupEncryption,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

export async function listStacks(): Promise<StackView[]> {
  return (await db.stack.findMany({ orderBy: { name: "asc" } })).map(toStackView);
}

export async function getStackRow(idOrName: string): Promise<Stack> {
  const stack = await db.stack.findFirst({ where: { OR: [{ id: idOrName }, { name: idOrName }] } });
  if (!stack) throw new AppError("NOT_FOUND", `Stack ${idOrName} not found`);
  return stack;
}

/** Registry credentials in clear, for adapters only. */
export function getRegistryCredentials(stack: Stack): { username: string; password: string } | null {
  if (!stack.registryUsername || !stack.registryPasswordEnc) return null;
  return { username: stack.registryUsername, password: decryptSecret(stack.registryPasswordEnc, PASSWORD_AAD) };
}

/**
 * Security: the panel sends requests to a stack's public domain (health checks, smoke checks) and
 * registry (tags, digests). Refused at save time when, as written, one of them is this panel's own
 * port or a link-local / metadata address; names are checked again on the resolved address at send time.
 */
function assertStackTargetsAllowed(input: Pick<TCreateStackInput, "publicDomain" | "imageRepository" | "registryUrl">): void {
  assertOutboundLiteralAllowed(input.publicDomain, OUTBOUND.publicDomain);
  let registryBase: string;
  try {
    registryBase = resolveRegistryEndpoint(input.imageRepository, input.registryUrl ?? undefined).baseUrl;
  } catch (err) {
    // A reference the registry code cannot read is reported, with its reason, when it is used.
    if (isAppError(err)) return;
    throw err;
  }
  assertOutboundLiteralAllowed(registryBase, input.registryUrl ? OUTBOUND.registryUrl : OUTBOUND.imageRepository);
}

export async function createStack(input: TCreateStackInput, actor: Actor): Promise<StackView> {
  assertStackTargetsAllowed(input);
  if (await db.stack.findUnique({ where: { name: input.name } })) {
    throw new AppError("CONFLICT", `A stack named ${input.name} already exists`, { data: { field: "name" } });
  }
  const stack = await db.stack.create({
    data: {
      name: input.name,
      publicDomain: input.publicDomain,
      imageRepository: input.imageRepository,
      registryUrl: input.registryUrl ?? null,
      registryUsername: input.registryUsername ?? null,
      registryPasswordEnc: input.registryPassword ? encryptSecret(input.registryPassword, PASSWORD_AAD) : null,
      healthPath: input.healthPath,
    },
  });
  await recordAuditEvent(actor, { action: "stack.create", target: stack.name });
  return toStackView(stack);
}

export async function updateStack(input: TUpdateStackInput, actor: Actor): Promise<StackView> {
  await getStackRow(input.id);
  assertStackTargetsAllowed(input);
  const other = await db.stack.findUnique({ where: { name: input.name } });
  if (other && other.id !== input.id) {
    throw new AppError("CONFLICT", `A stack named ${input.name} already exists`, { data: { field: "name" } });
  }
  const password = input.clearRegistryPassword
    ? { registryPasswordEnc: null }
    : input.registryPassword
      ? { registryPasswordEnc: encryptSecret(input.registryPassword, PASSWORD_AAD) }
      : {};
  const stack = await db.stack.update({
    where: { id: input.id },
    data: {
      name: input.name,
      publicDomain: input.publicDomain,
      imageRepository: input.imageRepository,
      registryUrl: input.registryUrl ?? null,
      registryUsername: input.registryUsername ?? null,
      healthPath: input.healthPath,
      ...password,
    },
  });
  invalidateStackSecrets(stack.id);
  await recordAuditEvent(actor, {
    action: "stack.update",
    target: stack.name,
    details: { registryPasswordChanged: "registryPasswordEnc" in password },
  });
  return toStackView(stack);
}

/**
 * Deletes a stack with what only makes sense for it (schedules, off-site settings, the last health
 * sweep). Refused while backups of it exist: they are never deleted as a side effect.
 */
export async function deleteStack(id: string, actor: Actor): Promise<void> {
  const stack = await getStackRow(id);
  const backups = await db.backup.count({ where: { stackId: stack.id } });
  if (backups > 0) {
    throw new AppError(
      "CONFLICT",
      `Stack ${stack.name} still has ${backups} backup${backups === 1 ? "" : "s"} on record: download what you want to keep and delete them on its database page first. Backups are never deleted with a stack.`,
    );
  }
  await db.$transaction([
    db.backupSchedule.deleteMany({ where: { stackId: stack.id } }),
    db.offsiteStorage.deleteMany({ where: { stackId: stack.id } }),
    db.healthSnapshot.deleteMany({ where: { stackId: stack.id } }),
    db.stack.delete({ where: { id: stack.id } }),
  ]);
  await recordAuditEvent(actor, { action: "stack.delete", target: stack.name });
}

/**
 * Turns encryption at rest on or off for the stack's new backups (existing files stay as they are and
 * keep working). Security: the files are encrypted under a key derived from the master key, so the
 * master key must be backed up with the store. Audited.
 */
export async function setBackupEncryption(idOrName: string, enabled: boolean, actor: Actor): Promise<StackView> {
  const stack = await getStackRow(idOrName);
  const updated = await db.stack.update({ where: { id: stack.id }, data: { backupEncryption: enabled } });
  await recordAuditEvent(actor, { action: "stack.backup-encryption", target: stack.name, details: { enabled } });
  return toStackView(updated);
}

/** Replaces the stack's deploy settings (health gate, drain, ports, retention); validated by the caller. */
export async function updateDeploySettings(idOrName: string, settings: Record<string, unknown>, actor: Actor) {
  const stack = await getStackRow(idOrName);
  await db.stack.update({ where: { id: stack.id }, data: { deploySettings: JSON.stringify(settings) } });
  await recordAuditEvent(actor, { action: "stack.deploy-settings", target: stack.name, details: settings });
  return settings;
}
