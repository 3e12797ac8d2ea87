import type { Readable } from "node:stream";
import { getDocker } from "@/server/adapters/docker/docker-client";
import { mapDockerError } from "@/server/adapters/docker/map-docker-error";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { assertContainerRef } from "@/server/services/hosts/container-ref";

/** What to ask the Engine's GET /containers/{id}/logs for. Times are Unix seconds. */
export interface DockerLogRequest {
  tail: number | "all";
  since?: number;
  until?: number;
  follow: boolean;
  stdout: boolean;
  stderr: boolean;
  timestamps: boolean;
}

/** An open logs response: raw bytes, multiplexed unless the container has a TTY. */
export interface DockerLogSource {
  stream: Readable;
  isTty: boolean;
  /** Ends the remote request (and frees its SSH channel). Safe to call twice. */
  close(): void;
}

/** Opens the container's log over the pooled SSH connection (one channel while it is open). */
export type OpenLogSource = (request: DockerLogRequest) => Promise<DockerLogSource>;

/**
 * The Docker logs API for one container on `target`, always as a stream (dockerode buffers
 * non-follow logs in memory, so the request is dialled directly with isStream).
 */
export function createDockerLogOpener(target: SshTarget, containerRef: string): OpenLogSource {
  const ref = assertContainerRef(containerRef);
  return async (request) => {
    const docker = getDocker(target);
    const action = `read the logs of container ${ref}`;
    const abort = new AbortController();
    try {
      const info = await docker.getContainer(ref).inspect({ abortSignal: abort.signal });
      const options: Record<string, unknown> = {
        follow: request.follow, stdout: request.stdout, stderr: request.stderr, timestamps: request.timestamps,
        tail: String(request.tail),
      };
      if (request.since !== undefined) options.since = request.since;
      if (request.until !== undefined) options.until = request.until;
      const stream = await new Promise<Readable>((resolve, reject) => {
        docker.modem.dial(
          {
            path: `/containers/${encodeURIComponent(ref)}/logs?`,
            method: "GET",
            isStream: true,
            abortSignal: abort.signal,
            statusCodes: { 200: true, 400: "bad parameter", 404: "no such container", 500: "server error" },
            options,
          },
          (err: unknown, data: unknown) => (err ? reject(err) : resolve(data as Readable)),
        );
      });
      const close = () => {
        abort.abort();
        stream.destroy();
      };
      return { stream, isTty: Boolean(info.Config?.Tty), close };
    } catch (err) {
      abort.abort();
      throw mapDockerError(err, { target, action, subject: `container ${ref}` });
    }
  };
}
