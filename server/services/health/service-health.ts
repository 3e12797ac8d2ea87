import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import type { ServiceKind } from "@/server/domain/roles";
import { isSweepStale, loadLatestSweep } from "./latest";
import type { CheckResult } from "./types";

/** One service's health page: its own check, its host's, and (for an app) the public URL's. */
export interface ServiceHealth {
  service: { id: string; kind: ServiceKind; containerName: string };
  host: { id: string; name: string; address: string };
  stack: { id: string; name: string; publicDomain: string };
  /** The samples' subject of this service, e.g. "db@db". */
  subject: string;
  check: CheckResult | null;
  hostCheck: CheckResult | null;
  /** The check through the proxy's public URL, shown on app pages (null for other kinds). */
  external: CheckResult | null;
  sweptAt: string | null;
  isStale: boolean;
}

/** The latest checks of one service (null until a sweep ran), from memory or the stored snapshot. */
export async function getServiceHealth(serviceId: string): Promise<ServiceHealth> {
  const svc = await db.service.findUnique({ where: { id: serviceId }, include: { host: true, stack: true } });
  if (!svc)
    throw new AppError("NOT_FOUND", "Service not found: it may have been removed from its stack. Open the stack to see its services.");
  const latest = await loadLatestSweep(svc.stackId);
  const checks = latest?.sweep.checks ?? [];
  const subject = `${svc.kind}@${svc.host.name}`;
  const find = (s: string) => checks.find((c) => c.subject === s) ?? null;
  return {
    service: { id: svc.id, kind: svc.kind as ServiceKind, containerName: svc.containerName },
    host: { id: svc.host.id, name: svc.host.name, address: svc.host.address },
    stack: { id: svc.stack.id, name: svc.stack.name, publicDomain: svc.stack.publicDomain },
    subject,
    check: find(subject),
    hostCheck: find(`host:${svc.host.name}`),
    external: svc.kind === "app" ? find("external") : null,
    sweptAt: latest?.sweep.startedAt ?? null,
    isStale: latest ? isSweepStale(latest) : false,
  };
}
