import type { DockerClient } from "@/server/adapters/docker";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { isAppError } from "@/server/errors";
import { normalizeContainer, type ContainerSummary } from "./normalize-container";
import { createSshHostTransport, type HostTransport } from "./transport";

/** States whose start time and health only `inspect` can tell. */
const INSPECTED_STATES = new Set(["running", "restarting", "paused"]);

/**
 * Every container on the host (running or not), from the Docker Engine API, sorted by name.
 * Running containers are inspected for their start time and health.
 */
export async function listContainers(target: SshTarget, transport: HostTransport = createSshHostTransport()): Promise<ContainerSummary[]> {
  const docker = transport.docker(target);
  const infos = await docker.listContainers({ all: true }, { action: "list containers" });
  const now = new Date();
  const summaries = await Promise.all(
    infos.map(async (info) => {
      const inspect = INSPECTED_STATES.has(info.State) ? await inspectOrSkip(docker, info.Id) : undefined;
      return normalizeContainer(info, inspect, now);
    }),
  );
  return summaries.sort((a, b) => a.name.localeCompare(b.name));
}

async function inspectOrSkip(docker: DockerClient, id: string) {
  try {
    return await docker.inspectContainer(id, { action: "inspect container", subject: `container ${id.slice(0, 12)}` });
  } catch (err) {
    // Removed between list and inspect: show it from the list entry alone.
    if (isAppError(err) && err.code === "NOT_FOUND") return undefined;
    throw err;
  }
}
