import { db } from "@/server/db";
import type { Role } from "@/server/domain/roles";
import { canReadSlowLog } from "./log-access";

/** A one-click log view: a stack's proxy access log or its db's slow query log. */
export interface LogPreset {
  source: "proxy" | "mysql-slow";
  label: string;
  stack: string;
  host: string;
  container: string;
}

/**
 * The proxy access log and MySQL slow log of every stack that places a proxy or db service, minus what
 * the role may not open (the slow log needs DEPLOYER; the proxy is a service container, open to viewers).
 */
export async function listLogPresets(role: Role): Promise<LogPreset[]> {
  const kinds = canReadSlowLog(role) ? ["proxy", "db"] : ["proxy"];
  const services = await db.service.findMany({
    where: { kind: { in: kinds } },
    include: { host: { select: { name: true } }, stack: { select: { name: true } } },
    orderBy: [{ stack: { name: "asc" } }, { kind: "desc" }],
  });
  return services.map((s) => ({
    source: s.kind === "proxy" ? "proxy" : "mysql-slow",
    label: `${s.stack.name}: ${s.kind === "proxy" ? "proxy access log" : "MySQL slow query log"}`,
    stack: s.stack.name,
    host: s.host.name,
    container: s.containerName,
  }));
}
