import type { DockerConnector } from "@/server/adapters/docker";
import { execCommand } from "@/server/adapters/ssh/exec";
import { readReloadSafety, RELOAD_SAFETY_WHY, MIGRATE_REQ_FILE, MIGRATE_REQ_KEY } from "@/server/services/golive/reload-safety";
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
  const driver = await proxyOf(plan, docker);
  if (driver.kind === "caddy" && !warnedAbout.has(plan)) {
    warnedAbout.add(plan);
    // Honest about what the switch may cost: Caddy's reload resets queued connections on such a host.
    const safety = await readReloadSafety((t, argv, o) => execCommand(t, argv, o), plan.proxyService.target);
    const host = plan.proxyService.target.name;
    if (safety.state === "unsupported")
      onWarning(`${safety.evidence}: ${RELOAD_SAFETY_WHY}. A kernel of 5.14 or later on ${host} avoids it.`);
    else if (safety.state !== "on")
      onWarning(
        `${safety.evidence}: ${RELOAD_SAFETY_WHY}. Adopt the stack again to set it, or as root on ${host}: ` +
          `echo '${MIGRATE_REQ_KEY} = 1' > ${MIGRATE_REQ_FILE} && sysctl -p ${MIGRATE_REQ_FILE}`,
      );
  }
  return driver.setUpstreams(dials, { onWarning });
}

/** Plans of deploys whose proxy host was checked already (once per deploy, not once per app host). */
const warnedAbout = new WeakSet<DeployPlan>();
