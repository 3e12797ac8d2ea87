import type { DockerCallContext, DockerClient } from "@/server/adapters/docker";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { assertContainerRef } from "./container-ref";
import { createSshHostTransport, type HostTransport } from "./transport";

export interface ContainerActionResult {
  container: string;
  /** False when the container already was in the requested state (Docker answered 304). */
  changed: boolean;
}

export interface StopOptions {
  /** Seconds Docker waits after SIGTERM before SIGKILL (default 10). */
  timeoutSeconds?: number;
}

/** Start a container by name or id; starting a running container is a no-op. */
export function startContainer(target: SshTarget, container: string, transport: HostTransport = createSshHostTransport()) {
  return runContainerAction(target, container, "start", (d, ref, ctx) => d.startContainer(ref, ctx), transport);
}

/** Stop a container (SIGTERM, then SIGKILL after the timeout); stopping a stopped one is a no-op. */
export function stopContainer(
  target: SshTarget,
  container: string,
  options: StopOptions = {},
  transport: HostTransport = createSshHostTransport(),
) {
  return runContainerAction(
    target,
    container,
    "stop",
    (d, ref, ctx) => d.stopContainer(ref, { t: options.timeoutSeconds ?? 10 }, ctx),
    transport,
  );
}

/** Restart a container (stop with the timeout, then start). */
export function restartContainer(
  target: SshTarget,
  container: string,
  options: StopOptions = {},
  transport: HostTransport = createSshHostTransport(),
) {
  return runContainerAction(
    target,
    container,
    "restart",
    (d, ref, ctx) => d.restartContainer(ref, { t: options.timeoutSeconds ?? 10 }, ctx).then(() => true),
    transport,
  );
}

async function runContainerAction(
  target: SshTarget,
  container: string,
  verb: "start" | "stop" | "restart",
  run: (docker: DockerClient, ref: string, ctx: DockerCallContext) => Promise<boolean>,
  transport: HostTransport,
): Promise<ContainerActionResult> {
  const ref = assertContainerRef(container);
  const changed = await run(transport.docker(target), ref, { action: `${verb} container ${ref}`, subject: `container ${ref}` });
  return { container: ref, changed };
}
