import type { Duplex, Readable, Writable } from "node:stream";
import type Docker from "dockerode";
import type { ChannelPurpose, SshTarget } from "@/server/adapters/ssh/types";

// The Engine API's shapes, named once here so services never import dockerode themselves.
export type ContainerSummaryInfo = Docker.ContainerInfo;
export type PortInfo = Docker.Port;
export type ContainerInspect = Docker.ContainerInspectInfo;
export type ContainerCreateSpec = Docker.ContainerCreateOptions;
export type ImageSummaryInfo = Docker.ImageInfo;
export type ImageInspect = Docker.ImageInspectInfo;
export type ContainerStats = Docker.ContainerStats;
export type HostConfig = Docker.HostConfig;
export type RestartPolicyName = "no" | "always" | "unless-stopped" | "on-failure";

/** How a failure is worded: what the panel was doing, and what a 404 means. */
export interface DockerCallContext {
  /** e.g. "stop container pxlfox-app" (each call has a sensible default). */
  action?: string;
  /** e.g. "container pxlfox-app": what was not found on a 404. */
  subject?: string;
  signal?: AbortSignal;
}

export interface RegistryAuth {
  username: string;
  password: string;
  serveraddress: string;
}

/** One line of Docker's pull progress (JSON lines of POST /images/create). */
export interface PullEvent {
  status?: string;
  id?: string;
  error?: string;
  errorDetail?: { message?: string };
  progressDetail?: { current?: number; total?: number };
}

export interface ExecInput {
  /** Argument array: never a string built from user input. */
  cmd: string[];
  /** Security: secrets (MYSQL_PWD) go here, in the exec's environment, never in argv. */
  env?: string[];
  /** Streamed to the process's stdin, then stdin is closed. */
  stdin?: Readable;
  /** Receives stdout, with backpressure. Without it stdout is kept like stderr (tail only). */
  stdout?: Writable;
  signal?: AbortSignal;
  action: string;
  /** "stream" when the exec serves a log view (e.g. the slow log), so it uses the log-stream channels; default "operation". */
  purpose?: ChannelPurpose;
}

export interface ExecOutput {
  /** Null when it could not be read (e.g. the connection dropped). */
  exitCode: number | null;
  stderr: string;
  stdoutTail: string;
}

/** A started exec whose multiplexed output the caller reads itself (e.g. a followed `tail`). */
export interface ExecStream {
  /** Raw Engine stream: 8-byte frame headers, see `DockerFrameDemuxer`. */
  stream: Duplex;
}

/** What to ask GET /containers/{id}/logs for. Times are Unix seconds. */
export interface LogRequest {
  tail: number | "all";
  since?: number;
  until?: number;
  follow: boolean;
  stdout: boolean;
  stderr: boolean;
  timestamps: boolean;
}

/** An open logs response: raw bytes, multiplexed unless the container has a TTY. */
export interface LogStream {
  stream: Readable;
  isTty: boolean;
  /** Ends the remote request (and frees its SSH channel). Safe to call twice. */
  close(): void;
}

/**
 * The Docker Engine of one host, as the services use it. Every failure is an AppError naming the
 * host and the action (see mapDockerError); a 404 is NOT_FOUND, a 409 CONFLICT.
 */
export interface DockerClient {
  readonly target: SshTarget;
  version(ctx?: DockerCallContext): Promise<{ Version: string; ApiVersion: string }>;
  listContainers(options?: { all?: boolean }, ctx?: DockerCallContext): Promise<ContainerSummaryInfo[]>;
  inspectContainer(ref: string, ctx?: DockerCallContext): Promise<ContainerInspect>;
  /** Creates (never starts) a container; returns its id. */
  createContainer(spec: ContainerCreateSpec, ctx?: DockerCallContext): Promise<string>;
  /** False when it already ran (Docker's 304). */
  startContainer(ref: string, ctx?: DockerCallContext): Promise<boolean>;
  /** False when it already was stopped (Docker's 304). */
  stopContainer(ref: string, options?: { t?: number }, ctx?: DockerCallContext): Promise<boolean>;
  restartContainer(ref: string, options?: { t?: number }, ctx?: DockerCallContext): Promise<void>;
  removeContainer(ref: string, options?: { force?: boolean }, ctx?: DockerCallContext): Promise<void>;
  renameContainer(ref: string, name: string, ctx?: DockerCallContext): Promise<void>;
  setRestartPolicy(ref: string, policy: RestartPolicyName, ctx?: DockerCallContext): Promise<void>;
  listImages(ctx?: DockerCallContext): Promise<ImageSummaryInfo[]>;
  /** Null when the image is not on the host. */
  findImage(ref: string, ctx?: DockerCallContext): Promise<ImageInspect | null>;
  /** Pulls with the registry credentials, one event per progress line; cancelling stops the pull on the daemon. */
  pullImage(image: string, options: { auth?: RegistryAuth; signal: AbortSignal; onEvent: (ev: PullEvent) => void }): Promise<void>;
  /** Runs a command in a container, streaming stdin/stdout; resolves with the exit code and stderr's tail. */
  exec(container: string, input: ExecInput): Promise<ExecOutput>;
  /** Starts a command in a container and hands back its raw output stream (a log view: uses the log-stream channels). */
  openExec(container: string, input: { cmd: string[]; env?: string[]; action: string }): Promise<ExecStream>;
  /** Opens a container's log (a log view: uses the log-stream channels, see ChannelPurpose). */
  openLogs(ref: string, request: LogRequest, ctx?: DockerCallContext): Promise<LogStream>;
  /** The last lines a container wrote (stdout and stderr, in order). */
  readLogTail(ref: string, lines: number, ctx?: DockerCallContext): Promise<string[]>;
  /**
   * One stats sample (stream=false). With `oneShot` dockerd answers at once, without `precpu_stats`
   * (Docker's one-shot stats, API 1.41); otherwise it waits about a second for a second CPU sample.
   */
  readStats(ref: string, ctx?: DockerCallContext & { oneShot?: boolean }): Promise<ContainerStats>;
  /** A tar stream of `path` inside the container (GET /containers/{id}/archive). */
  readArchive(ref: string, path: string, ctx?: DockerCallContext): Promise<Readable>;
}

/** Gives the Docker Engine of a host. The real one goes over the pooled SSH connection. */
export type DockerConnector = (target: SshTarget) => DockerClient;
