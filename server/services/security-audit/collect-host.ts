import type { ContainerInspect } from "@/server/adapters/docker";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { isAppError } from "@/server/errors";
import type { AuditPorts } from "./audit-ports";
import { HOST_AUDIT_SCRIPT, parseHostAuditOutput } from "./collect-script";
import type { AuditedHost, HostFacts, Reachability } from "./host-facts";

/** Ports whose reachability from outside the audit always tries: the db's, the cache's and the app's own. */
export const ALWAYS_TRIED_PORTS = [3306, 6379, 4000] as const;

export interface CollectedHost {
  facts: HostFacts;
  /** The containers as Docker gave them, for the data checks (db command, app env). */
  inspected: ContainerInspect[];
}

/**
 * Reads one host: one SSH exec of the collect script, Docker's containers over the same pooled
 * connection, then TCP connects from the panel to the host's address. Nothing on the host changes.
 * A Docker failure leaves `containers` null (its checks unknown) instead of failing the host.
 */
export async function collectHost(
  ports: AuditPorts,
  target: SshTarget,
  host: AuditedHost,
  appPrivateSources: string[],
): Promise<CollectedHost> {
  const [run, inspected] = await Promise.all([
    ports.exec(target, ["sh", "-c", HOST_AUDIT_SCRIPT], { throwOnNonZero: false, timeoutMs: 60_000, action: "read the security baseline" }),
    readContainers(ports, target),
  ]);
  const commands = parseHostAuditOutput(run.stdout);
  const reachability = await reachAll(ports, host.address, publishedPorts(inspected ?? []));
  return {
    facts: { host, appPrivateSources, commands, containers: inspected, reachability },
    inspected: inspected ?? [],
  };
}

async function readContainers(ports: AuditPorts, target: SshTarget): Promise<ContainerInspect[] | null> {
  try {
    const docker = ports.docker(target);
    const list = await docker.listContainers({ all: true }, { action: "list the containers for the audit" });
    return await Promise.all(list.map((c) => docker.inspectContainer(c.Id, { action: "inspect a container for the audit" })));
  } catch (err) {
    // Security: the message is the adapter's (host, action); no stack trace reaches the evidence.
    console.warn(`[audit] ${target.name}: Docker could not be read (${isAppError(err) ? err.message : "error"})`);
    return null;
  }
}

/** Host ports the running containers publish beyond loopback. */
export function publishedPorts(containers: readonly ContainerInspect[]): number[] {
  const out = new Set<number>();
  for (const c of containers) {
    if (!c.State?.Running) continue;
    const all: Record<string, { HostIp?: string; HostPort?: string }[] | null> = c.HostConfig?.PortBindings ?? {};
    for (const bindings of Object.values(all)) {
      for (const b of bindings ?? []) {
        const port = Number(b.HostPort);
        if (Number.isInteger(port) && port > 0 && !/^127\.|^::1$/.test(b.HostIp ?? "")) out.add(port);
      }
    }
  }
  return [...out];
}

async function reachAll(ports: AuditPorts, address: string, published: number[]): Promise<Reachability[]> {
  const all = [...new Set([...ALWAYS_TRIED_PORTS, ...published])].sort((a, b) => a - b);
  return Promise.all(all.map(async (port) => ({ port, ...(await ports.tcpReach(address, port)) })));
}
