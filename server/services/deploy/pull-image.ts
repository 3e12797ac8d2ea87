import type { DockerClient, PullEvent, RegistryAuth } from "@/server/adapters/docker";

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
        if (
          /^(Pulling fs layer|Waiting|Downloading|Verifying Checksum|Download complete|Extracting|Pull complete|Already exists)/.test(
            ev.status,
          )
        ) {
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

/** Pulls an image on a host with the registry credentials, reporting aggregated progress. */
export async function pullImage(
  docker: DockerClient,
  image: string,
  opts: { auth?: RegistryAuth; signal: AbortSignal; onProgress: (p: PullProgress) => void; onStatus?: (line: string) => void },
): Promise<void> {
  const tracker = createPullTracker();
  await docker.pullImage(image, {
    auth: opts.auth,
    signal: opts.signal,
    onEvent: (ev) => {
      opts.onProgress(tracker.update(ev));
      if (ev.status && !ev.progressDetail?.total && opts.onStatus) opts.onStatus(ev.id ? `${ev.id}: ${ev.status}` : ev.status);
    },
  });
  opts.onProgress({ fraction: 1, detail: tracker.snapshot().detail.replace("resolving…", "image already present") });
}
