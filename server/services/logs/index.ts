/** Logs: live NDJSON streams (container, proxy access log, job, MySQL slow log) and raw downloads. */
import { createSshDocker, type DockerConnector } from "@/server/adapters/docker";
import { createDockerLogOpener } from "./docker-log-source";
import { openLogDownload } from "./download";
import { compileFilter } from "./filter";
import { openSharedLogStream } from "./log-hub";
import { LogSession } from "./log-session";
import type { TLogDownloadQuery, TLogStreamQuery, TSlowLogStreamQuery } from "./query";
import { resolveLogHost } from "./resolve-host";
import { createSlowLogOpener } from "./slow-log-source";

export { openJobLogStream, textFormat } from "./job-log-source";
export { listLogPresets, type LogPreset } from "./presets";
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

/** Opens the log stream a viewer asked for; errors (bad host, container, pattern) throw before any byte. */
export async function openContainerLogStream(
  query: TLogStreamQuery,
  signal?: AbortSignal,
  dockerFor: DockerConnector = createSshDocker(),
): Promise<ReadableStream<Uint8Array>> {
  const target = await resolveLogHost(query.host);
  return openSharedLogStream(target.hostId, query, createDockerLogOpener(dockerFor(target), query.container), signal);
}

/** MySQL's slow query log of the db container (one exec per viewer); refuses when the log is off. */
export async function openSlowLogStream(
  query: TSlowLogStreamQuery,
  signal?: AbortSignal,
  dockerFor: DockerConnector = createSshDocker(),
): Promise<ReadableStream<Uint8Array>> {
  const filter = query.q ? compileFilter(query.q, query.regex) : undefined;
  const target = await resolveLogHost(query.host);
  const session = new LogSession({
    request: { tail: query.tail, follow: query.follow, stdout: true, stderr: true, timestamps: false },
    filter,
    ringCapacity: 0,
    onClosed: () => {},
  });
  await session.open(createSlowLogOpener(dockerFor(target), query.container));
  return session.attach(signal);
}

/** Opens the raw download of a container's log for a time range. */
export async function openContainerLogDownload(
  query: TLogDownloadQuery,
  signal?: AbortSignal,
  dockerFor: DockerConnector = createSshDocker(),
): Promise<ReadableStream<Uint8Array>> {
  const target = await resolveLogHost(query.host);
  return openLogDownload(query, createDockerLogOpener(dockerFor(target), query.container), signal);
}
