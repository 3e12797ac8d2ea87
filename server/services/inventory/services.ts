import type { Service } from "@prisma/client";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import type { ServiceKind } from "@/server/domain/roles";
import { SERVICE_KINDS } from "@/server/domain/roles";
import type { TServiceInput, TUpdateServiceInput } from "@/server/domain/inventory";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";

export interface ServiceView {
  id: string;
  stackId: string;
  hostId: string;
  hostName: string;
  kind: ServiceKind;
  containerName: string;
  settings: Record<string, string | number | boolean>;
}

type Row = Service & { host: { name: string } };

function toServiceView(s: Row): ServiceView {
  const kind = (SERVICE_KINDS as readonly string[]).includes(s.kind) ? (s.kind as ServiceKind) : "app";
  return {
    id: s.id,
    stackId: s.stackId,
    hostId: s.hostId,
    hostName: s.host.name,
    kind,
    containerName: s.containerName,
    settings: JSON.parse(s.settings) as ServiceView["settings"],
  };
}

export async function listServices(stackId: string): Promise<ServiceView[]> {
  const rows = await db.service.findMany({ where: { stackId }, include: { host: { select: { name: true } } }, orderBy: [{ kind: "asc" }] });
  return rows.map(toServiceView);
}

async function assertRefs(input: TServiceInput) {
  const [stack, host] = await Promise.all([
    db.stack.findUnique({ where: { id: input.stackId } }),
    db.host.findUnique({ where: { id: input.hostId } }),
  ]);
  if (!stack) throw new AppError("NOT_FOUND", "Stack not found", { data: { field: "stackId" } });
  if (!host) throw new AppError("NOT_FOUND", "Host not found", { data: { field: "hostId" } });
  return { stack, host };
}

export async function createService(input: TServiceInput, actor: Actor): Promise<ServiceView> {
  const { stack, host } = await assertRefs(input);
  const clash = await db.service.findFirst({ where: { stackId: input.stackId, hostId: input.hostId, kind: input.kind } });
  if (clash)
    throw new AppError("CONFLICT", `${host.name} already carries the ${input.kind} service of ${stack.name}`, { data: { field: "kind" } });
  const row = await db.service.create({
    data: {
      stackId: input.stackId,
      hostId: input.hostId,
      kind: input.kind,
      containerName: input.containerName,
      settings: JSON.stringify(input.settings),
    },
    include: { host: { select: { name: true } } },
  });
  await recordAuditEvent(actor, { action: "service.create", target: `${stack.name}/${input.kind}@${host.name}` });
  return toServiceView(row);
}

export async function updateService(input: TUpdateServiceInput, actor: Actor): Promise<ServiceView> {
  const { stack, host } = await assertRefs(input);
  const clash = await db.service.findFirst({
    where: { stackId: input.stackId, hostId: input.hostId, kind: input.kind, NOT: { id: input.id } },
  });
  if (clash)
    throw new AppError("CONFLICT", `${host.name} already carries the ${input.kind} service of ${stack.name}`, { data: { field: "kind" } });
  const row = await db.service
    .update({
      where: { id: input.id },
      data: { hostId: input.hostId, kind: input.kind, containerName: input.containerName, settings: JSON.stringify(input.settings) },
      include: { host: { select: { name: true } } },
    })
    .catch(() => {
      throw new AppError("NOT_FOUND", "Service not found");
    });
  await recordAuditEvent(actor, { action: "service.update", target: `${stack.name}/${input.kind}@${host.name}` });
  return toServiceView(row);
}

export async function deleteService(id: string, actor: Actor): Promise<void> {
  const row = await db.service.findUnique({
    where: { id },
    include: { host: { select: { name: true } }, stack: { select: { name: true } } },
  });
  if (!row) throw new AppError("NOT_FOUND", "Service not found");
  await db.service.delete({ where: { id } });
  await recordAuditEvent(actor, { action: "service.delete", target: `${row.stack.name}/${row.kind}@${row.host.name}` });
}
