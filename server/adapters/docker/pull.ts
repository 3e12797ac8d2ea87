import type Docker from "dockerode";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { AppError } from "@/server/errors";
import type { PullEvent, RegistryAuth } from "./types";

/**
 * Pulls an image on a host, handing each progress event to `onEvent`. Cancelling destroys the
 * Docker stream, which stops the pull on the daemon. A missing tag fails with the registry's answer.
 */
export async function pullWithProgress(
  docker: Docker,
  target: SshTarget,
  image: string,
  opts: { auth?: RegistryAuth; signal: AbortSignal; onEvent: (ev: PullEvent) => void },
): Promise<void> {
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.pull(image, opts.auth ? { authconfig: opts.auth } : {});
  } catch (err) {
    throw pullError(err, target, image);
  }
  const abort = () => (stream as unknown as { destroy?: () => void }).destroy?.();
  opts.signal.addEventListener("abort", abort, { once: true });
  try {
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (err: Error | null) => (err ? reject(err) : resolve()),
        (ev: PullEvent) => {
          if (!ev.error) opts.onEvent(ev);
        },
      );
      stream.on("close", () => opts.signal.aborted && reject(new AppError("CONFLICT", "Pull cancelled")));
    });
  } catch (err) {
    if (opts.signal.aborted) throw new AppError("CONFLICT", `Pull of ${image} on ${target.name} was cancelled`, { host: target.name });
    throw pullError(err, target, image);
  } finally {
    opts.signal.removeEventListener("abort", abort);
  }
}

function pullError(err: unknown, target: SshTarget, image: string): AppError {
  const e = err as { message?: string; json?: { message?: string }; statusCode?: number };
  const answer = e.json?.message ?? e.message ?? String(err);
  return new AppError(
    "REMOTE_FAILED",
    `Pull of ${image} on ${target.name} failed: ${answer}. Check that the tag exists in the registry and the stack's registry credentials.`,
    {
      host: target.name,
      action: "pull image",
      cause: err,
    },
  );
}
