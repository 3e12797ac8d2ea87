import type { DockerConnector } from "@/server/adapters/docker";
import { proxyDriverFor } from "@/server/services/proxy/proxy-for-stack";
import type { ProxyDriver } from "@/server/services/proxy/proxy-driver";
import type { DeployPlan } from "./plan";

/** Every address the stack's app containers can listen on (both blue/green ports of each app host). */
export function knownDials(plan: DeployPlan): string[] {
  return plan.apps.flatMap((a) => [`${a.dialHost}:${plan.settings.bluePort}`, `${a.dialHost}:${plan.settings.greenPort}`]);
}

/** The stack's proxy (Caddy or Nginx, as its service says). */
export function proxyOf(plan: DeployPlan, docker: DockerConnector): Promise<ProxyDriver> {
  return proxyDriverFor(plan.proxyService, plan.settings, knownDials(plan), docker);
}

/**
 * Points the stack's proxy at exactly these app containers, gracefully (no in-flight request is
 * dropped). A follow-up that failed after the live switch (Caddyfile behind) is a warning, not a failure.
 */
export async function switchUpstreams(
  plan: DeployPlan,
  dials: string[],
  docker: DockerConnector,
  onWarning: (m: string) => void,
): Promise<string[]> {
  return (await proxyOf(plan, docker)).setUpstreams(dials, { onWarning });
}
