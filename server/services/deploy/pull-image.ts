import type Docker from "dockerode";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { AppError } from "@/server/errors";

interface PullEvent {
  status?: string;
  id?: string;
  error?: string;
  errorDetail?: { message?: string };
  progressDetail?: { current?: number; total?: number };
}

export interface PullProgress {
  fraction: number;
  detail: string;
}

const mb = (n: number) => `${(n / 1_000_000).toFixed(1)} MB`;

/** Aggregates Docker's per-layer pull events into one fraction and a human line. */
export function createPullTracker() {
  const layers = new Map<string, { current: number; total: number; done: boolean }>();
  return {
    update(ev: PullEvent): PullProgress {
      if (ev.id && ev.status) {
        const layer = layers.get(ev.id) ?? { current: 0, total: 0, done: false };
        if (ev.progressDetail?.total) {
          layer.total = ev.progressDetail.total;
          layer.current = ev.progressDetail.current ?? layer.current;
        }
        if (/Pull complete|Already exists|Download complete/.test(ev.status)) {
          layer.done = ev.status !== "Download complete" || layer.done;
          if (layer.total) layer.current = layer.total;
          if (ev.status !== "Download complete") layer.done = true;
        }
        if (/^(Pulling fs layer|Waiting|Downloading|Verifying Checksum|Download complete|Extracting|Pull complete|Already exists)/.test(ev.status)) {
          layers.set(ev.id, layer);
        }
      }
      return this.snapshot();
    },
    snapshot(): PullProgress {
      const all = [...layers.values()];
      const total = all.reduce((s, l) => s + l.total, 0);
      const current = all.reduce((s, l) => s + Math.min(l.current, l.total), 0);
      const done = all.filter((l) => l.done).length;
      const bytes = total > 0 ? current / total : 0;
      const fraction = all.length === 0 ? 0 : Math.min(1, 0.9 * bytes + 0.1 * (done / all.length));
      return { fraction, detail: all.length ? `${mb(current)} / ${mb(total)}, ${done}/${all.length} layers` : "resolving…" };
    },
  };
}

/**
 * Pulls an image on a host with the registry credentials, reporting progress. Cancelling destroys the
 * Docker stream, which stops the pull on the daemon. A missing tag fails with the registry's answer.
 */
export async function pullImage(
  docker: Docker,
  target: SshTarget,
  image: string,
  opts: { auth?: { username: string; password: string; serveraddress: string }; signal: AbortSignal; onProgress: (p: PullProgress) => void; onStatus?: (line: string) => void },
): Promise<void> {
  const tracker = createPullTracker();
  let stream: NodeJS.ReadableStream;
  try {
    stream = (await docker.pull(image, opts.auth ? { authconfig: opts.auth } : {})) as NodeJS.ReadableStream;
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
          if (ev.error) return;
          opts.onProgress(tracker.update(ev));
          if (ev.status && !ev.progressDetail?.total && opts.onStatus) opts.onStatus(ev.id ? `${ev.id}: ${ev.status}` : ev.status);
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
  opts.onProgress({ fraction: 1, detail: tracker.snapshot().detail.replace("resolving…", "image already present") });
}

function pullError(err: unknown, target: SshTarget, image: string): AppError {
  const e = err as { message?: string; json?: { message?: string }; statusCode?: number };
  const answer = e.json?.message ?? e.message ?? String(err);
  return new AppError("REMOTE_FAILED", `Pull of ${image} on ${target.name} failed: ${answer}. Check that the tag exists in the registry and the stack's registry credentials.`, {
    host: target.name, action: "pull image", cause: err,
  });
}
