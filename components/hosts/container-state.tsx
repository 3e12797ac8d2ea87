import { Badge } from "@/components/ui/badge";
import type { Tone } from "@/components/ui/tone";
import type { RouterOutputs } from "@/trpc/react";

export type ContainerSummary = RouterOutputs["host"]["containers"][number];
export type ContainerAction = "start" | "stop" | "restart";

const STATE_TONES: Record<string, Tone> = {
  running: "success",
  restarting: "warning",
  paused: "info",
  removing: "warning",
  dead: "danger",
};

export function ContainerStateBadge({ state }: { state: string }) {
  return <Badge tone={STATE_TONES[state] ?? "neutral"}>{state}</Badge>;
}

const HEALTH_TONES: Record<ContainerSummary["health"], Tone> = {
  healthy: "success",
  unhealthy: "danger",
  starting: "warning",
  none: "neutral",
};

export function ContainerHealthBadge({ health }: { health: ContainerSummary["health"] }) {
  if (health === "none") return <span className="text-xs text-muted">no check</span>;
  return <Badge tone={HEALTH_TONES[health]}>{health}</Badge>;
}

/** Only the actions Docker would accept for the current state, so no button leads to a pointless error. */
export function actionsForState(state: string): ContainerAction[] {
  if (state === "running" || state === "paused") return ["restart", "stop"];
  if (state === "restarting") return ["stop"];
  if (state === "created" || state === "exited" || state === "dead") return ["start"];
  return [];
}

export const ACTION_LABELS: Record<ContainerAction, { verb: string; done: string }> = {
  start: { verb: "Start", done: "started" },
  stop: { verb: "Stop", done: "stopped" },
  restart: { verb: "Restart", done: "restarted" },
};

/** Published ports as "0.0.0.0:8080→80/tcp"; unpublished ones are internal and left out. */
export function formatPorts(ports: ContainerSummary["ports"]): string[] {
  return ports
    .filter((port) => port.publicPort !== undefined)
    .map((port) => `${port.ip ? `${port.ip}:` : ""}${port.publicPort}→${port.privatePort}/${port.type}`);
}
