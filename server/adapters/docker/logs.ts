import type { Readable } from "node:stream";
import type Docker from "dockerode";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { demuxToLines } from "./demux";
import { mapDockerError } from "./map-docker-error";
import type { LogRequest, LogStream } from "./types";

/**
 * GET /containers/{ref}/logs, always as a stream (dockerode buffers non-follow logs in memory, so
 * the request is dialled directly with isStream). One SSH channel while it is open.
 */
export async function openLogStream(docker: Docker, target: SshTarget, ref: string, request: LogRequest): Promise<LogStream> {
  const abort = new AbortController();
  try {
    const info = await docker.getContainer(ref).inspect({ abortSignal: abort.signal });
    const options: Record<string, unknown> = {
      follow: request.follow,
      stdout: request.stdout,
      stderr: request.stderr,
      timestamps: request.timestamps,
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
        (err: Error | null, data: unknown) => (err ? reject(err) : resolve(data as Readable)),
      );
    });
    const close = () => {
      abort.abort();
      stream.destroy();
    };
    return { stream, isTty: Boolean(info.Config?.Tty), close };
  } catch (err) {
    abort.abort();
    throw mapDockerError(err, { target, action: `read the logs of container ${ref}`, subject: `container ${ref}` });
  }
}

/** The last `lines` lines a container wrote (stdout and stderr). */
export async function readLastLines(docker: Docker, target: SshTarget, ref: string, lines: number): Promise<string[]> {
  try {
    const buf = await docker.getContainer(ref).logs({ stdout: true, stderr: true, tail: lines, follow: false });
    return demuxToLines(buf).slice(-lines);
  } catch (err) {
    throw mapDockerError(err, { target, action: `read the logs of container ${ref}`, subject: `container ${ref}` });
  }
}
