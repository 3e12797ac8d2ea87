import type { Readable } from "node:stream";
import type Docker from "dockerode";
import { getSshPool, type SshPool } from "@/server/adapters/ssh/pool";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { getDockerode } from "./docker-client";
import { runExec, startExecStream } from "./exec";
import { openLogStream, readLastLines } from "./logs";
import { mapDockerError } from "./map-docker-error";
import { pullWithProgress } from "./pull";
import type { DockerCallContext, DockerClient, DockerConnector } from "./types";

const statusOf = (err: unknown) => (err as { statusCode?: unknown } | null)?.statusCode;

/**
 * The Docker Engine of each host over its pooled SSH connection (stream-local forwarding to the
 * host's socket). The one implementation of DockerClient; errors are mapped here, once.
 */
export function createSshDocker(pool: SshPool = getSshPool()): DockerConnector {
  return (target) =>
    dockerClientOver(
      target,
      () => getDockerode(target, pool),
      () => getDockerode(target, pool, "stream"),
    );
}

/**
 * A DockerClient over any dockerode instance: the real one over SSH, or a scripted one in tests.
 * `streamEngine` serves what a log view holds open (openLogs, openExec, exec with purpose
 * "stream"), so a viewer's streams never take the channels operations need; default `engine`.
 */
export function dockerClientOver(target: SshTarget, engine: () => Docker, streamEngine: () => Docker = engine): DockerClient {
  const call = async <T>(
    ctx: DockerCallContext | undefined,
    action: string,
    subject: string | undefined,
    fn: (d: Docker) => Promise<T>,
  ): Promise<T> => {
    try {
      return await fn(engine());
    } catch (err) {
      throw mapDockerError(err, { target, action: ctx?.action ?? action, subject: ctx?.subject ?? subject });
    }
  };
  /** 304 (already in that state) is an answer, not an error. */
  const change = async (ctx: DockerCallContext | undefined, action: string, subject: string, fn: (d: Docker) => Promise<unknown>) => {
    try {
      await fn(engine());
      return true;
    } catch (err) {
      if (statusOf(err) === 304) return false;
      throw mapDockerError(err, { target, action: ctx?.action ?? action, subject: ctx?.subject ?? subject });
    }
  };
  const c = (ref: string) => `container ${ref}`;
  return {
    target,
    version: (ctx) => call(ctx, "read the Docker version", undefined, (d) => d.version()),
    listContainers: (options, ctx) => call(ctx, "list containers", undefined, (d) => d.listContainers({ all: options?.all ?? false })),
    inspectContainer: (ref, ctx) =>
      call(ctx, `inspect container ${ref}`, c(ref), (d) => d.getContainer(ref).inspect(ctx?.signal ? { abortSignal: ctx.signal } : {})),
    createContainer: (spec, ctx) =>
      call(ctx, `create ${spec.name ?? "a container"}`, undefined, async (d) => (await d.createContainer(spec)).id),
    startContainer: (ref, ctx) => change(ctx, `start container ${ref}`, c(ref), (d) => d.getContainer(ref).start()),
    stopContainer: (ref, options, ctx) =>
      change(ctx, `stop container ${ref}`, c(ref), (d) => d.getContainer(ref).stop({ t: options?.t ?? 10 })),
    restartContainer: (ref, options, ctx) =>
      call(ctx, `restart container ${ref}`, c(ref), (d) => d.getContainer(ref).restart({ t: options?.t ?? 10 })).then(() => undefined),
    removeContainer: (ref, options, ctx) =>
      call(ctx, `remove container ${ref}`, c(ref), (d) => d.getContainer(ref).remove({ force: options?.force ?? false })).then(
        () => undefined,
      ),
    renameContainer: (ref, name, ctx) =>
      call(ctx, `rename container ${ref} to ${name}`, c(ref), (d) => d.getContainer(ref).rename({ name })).then(() => undefined),
    setRestartPolicy: (ref, policy, ctx) =>
      call(ctx, `set the restart policy of ${ref} to ${policy}`, c(ref), (d) =>
        d.getContainer(ref).update({ RestartPolicy: { Name: policy, MaximumRetryCount: 0 } }),
      ).then(() => undefined),
    listImages: (ctx) => call(ctx, "list images", undefined, (d) => d.listImages()),
    findImage: async (ref, ctx) => {
      try {
        return await engine().getImage(ref).inspect();
      } catch (err) {
        if (statusOf(err) === 404) return null;
        throw mapDockerError(err, { target, action: ctx?.action ?? `inspect image ${ref}`, subject: ctx?.subject ?? `image ${ref}` });
      }
    },
    pullImage: (image, options) => pullWithProgress(engine(), target, image, options),
    exec: (container, input) => runExec(input.purpose === "stream" ? streamEngine() : engine(), target, container, input),
    openExec: (container, input) => startExecStream(streamEngine(), target, container, input),
    openLogs: (ref, request) => openLogStream(streamEngine(), target, ref, request),
    readLogTail: (ref, lines) => readLastLines(engine(), target, ref, lines),
    readStats: (ref, ctx) =>
      call(ctx, `read the stats of ${ref}`, c(ref), async (d) =>
        ctx?.oneShot
          ? await d.getContainer(ref).stats({ stream: false, "one-shot": true } as { stream: false })
          : await d.getContainer(ref).stats({ stream: false }),
      ),
    readArchive: (ref, path, ctx) =>
      call(
        ctx,
        `read ${path} from ${ref}`,
        `${path} in ${ref}`,
        async (d) => (await d.getContainer(ref).getArchive({ path })) as unknown as Readable,
      ),
  };
}
