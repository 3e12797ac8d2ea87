import { createSshDocker, type DockerConnector } from "@/server/adapters/docker";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { readHostEnvFile, writeHostEnvFile } from "@/server/services/env/host-env-file";
import { envVersionEntries } from "@/server/services/env/deploy-env";
import type { EnvEntry } from "@/server/services/env/env-format";
import { runHealthGate } from "./health-gate";
import type { DeployPlan } from "./plan";
import { switchUpstreams } from "./proxy-switch";
import type { Stack } from "@prisma/client";
import type { JobContext } from "@/server/jobs/types";
import { runStackSmoke } from "@/server/services/smoke/stack-smoke";
import type { SmokeStepResult } from "@/server/services/smoke/types";

/** Everything a deploy does to the outside world, so its orchestration can be tested with fakes. */
export interface DeployPorts {
  docker: DockerConnector;
  /** Probes a new container on its host's loopback until it answers healthy or the attempts run out. */
  healthGate: typeof runHealthGate;
  /** Points the stack's proxy at exactly these upstreams; returns what it set. A warning is a step that lagged after the live switch. */
  switchUpstreams: (plan: DeployPlan, dials: string[], onWarning: (message: string) => void) => Promise<string[]>;
  /** Writes the managed env to the host's /srv/pixelfox/.env. */
  writeEnvFile: (target: SshTarget, env: { version: number; entries: string[] }) => Promise<void>;
  /** The host's /srv/pixelfox/.env as it is now (null: no file), read before it is written. */
  readEnvFile: (target: SshTarget) => Promise<string | null>;
  /** The entries of an earlier env version of the stack (null: no such version). */
  envVersionEntries: (stackId: string, version: number) => Promise<EnvEntry[] | null>;
  /** The plan's smoke tests the stack's settings choose, logged per step; throws naming the failed step. */
  smoke: (stack: Stack, job: JobContext) => Promise<SmokeStepResult[]>;
  /** Waits (the drain); resolves early when the signal aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The real ones: pooled SSH to each host's Docker, tunnels for probes, the proxy's admin API. */
export function createDeployPorts(docker: DockerConnector = createSshDocker()): DeployPorts {
  return {
    docker,
    healthGate: runHealthGate,
    switchUpstreams: (plan, dials, onWarning) => switchUpstreams(plan, dials, docker, onWarning),
    writeEnvFile: writeHostEnvFile,
    readEnvFile: readHostEnvFile,
    envVersionEntries,
    smoke: (stack, job) => runStackSmoke(job, stack),
    sleep,
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}
