/** Logs: live NDJSON streams (container, proxy access log, job, MySQL slow log) and raw downloads. */
import { createSshDocker, type DockerConnector } from "@/server/adapters/docker";
import type { SshTarget } from "@/server/adapters/ssh/types";
import type { Actor } from "@/server/services/auth/actor";
import { createDockerLogOpener, createRunningCheck } from "./docker-log-source";
import { openLogDownload } from "./download";
import { compileFilter } from "./filter";
import { openSharedLogStream } from "./log-hub";
import { LogSession } from "./log-session";
import type { TLogDownloadQuery, TLogStreamQuery, TSlowLogStreamQuery } from "./query";
import { assertSlowLogAccess } from "./log-access";
import { resolveLogHost } from "./resolve-host";
import { createSlowLogOpener } from "./slow-log-source";
import { getLogStreamQuota, openCountedStream, viewerKeyOf, type LogStreamQuota } from "./stream-quota";

export { openJobLogStream, textFormat } from "./job-log-source";
export { listLogPresets, type LogPreset } from "./presets";
export { decideContainerLogAccess, type LogAccess } from "./log-access";
export {
  searchParamsToObject,
  ZJobLogStreamQuery,
  ZLogDownloadQuery,
  ZLogSourceName,
  ZLogStreamQuery,
  ZSlowLogStreamQuery,
  type TJobLogStreamQuery,
  type TLogDownloadQuery,
  type TLogStreamQuery,
  type TSlowLogStreamQuery,
} from "./query";
export type { LogControl, LogLine, LogStreamName } from "./types";
export { LogStreamQuota, MAX_STREAMS_PER_HOST, MAX_STREAMS_PER_VIEWER } from "./stream-quota";

/** Who opens a log view, and the ports it goes through (real ones by default). */
export interface LogViewContext {
  /**
   * Decides which containers may be read (a viewer: the stack's service containers) and is counted
   * against the per-caller caps on open log streams (see LogStreamQuota).
   */
  viewer: Actor;
  signal?: AbortSignal;
  dockerFor?: DockerConnector;
  quota?: LogStreamQuota;
}

/**
 * Opens the log stream a reader asked for; errors (bad host, container, pattern, a container the role
 * may not read, too many streams open) throw before any byte.
 */
export async function openContainerLogStream(query: TLogStreamQuery, ctx: LogViewContext): Promise<ReadableStream<Uint8Array>> {
  const target = await resolveLogHost(query.host, ctx.viewer.role, query.container);
  const docker = (ctx.dockerFor ?? createSshDocker())(target);
  const open = createDockerLogOpener(docker, query.container);
  return openCounted(ctx, target, () =>
    openSharedLogStream(target.hostId, query, open, ctx.signal, createRunningCheck(docker, query.container)),
  );
}

/** MySQL's slow query log of the db container (one exec per reader, DEPLOYER at least); refuses when the log is off. */
export async function openSlowLogStream(query: TSlowLogStreamQuery, ctx: LogViewContext): Promise<ReadableStream<Uint8Array>> {
  assertSlowLogAccess(ctx.viewer.role);
  const filter = query.q ? compileFilter(query.q, query.regex) : undefined;
  const target = await resolveLogHost(query.host, ctx.viewer.role, query.container);
  const docker = (ctx.dockerFor ?? createSshDocker())(target);
  return openCounted(ctx, target, async () => {
    const session = new LogSession({
      request: { tail: query.tail, follow: query.follow, stdout: true, stderr: true, timestamps: false },
      filter,
      ringCapacity: 0,
      onClosed: () => {},
    });
    await session.open(createSlowLogOpener(docker, query.container));
    return session.attach(ctx.signal);
  });
}

/** Opens the raw download of a container's log for a time range (the same access rule as the stream; counted as one of the caller's log streams while it runs). */
export async function openContainerLogDownload(query: TLogDownloadQuery, ctx: LogViewContext): Promise<ReadableStream<Uint8Array>> {
  const target = await resolveLogHost(query.host, ctx.viewer.role, query.container);
  const open = createDockerLogOpener((ctx.dockerFor ?? createSshDocker())(target), query.container);
  return openCounted(ctx, target, () => openLogDownload(query, open, ctx.signal));
}

function openCounted(ctx: LogViewContext, target: SshTarget, open: () => Promise<ReadableStream<Uint8Array>>) {
  return openCountedStream(ctx.quota ?? getLogStreamQuota(), viewerKeyOf(ctx.viewer), target, open, ctx.signal);
}
