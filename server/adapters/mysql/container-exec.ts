import { Writable, type Duplex, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type Docker from "dockerode";
import { mapDockerError } from "@/server/adapters/docker/map-docker-error";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { AppError } from "@/server/errors";
import { createTailBuffer, ExecDemux } from "./exec-demux";

export interface StreamExecInput {
  docker: Docker;
  target: SshTarget;
  container: string;
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
}

export interface StreamExecResult {
  exitCode: number | null;
  stderr: string;
  stdoutTail: string;
}

/**
 * Runs a command inside a container through the Docker API (exec, hijacked stream over the pooled
 * SSH connection), streaming stdin and stdout without buffering them; stderr's tail is kept.
 * Resolves with the exit code (null when it could not be read, e.g. the connection dropped).
 */
export async function streamContainerExec(input: StreamExecInput): Promise<StreamExecResult> {
  const { docker, target } = input;
  let exec: Docker.Exec;
  let stream: Duplex;
  try {
    exec = await docker.getContainer(input.container).exec({
      Cmd: input.cmd, Env: input.env ?? [], AttachStdin: Boolean(input.stdin), AttachStdout: true, AttachStderr: true, Tty: false,
    });
    stream = (await exec.start({ hijack: true, stdin: Boolean(input.stdin) })) as unknown as Duplex;
  } catch (err) {
    throw mapDockerError(err, { target, action: input.action, subject: `container ${input.container}` });
  }
  const stderr = createTailBuffer();
  const stdoutTail = createTailBuffer(4096);
  const abort = () => stream.destroy(new AppError("CONFLICT", "Cancelled"));
  input.signal?.addEventListener("abort", abort, { once: true });
  try {
    const demux = new ExecDemux((c) => stderr.push(c));
    const sink = input.stdout ?? new Writable({ write(c: Buffer, _e, cb) { stdoutTail.push(c); cb(); } });
    const reading = pipeline(stream, demux, sink);
    if (input.stdin) {
      // Security/robustness: stdin is piped with backpressure; end() half-closes so the process sees EOF.
      const writing = pipeline(input.stdin, stream as unknown as Writable, { end: true });
      await Promise.all([reading, writing]);
    } else {
      await reading;
    }
  } catch (err) {
    throw Object.assign(mapDockerError(err, { target, action: input.action }), { stderrTail: stderr.text() });
  } finally {
    input.signal?.removeEventListener("abort", abort);
    // The hijacked connection is an SSH channel holding one of the host's channel slots. Without
    // stdin nothing ever ends our side, so the channel would stay half-open and leak the slot
    // (after a few execs every Docker call on the host would queue forever).
    if (!stream.destroyed) stream.destroy();
  }
  let exitCode: number | null = null;
  try {
    exitCode = (await exec.inspect()).ExitCode ?? null;
  } catch {
    exitCode = null;
  }
  return { exitCode, stderr: stderr.text(), stdoutTail: stdoutTail.text() };
}

/** The container's configured environment as a map (the db image keeps its credentials there). */
export async function readContainerEnv(docker: Docker, target: SshTarget, container: string): Promise<Record<string, string>> {
  try {
    const info = await docker.getContainer(container).inspect();
    const env: Record<string, string> = {};
    for (const line of info.Config.Env ?? []) {
      const i = line.indexOf("=");
      if (i > 0) env[line.slice(0, i)] = line.slice(i + 1);
    }
    return env;
  } catch (err) {
    throw mapDockerError(err, { target, action: `inspect container ${container}`, subject: `container ${container}` });
  }
}
