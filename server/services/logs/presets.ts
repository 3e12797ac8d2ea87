import { db } from "@/server/db";

/** A one-click log view: a stack's proxy access log or its db's slow query log. */
export interface LogPreset {
  source: "proxy" | "mysql-slow";
  label: string;
  stack: string;
  host: string;
  container: string;
}

/** The proxy access log and MySQL slow log of every stack that places a proxy or db service. */
export async function listLogPresets(): Promise<LogPreset[]> {
  const services = await db.service.findMany({
    where: { kind: { in: ["proxy", "db"] } },
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
