/** An in-memory Docker Engine behind the DockerClient port, for unit tests. Not used by production code. */
import { PassThrough } from "node:stream";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { encodeDockerFrame } from "../demux";
import { mapDockerError } from "../map-docker-error";
import type {
  ContainerCreateSpec,
  ContainerInspect,
  ContainerSummaryInfo,
  DockerClient,
  DockerConnector,
  ExecInput,
  ExecOutput,
  HostConfig,
  ImageInspect,
  PullEvent,
} from "../types";

export interface FakeContainer {
  id: string;
  name: string;
  image: string;
  env: string[];
  labels: Record<string, string>;
  hostConfig: HostConfig;
  running: boolean;
  createdAt: number;
  stopTimeout?: number;
  cmd?: string[];
  logs: string[];
}

export interface FakeImage {
  id: string;
  env: string[];
  repoDigests: string[];
}

export interface FakeDockerOptions {
  /** Called before each operation ("create pxlfox-app-next-1", "start …", "stop …", "pull repo:v2", …); throw to make it fail. */
  failOn?: (call: string) => void;
  /** Answers exec calls. */
  exec?: (container: string, input: ExecInput) => Partial<ExecOutput>;
  /** Pull events for an image (default: one layer that completes). */
  pullEvents?: (image: string) => PullEvent[];
  /** Where calls are recorded (pass one array to several fakes to see their order). */
  calls?: string[];
}

const httpError = (statusCode: number, message: string) =>
  Object.assign(new Error(`(HTTP code ${statusCode}) ${message}`), { statusCode, json: { message } });

/** One engine per host name; `calls` lists every operation in order, prefixed with the host. */
export function createFakeDocker(options: FakeDockerOptions = {}) {
  const hosts = new Map<string, { containers: Map<string, FakeContainer>; images: Map<string, FakeImage> }>();
  const calls: string[] = options.calls ?? [];
  let seq = 0;
  let clock = 1_700_000_000_000;
  const engineOf = (host: string) => {
    let e = hosts.get(host);
    if (!e) hosts.set(host, (e = { containers: new Map(), images: new Map() }));
    return e;
  };

  function clientFor(target: SshTarget): DockerClient {
    const engine = engineOf(target.name);
    const record = (call: string) => {
      calls.push(`${target.name}: ${call}`);
      options.failOn?.(call);
    };
    const fail = (err: Error, action: string, subject?: string) => mapDockerError(err, { target, action, subject });
    const find = (ref: string) => engine.containers.get(ref) ?? [...engine.containers.values()].find((c) => c.name === ref);
    const get = (ref: string, action: string) => {
      const c = find(ref);
      if (!c) throw fail(httpError(404, `No such container: ${ref}`), action, `container ${ref}`);
      return c;
    };
    const findImage = (ref: string) => engine.images.get(ref) ?? [...engine.images.values()].find((i) => i.id === ref);
    const run = async <T>(call: string, fn: () => T): Promise<T> => {
      record(call);
      return fn();
    };
    return {
      target,
      version: () => run("version", () => ({ Version: "27.0.0", ApiVersion: "1.46" })),
      listContainers: (o) => run("list", () => [...engine.containers.values()].filter((c) => o?.all || c.running).map(summaryOf)),
      inspectContainer: (ref, ctx) =>
        run(`inspect ${ref}`, () => {
          const c = get(ref, ctx?.action ?? `inspect container ${ref}`);
          return inspectOf(c, engine.images.get(c.image)?.id ?? c.image);
        }),
      createContainer: (spec, ctx) =>
        run(`create ${spec.name}`, () => {
          if (spec.name && find(spec.name))
            throw fail(
              httpError(409, `Conflict. The container name "/${spec.name}" is already in use`),
              ctx?.action ?? `create ${spec.name}`,
            );
          if (!findImage(spec.Image ?? ""))
            throw fail(httpError(404, `No such image: ${spec.Image}`), ctx?.action ?? `create ${spec.name}`, `image ${spec.Image}`);
          const c = fromSpec(spec, `c${++seq}`, (clock += 1000));
          engine.containers.set(c.id, c);
          return c.id;
        }),
      startContainer: (ref, ctx) =>
        run(`start ${find(ref)?.name ?? ref}`, () => {
          const c = get(ref, ctx?.action ?? `start container ${ref}`);
          const changed = !c.running;
          c.running = true;
          return changed;
        }),
      stopContainer: (ref, o, ctx) =>
        run(`stop ${find(ref)?.name ?? ref} t=${o?.t ?? 10}`, () => {
          const c = get(ref, ctx?.action ?? `stop container ${ref}`);
          const changed = c.running;
          c.running = false;
          return changed;
        }),
      restartContainer: (ref, o, ctx) =>
        run(
          `restart ${find(ref)?.name ?? ref} t=${o?.t ?? 10}`,
          () => void (get(ref, ctx?.action ?? `restart container ${ref}`).running = true),
        ),
      removeContainer: (ref, o, ctx) =>
        run(`remove ${find(ref)?.name ?? ref}`, () => {
          const c = get(ref, ctx?.action ?? `remove container ${ref}`);
          if (c.running && !o?.force) throw fail(httpError(409, "You cannot remove a running container"), `remove container ${ref}`);
          engine.containers.delete(c.id);
        }),
      renameContainer: (ref, name, ctx) =>
        run(`rename ${find(ref)?.name ?? ref} -> ${name}`, () => {
          if (find(name))
            throw fail(
              httpError(409, `Conflict. The container name "/${name}" is already in use`),
              ctx?.action ?? `rename container ${ref} to ${name}`,
            );
          get(ref, ctx?.action ?? `rename container ${ref}`).name = name;
        }),
      setRestartPolicy: (ref, policy, ctx) =>
        run(`restart-policy ${find(ref)?.name ?? ref}=${policy}`, () => {
          get(ref, ctx?.action ?? `update ${ref}`).hostConfig.RestartPolicy = { Name: policy, MaximumRetryCount: 0 };
        }),
      listImages: () => run("images", () => [...engine.images.entries()].map(([ref, i]) => ({ Id: i.id, RepoTags: [ref] }) as never)),
      findImage: (ref) => run(`image ${ref}`, () => imageInspectOf(findImage(ref))),
      pullImage: (image, o) =>
        run(`pull ${image}`, () => {
          for (const ev of options.pullEvents?.(image) ?? [
            { id: "l1", status: "Pulling fs layer" },
            { id: "l1", status: "Pull complete" },
          ])
            o.onEvent(ev);
          if (!engine.images.has(image))
            engine.images.set(image, {
              id: `sha256:${image.length}${++seq}`,
              env: [],
              repoDigests: [`${image.split(":")[0]}@sha256:${"ab".repeat(32)}`],
            });
        }),
      exec: (container, input) =>
        run(`exec ${container} ${input.cmd.join(" ")}`, () => ({
          exitCode: 0,
          stderr: "",
          stdoutTail: "",
          ...options.exec?.(container, input),
        })),
      openExec: (container, input) => run(`exec-stream ${container} ${input.cmd.join(" ")}`, () => ({ stream: new PassThrough() })),
      openLogs: (ref) =>
        run(`logs ${ref}`, () => {
          const c = get(ref, `read the logs of container ${ref}`);
          const stream = new PassThrough();
          stream.end(Buffer.concat(c.logs.map((l) => encodeDockerFrame("stdout", `${l}\n`))));
          return { stream: stream, isTty: false, close: () => stream.destroy() };
        }),
      readLogTail: (ref, lines) => run(`log-tail ${ref}`, () => get(ref, `read the logs of container ${ref}`).logs.slice(-lines)),
      readStats: (ref) => run(`stats ${ref}`, () => ({}) as never),
      readArchive: (ref, path) =>
        run(`archive ${ref} ${path}`, () => {
          throw fail(
            httpError(404, `Could not find the file ${path} in container ${ref}`),
            `read ${path} from ${ref}`,
            `${path} in ${ref}`,
          );
        }),
    };
  }

  const connector: DockerConnector = (target) => clientFor(target);
  return {
    connector,
    calls,
    /** Puts an image on a host (e.g. the one the live container runs). */
    addImage(host: string, ref: string, image: Partial<FakeImage> = {}) {
      engineOf(host).images.set(ref, { id: image.id ?? `sha256:img${++seq}`, env: image.env ?? [], repoDigests: image.repoDigests ?? [] });
    },
    /** Puts a container on a host as if compose or an earlier deploy had created it. */
    addContainer(host: string, c: Partial<FakeContainer> & { name: string; image: string }): FakeContainer {
      const container: FakeContainer = {
        id: `c${++seq}`,
        env: [],
        labels: {},
        hostConfig: { NetworkMode: "host", RestartPolicy: { Name: "always" } },
        running: true,
        createdAt: (clock += 1000),
        logs: [],
        ...c,
      };
      engineOf(host).containers.set(container.id, container);
      if (!engineOf(host).images.has(c.image)) this.addImage(host, c.image);
      return container;
    },
    containers: (host: string) => [...engineOf(host).containers.values()],
    container: (host: string, name: string) => [...engineOf(host).containers.values()].find((c) => c.name === name),
  };
}

