import { Writable, type Duplex } from "node:stream";
import { pipeline } from "node:stream/promises";
import type Docker from "dockerode";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { AppError } from "@/server/errors";
import { createTailBuffer, ExecDemux } from "./demux";
import { mapDockerError } from "./map-docker-error";
import type { ExecInput, ExecOutput, ExecStream } from "./types";

/**
 * Runs a command inside a container through the Docker API (exec, hijacked stream over the pooled
 * SSH connection), streaming stdin and stdout without buffering them; stderr's tail is kept.
 * Resolves with the exit code (null when it could not be read, e.g. the connection dropped).
 */
export async function runExec(docker: Docker, target: SshTarget, container: string, input: ExecInput): Promise<ExecOutput> {
  let exec: Docker.Exec;
  let stream: Duplex;
  try {
    exec = await docker.getContainer(container).exec({
      Cmd: input.cmd,
      Env: input.env ?? [],
      AttachStdin: Boolean(input.stdin),
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
    });
    stream = await exec.start({ hijack: true, stdin: Boolean(input.stdin) });
  } catch (err) {
    throw mapDockerError(err, { target, action: input.action, subject: `container ${container}` });
  }
  const stderr = createTailBuffer();
  const stdoutTail = createTailBuffer(4096);
  const abort = () => stream.destroy(new AppError("CONFLICT", "Cancelled"));
  input.signal?.addEventListener("abort", abort, { once: true });
  try {
    const demux = new ExecDemux((c) => stderr.push(c));
    const sink =
      input.stdout ??
      new Writable({
        write(c: Buffer, _e, cb) {
          stdoutTail.push(c);
          cb();
        },
      });
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

/** Starts a command and returns its raw multiplexed output; the caller reads and destroys it. */
export async function startExecStream(
  docker: Docker,
  target: SshTarget,
  container: string,
  input: { cmd: string[]; env?: string[]; action: string },
): Promise<ExecStream> {
  try {
    const exec = await docker
      .getContainer(container)
      .exec({ Cmd: input.cmd, Env: input.env ?? [], AttachStdout: true, AttachStderr: true, Tty: false });
    const stream = await exec.start({ hijack: true, stdin: false });
    return { stream };
  } catch (err) {
    throw mapDockerError(err, { target, action: input.action, subject: `container ${container}` });
  }
}
