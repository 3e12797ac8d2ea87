import type { DockerConnector } from "@/server/adapters/docker";
import type { SshTarget } from "@/server/adapters/ssh/types";
import type { DeploySettings } from "@/server/domain/deploy";
import { isAppError } from "@/server/errors";
import { createCaddyDriver } from "./caddy-driver";
import { caddyfileAccessFor } from "./caddyfile-access";
import { createDockerExecRunner } from "./docker-exec-runner";
import { findCaddyfile } from "./find-caddyfile";
import { createNginxDriver } from "./nginx-driver";
import type { ProxyDriver } from "./proxy-driver";
import { createRunnerFiles } from "./proxy-files";
import { createSshRunner } from "./ssh-runner";

/** The stack's proxy service as the deploy sees it: where it runs and how it was set up (Service.settings). */
export interface ProxyPlacement {
  target: SshTarget;
  containerName: string;
  /** "caddy" (default) | "nginx", and for Nginx where its site is and whether it runs in a container or on the host. */
  settings: Record<string, unknown>;
}

export const proxyKindOf = (settings: Record<string, unknown>): "caddy" | "nginx" => (settings.proxy === "nginx" ? "nginx" : "caddy");

/**
 * The driver for a stack's proxy. Caddy: its admin API, and the Caddyfile it runs from (found in the
 * container's command and mounts) kept in step. Nginx: in its container (docker exec) or on the host
 * (SSH), the site given by the service's settings.
 */
export async function proxyDriverFor(
  proxy: ProxyPlacement,
  settings: DeploySettings,
  knownDials: readonly string[],
  docker: DockerConnector,
): Promise<ProxyDriver> {
  const client = docker(proxy.target);
  const site = typeof proxy.settings.nginxSite === "string" ? proxy.settings.nginxSite : "/etc/nginx/sites-enabled/pixelfox";
  if (proxyKindOf(proxy.settings) === "nginx") {
    const runner =
      proxy.settings.nginxOnHost === true ? createSshRunner(proxy.target) : createDockerExecRunner(client, proxy.containerName);
    const upstreamPath = typeof proxy.settings.nginxUpstream === "string" ? proxy.settings.nginxUpstream : undefined;
    return createNginxDriver({ runner, files: createRunnerFiles(runner), sitePath: site, upstreamPath });
  }
  const inspect = await client
    .inspectContainer(proxy.containerName, { action: `inspect the proxy ${proxy.containerName}` })
    .catch((err: unknown) => {
      // Caddy installed on the host, not in a container: only its live config can be switched.
      if (isAppError(err) && err.code === "NOT_FOUND") return null;
      throw err;
    });
  const location = inspect ? findCaddyfile(inspect) : null;
  const runners = { inContainer: createDockerExecRunner(client, proxy.containerName), onHost: createSshRunner(proxy.target) };
  return createCaddyDriver({
    admin: {
      target: proxy.target,
      adminPort: settings.caddyAdminPort,
      upstreamId: settings.caddyUpstreamId,
      containerName: proxy.containerName,
    },
    knownDials,
    caddyfile: location ? caddyfileAccessFor(location, runners) : null,
    isResume: location?.isResume,
  });
}
