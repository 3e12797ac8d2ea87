import { PassThrough, Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { DockerFrameDemuxer, RawLogPassthrough } from "@/server/adapters/docker";
import type { OpenLogSource } from "./docker-log-source";
import type { TLogDownloadQuery } from "./query";

/**
 * The container's whole log for the range as raw bytes (stdout and stderr interleaved in the
 * order Docker stored them, no prefixes), optionally gzipped. Streamed through a pipeline, so the
 * first byte leaves at once and memory stays flat whatever the size; an abort ends the remote request.
 */
export async function openLogDownload(
  query: TLogDownloadQuery,
  openSource: OpenLogSource,
  signal?: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  const source = await openSource({
    tail: "all",
    since: query.since,
    until: query.until,
    follow: false,
    stdout: true,
    stderr: true,
    timestamps: false,
  });
  const decoder = source.isTty ? new RawLogPassthrough() : new DockerFrameDemuxer();
  const demux = new Transform({
    transform(chunk: Buffer, _enc, done) {
      for (const frame of decoder.push(chunk)) this.push(frame.payload);
      done();
    },
  });
  const out = new PassThrough();
  const stages = query.gzip ? [source.stream, demux, createGzip(), out] : [source.stream, demux, out];
  signal?.addEventListener("abort", () => source.close(), { once: true });
  pipeline(stages as [Readable, Transform, PassThrough]).catch(() => source.close());
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}
