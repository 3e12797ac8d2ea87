import type { Stack } from "@prisma/client";
import { db } from "@/server/db";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { AppError } from "@/server/errors";
import { parseDeploySettings, type DeploySettings } from "@/server/domain/deploy";
import { usableTarget } from "@/server/services/inventory/host-target";
import { getRegistryCredentials } from "@/server/services/inventory/stacks";
import { deployEnv } from "@/server/services/env/deploy-env";
import type { ProxyPlacement } from "@/server/services/proxy/proxy-for-stack";

export interface AppHostPlan {
  target: SshTarget;
  containerName: string;
  /** Address the proxy dials for this host's app: its loopback when proxy and app share the host. */
  dialHost: string;
}

export interface DeployPlan {
  stack: Stack;
  settings: DeploySettings;
  apps: AppHostPlan[];
  proxy: SshTarget;
  /** The proxy service: its container and how it was set up (Caddy or Nginx, see proxyDriverFor). */
  proxyService: ProxyPlacement;
  auth?: { username: string; password: string; serveraddress: string };
  /** The stack's managed app environment (newest version), or null: copy the live container's. */
  env: { version: number; entries: string[] } | null;
}

function registryHost(repository: string): string {
  const first = repository.split("/")[0] ?? "";
  return /[.:]/.test(first) || first === "localhost" ? first : "docker.io";
}

/** Resolves where a stack's app and proxy run; refuses a stack that cannot be deployed safely. */
export async function buildDeployPlan(stack: Stack): Promise<DeployPlan> {
  const services = await db.service.findMany({ where: { stackId: stack.id }, include: { host: true } });
  const appServices = services.filter((s) => s.kind === "app").sort((a, b) => a.host.name.localeCompare(b.host.name));
  const proxyService = services.find((s) => s.kind === "proxy");
  if (appServices.length === 0)
    throw new AppError("PRECONDITION_FAILED", `Stack ${stack.name} has no app service: place one on a host first`);
  if (!proxyService)
    throw new AppError("PRECONDITION_FAILED", `Stack ${stack.name} has no proxy service: the deploy switches traffic through it`);
  const targets = new Map([...appServices, proxyService].map((s) => [s.id, usableTarget(s.host, "deploying")]));
  const creds = getRegistryCredentials(stack);
  return {
    stack,
    settings: parseDeploySettings(stack.deploySettings),
    apps: appServices.map((s) => ({
      target: targets.get(s.id)!,
      containerName: s.containerName,
      dialHost: s.hostId === proxyService.hostId ? "127.0.0.1" : (s.host.privateAddress ?? s.host.address),
    })),
    proxy: targets.get(proxyService.id)!,
    proxyService: {
      target: targets.get(proxyService.id)!,
      containerName: proxyService.containerName,
      settings: JSON.parse(proxyService.settings || "{}") as Record<string, unknown>,
    },
    auth: creds ? { ...creds, serveraddress: registryHost(stack.imageRepository) } : undefined,
    env: await deployEnv(stack.id),
  };
}
