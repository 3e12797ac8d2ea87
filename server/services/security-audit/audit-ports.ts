import { createSshDocker, type DockerConnector } from "@/server/adapters/docker";
import { probeGet, type ProbeAnswer } from "@/server/adapters/http/probe-get";
import { OUTBOUND } from "@/server/adapters/http/outbound-purposes";
import { runContainerSql } from "@/server/adapters/mysql/container-sql";
import { readCertificate, type CertificateInfo } from "@/server/adapters/metrics/tls-certificate";
import { tcpReach } from "@/server/adapters/metrics/tcp-reach";
import { probeCacheAuth, type CacheAuthProbe } from "@/server/adapters/redis/cache-auth";
import { execCommand } from "@/server/adapters/ssh/exec";
import type { ExecOptions, ExecResult, SshTarget } from "@/server/adapters/ssh/types";

/** Everything the audit needs from the outside world (a fake in ./testing for unit tests). */
export interface AuditPorts {
  exec(target: SshTarget, argv: string[], options?: ExecOptions): Promise<ExecResult>;
  docker: DockerConnector;
  /** A TCP connect from the panel's side. */
  tcpReach(address: string, port: number): Promise<{ open: boolean | "unknown"; detail: string }>;
  /** PING without and with the password, through the host's SSH connection. */
  cacheAuth(target: SshTarget, host: string, port: number, password: string | null): Promise<CacheAuthProbe>;
  /** SQL as root with the db container's own client (docker exec; the password in the exec env only). */
  dbQuery(target: SshTarget, container: string, rootPassword: string, isMariaDb: boolean, sql: string): Promise<string[][]>;
  /** One GET of the public site, no redirects followed (guarded like every request to the public domain). */
  httpGet(url: string): Promise<ProbeAnswer>;
  certificate(host: string, port: number): Promise<CertificateInfo>;
}

export function createAuditPorts(docker: DockerConnector = createSshDocker()): AuditPorts {
  return {
    exec: (target, argv, options) => execCommand(target, argv, options),
    docker,
    tcpReach: (address, port) => tcpReach(address, port),
    cacheAuth: (target, host, port, password) => probeCacheAuth(target, host, port, password),
    dbQuery: (target, container, rootPassword, isMariaDb, sql) =>
      runContainerSql({ docker: docker(target), container, rootPassword, isMariaDb, sql, action: "read the database's accounts" }),
    httpGet: (url) => probeGet(url, { timeoutMs: 5000, userAgent: "pixelfox-ops/audit", guard: { purpose: OUTBOUND.publicDomain } }),
    certificate: (host, port) => readCertificate(host, port),
  };
}
