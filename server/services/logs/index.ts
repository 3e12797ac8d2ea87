/** Container logs: live NDJSON streams (shared between viewers) and raw downloads. */
import { createDockerLogOpener } from "./docker-log-source";
import { openLogDownload } from "./download";
import { openSharedLogStream } from "./log-hub";
import type { TLogDownloadQuery, TLogStreamQuery } from "./query";
import { resolveLogHost } from "./resolve-host";

export { ZLogDownloadQuery, ZLogStreamQuery, searchParamsToObject, type TLogDownloadQuery, type TLogStreamQuery } from "./query";
export type { LogControl, LogLine, LogStreamName } from "./types";

/** Opens the log stream a viewer asked for; errors (bad host, container, pattern) throw before any byte. */
export async function openContainerLogStream(query: TLogStreamQuery, signal?: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  const target = await resolveLogHost(query.host);
  return openSharedLogStream(target.hostId, query, createDockerLogOpener(target, query.container), signal);
}

/** Opens the raw download of a container's log for a time range. */
export async function openContainerLogDownload(query: TLogDownloadQuery, signal?: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  const target = await resolveLogHost(query.host);
  return openLogDownload(query, createDockerLogOpener(target, query.container), signal);
}
