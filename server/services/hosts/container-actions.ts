import { mapDockerError } from "@/server/adapters/docker/map-docker-error";
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
  return runContainerAction(target, container, "start", (c) => c.start(), transport);
}

/** Stop a container (SIGTERM, then SIGKILL after the timeout); stopping a stopped one is a no-op. */
export function stopContainer(target: SshTarget, container: string, options: StopOptions = {}, transport: HostTransport = createSshHostTransport()) {
  return runContainerAction(target, container, "stop", (c) => c.stop({ t: options.timeoutSeconds ?? 10 }), transport);
}

/** Restart a container (stop with the timeout, then start). */
export function restartContainer(target: SshTarget, container: string, options: StopOptions = {}, transport: HostTransport = createSshHostTransport()) {
  return runContainerAction(target, container, "restart", (c) => c.restart({ t: options.timeoutSeconds ?? 10 }), transport);
}

async function runContainerAction(
  target: SshTarget,
  container: string,
  verb: "start" | "stop" | "restart",
  run: (c: ReturnType<ReturnType<HostTransport["docker"]>["getContainer"]>) => Promise<unknown>,
  transport: HostTransport,
): Promise<ContainerActionResult> {
  const ref = assertContainerRef(container);
  try {
    await run(transport.docker(target).getContainer(ref));
    return { container: ref, changed: true };
  } catch (err) {
    if (isNotModified(err)) return { container: ref, changed: false };
    throw mapDockerError(err, { target, action: `${verb} container ${ref}`, subject: `container ${ref}` });
  }
}

function isNotModified(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { statusCode?: unknown }).statusCode === 304;
}
