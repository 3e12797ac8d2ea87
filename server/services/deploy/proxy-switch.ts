import { setUpstreams } from "@/server/adapters/caddy";
import type { DeployPlan } from "./plan";

/** Points the stack's Caddy at exactly these app containers (graceful: Caddy drops no connection). */
export function switchUpstreams(plan: DeployPlan, dials: string[]): Promise<string[]> {
  return setUpstreams({ target: plan.proxy, adminPort: plan.settings.caddyAdminPort, upstreamId: plan.settings.caddyUpstreamId }, dials);
}
