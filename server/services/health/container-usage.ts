import type { TopologyService } from "./topology";
import type { CheckResult, ContainerUsage } from "./types";

/**
 * Copy each service container's CPU and memory (read once per host from the Docker stats API by
 * the host check) onto the service's own check as `containerCpu` / `containerMem`, so they are
 * recorded as samples of the service and charted on its page. The app's live container may be
 * the blue/green one, whose name the app check reports.
 */
export function attachContainerUsage(checks: CheckResult[], services: TopologyService[]): CheckResult[] {
  const bySubject = new Map(checks.map((c) => [c.subject, c]));
  for (const s of services) {
    const check = bySubject.get(`${s.kind}@${s.host.name}`);
    const containers = bySubject.get(`host:${s.host.name}`)?.details.containers as ContainerUsage[] | null | undefined;
    if (!check || !containers) continue;
    const name = typeof check.details.container === "string" ? check.details.container : s.containerName;
    const usage = containers.find((c) => c.name === name);
    if (!usage) continue;
    check.metrics = { ...check.metrics, containerCpu: usage.cpuPct, containerMem: usage.memBytes };
    check.details = { ...check.details, containerUsage: usage };
  }
  return checks;
}
