import { createSshDocker, type DockerConnector } from "@/server/adapters/docker";
import { isAppError } from "@/server/errors";
import { getStackRow } from "@/server/services/inventory/stacks";
import { findLive, listAppContainers } from "./app-containers";
import { buildDeployPlan } from "./plan";
import { proxyOf } from "./proxy-switch";

export interface LiveState {
  checkedAt: Date;
  hosts: {
    host: string;
    live: { name: string; tag: string | null; port: number | null } | null;
    retained: string[];
    /** Candidates (`-next-`) on the host: a running deploy's own, or left by one the panel could not finish. */
    leftovers: { name: string; tag: string | null; running: boolean }[];
  }[];
  upstreams: string[] | null;
  /** True when the proxy sends traffic exactly to the live containers. */
  isConsistent: boolean;
  error: string | null;
}

/**
 * What runs right now, read from the hosts (not from the panel's history): the live app container
 * per app host, the retained ones, and where the proxy sends traffic. Honest: an error is reported
 * as such, never as a green state.
 */
export async function readLiveState(stack: string, docker: DockerConnector = createSshDocker()): Promise<LiveState> {
  const checkedAt = new Date();
  try {
    const plan = await buildDeployPlan(await getStackRow(stack));
    const hosts = await Promise.all(
      plan.apps.map(async (app) => {
        const all = await listAppContainers(docker(app.target), app.containerName);
        const live = findLive(all, app.containerName);
        return {
          host: app.target.name,
          dial: live?.port ? `${app.dialHost}:${live.port}` : null,
          live: live ? { name: live.name, tag: live.tag, port: live.port } : null,
          retained: all.filter((c) => !c.running && c.name.startsWith(`${app.containerName}-prev-`)).map((c) => c.tag ?? c.name),
          leftovers: all
            .filter((c) => c.name.startsWith(`${app.containerName}-next-`))
            .map((c) => ({ name: c.name, tag: c.tag, running: c.running })),
        };
      }),
    );
    const upstreams = await (await proxyOf(plan, docker)).readUpstreams();
    const dials = hosts
      .map((h) => h.dial)
      .filter((d): d is string => d !== null)
      .sort();
    const isConsistent = dials.length === hosts.length && JSON.stringify([...upstreams].sort()) === JSON.stringify(dials);
    return { checkedAt, hosts: hosts.map(({ dial: _dial, ...h }) => h), upstreams, isConsistent, error: null };
  } catch (err) {
    return {
      checkedAt,
      hosts: [],
      upstreams: null,
      isConsistent: false,
      error: isAppError(err) ? err.message : "Internal error: see the panel's log",
    };
  }
}
