/**
 * Test fakes for the audit: the collect script's output encoded as the real script prints it, a fake
 * Docker per host, and scripted answers for the TCP connects, the cache and the database.
 * Not used by production code.
 */
import type { ExecResult } from "@/server/adapters/ssh/types";
import { createFakeDocker } from "@/server/adapters/docker/testing/fake-docker";
import type { AuditPorts } from "../audit-ports";

/** One host's sections: name → stdout (code 0, as root). */
export function encodeAuditOutput(sections: Record<string, string>): string {
  const out = ["@@pxf-audit 1"];
  for (const [name, text] of Object.entries(sections)) {
    out.push(`@@begin ${name} as=root`, ...text.split("\n").map((l) => `o|${l}`), `@@end ${name} code=0`);
  }
  out.push("@@files", "@@files-end", "@@done");
  return `${out.join("\n")}\n`;
}

export interface FakeAuditWorld {
  /** Host name → its collect script output. */
  outputs: Map<string, string>;
  /** "address:port" → open? */
  open: Set<string>;
  /** Cache answers to an anonymous PING, by cache host name. */
  cacheAnonymous: Map<string, string>;
  /** Rows the db answers, by a word of the SQL. */
  db: { rootHosts: string[]; seeded: string[] };
  site: { status: number; headers: Record<string, string> };
}

export function createFakeAuditPorts(world: FakeAuditWorld) {
  const docker = createFakeDocker();
  const ports: AuditPorts = {
    async exec(target): Promise<ExecResult> {
      return { stdout: world.outputs.get(target.name) ?? "", stderr: "", exitCode: 0, durationMs: 1 };
    },
    docker: docker.connector,
    async tcpReach(address, port) {
      const open = world.open.has(`${address}:${port}`);
      return { open, detail: `TCP connect to ${address}:${port} from the panel: ${open ? "open (1 ms)" : "refused"}` };
    },
    async cacheAuth(target, _host, _port, password) {
      const anonymous = world.cacheAnonymous.get(target.name) ?? "NOAUTH Authentication required.";
      return { anonymous, authenticated: password ? "PONG" : "no password given" };
    },
    async dbQuery(_t, _c, _pw, _m, sql) {
      if (sql.includes("mysql.user")) return world.db.rootHosts.map((h) => [h]);
      return [["1"], ...world.db.seeded.map((e) => [e])];
    },
    async httpGet() {
      return {
        status: world.site.status,
        body: "",
        contentType: "text/html",
        length: 0,
        version: null,
        headers: world.site.headers,
        ms: 1,
      };
    },
    async certificate() {
      return {
        subject: "pixelfox.test",
        issuer: "Test CA",
        validTo: "2027-06-01T00:00:00.000Z",
        daysLeft: 180,
        authorized: true,
        authorizationError: null,
      };
    },
  };
  return { ports, docker };
}