function fromSpec(spec: ContainerCreateSpec, id: string, createdAt: number): FakeContainer {
  return {
    id,
    name: spec.name ?? id,
    image: spec.Image ?? "",
    env: spec.Env ?? [],
    labels: spec.Labels ?? {},
    hostConfig: { ...(spec.HostConfig ?? {}) },
    running: false,
    createdAt,
    stopTimeout: spec.StopTimeout,
    cmd: spec.Cmd,
    logs: [],
  };
}

function summaryOf(c: FakeContainer): ContainerSummaryInfo {
  return {
    Id: c.id,
    Names: [`/${c.name}`],
    Image: c.image,
    State: c.running ? "running" : "exited",
    Status: c.running ? "Up" : "Exited (0)",
    Labels: c.labels,
    Ports: [],
    Created: Math.floor(c.createdAt / 1000),
  } as unknown as ContainerSummaryInfo;
}

function inspectOf(c: FakeContainer, imageId: string): ContainerInspect {
  return {
    Id: c.id,
    Name: `/${c.name}`,
    Image: imageId,
    Created: new Date(c.createdAt).toISOString(),
    RestartCount: 0,
    State: { Running: c.running, Status: c.running ? "running" : "exited", StartedAt: new Date(c.createdAt).toISOString() },
    Config: { Image: c.image, Env: c.env, Labels: c.labels, Tty: false, StopTimeout: c.stopTimeout, Cmd: c.cmd },
    HostConfig: c.hostConfig,
  } as unknown as ContainerInspect;
}

function imageInspectOf(i: FakeImage | undefined): ImageInspect | null {
  return i ? ({ Id: i.id, Config: { Env: i.env }, RepoDigests: i.repoDigests } as unknown as ImageInspect) : null;
}
