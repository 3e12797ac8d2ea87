import type { DockerClient, LogRequest, LogStream } from "@/server/adapters/docker";
import { isAppError } from "@/server/errors";
import { assertContainerRef } from "@/server/services/hosts/container-ref";

/** What to ask the Engine's GET /containers/{id}/logs for. Times are Unix seconds. */
export type DockerLogRequest = LogRequest;

/** An open logs response: raw bytes, multiplexed unless the container has a TTY. */
export type DockerLogSource = LogStream;

/** Opens the container's log over the pooled SSH connection (one channel while it is open). */
export type OpenLogSource = (request: DockerLogRequest) => Promise<DockerLogSource>;

/** Whether the container still runs (a follow stream that ended is reopened only then). */
export function createRunningCheck(docker: DockerClient, containerRef: string): () => Promise<boolean> {
  const ref = assertContainerRef(containerRef);
  return async () => {
    try {
      return (await docker.inspectContainer(ref, { action: `inspect ${ref}` })).State.Running;
    } catch (err) {
      // A removed container ends its log; an unreachable host is asked again.
      if (isAppError(err) && err.code === "NOT_FOUND") return false;
      throw err;
    }
  };
}

/** The Docker logs API for one container, always as a stream. */
export function createDockerLogOpener(docker: DockerClient, containerRef: string): OpenLogSource {
  const ref = assertContainerRef(containerRef);
  return (request) => docker.openLogs(ref, request);
}
