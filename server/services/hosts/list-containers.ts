import type Docker from "dockerode";
import { mapDockerError } from "@/server/adapters/docker/map-docker-error";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { normalizeContainer, type ContainerSummary } from "./normalize-container";
import { createSshHostTransport, type HostTransport } from "./transport";

/** States whose start time and health only `inspect` can tell. */
const INSPECTED_STATES = new Set(["running", "restarting", "paused"]);

/**
 * Every container on the host (running or not), from the Docker Engine API, sorted by name.
 * Running containers are inspected for their start time and health.
 */
export async function listContainers(target: SshTarget, transport: HostTransport = createSshHostTransport()): Promise<ContainerSummary[]> {
  const action = "list containers";
  const docker = transport.docker(target);
  let infos: Docker.ContainerInfo[];
  try {
    infos = await docker.listContainers({ all: true });
  } catch (err) {
    throw mapDockerError(err, { target, action });
  }
  const now = new Date();
  const summaries = await Promise.all(
    infos.map(async (info) => {
      const inspect = INSPECTED_STATES.has(info.State) ? await inspectOrSkip(docker, info.Id, target) : undefined;
      return normalizeContainer(info, inspect, now);
    }),
  );
  return summaries.sort((a, b) => a.name.localeCompare(b.name));
}

async function inspectOrSkip(docker: ReturnType<HostTransport["docker"]>, id: string, target: SshTarget) {
  try {
    return await docker.getContainer(id).inspect();
  } catch (err) {
    const mapped = mapDockerError(err, { target, action: "inspect container", subject: `container ${id.slice(0, 12)}` });
    // Removed between list and inspect: show it from the list entry alone.
    if (mapped.code === "NOT_FOUND") return undefined;
    throw mapped;
  }
}
