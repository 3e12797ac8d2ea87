import { Badge } from "@/components/ui/badge";
import type { Tone } from "@/components/ui/tone";
import type { HostKeyState } from "@/server/domain/roles";
import type { RouterOutputs } from "@/trpc/react";

export type HostView = RouterOutputs["host"]["list"][number];

const KEY_STATES: Record<HostKeyState, { tone: Tone; label: string }> = {
  PINNED: { tone: "success", label: "pinned" },
  UNPINNED: { tone: "warning", label: "not verified" },
  CHANGED: { tone: "danger", label: "HOST KEY CHANGED" },
};

export function HostKeyBadge({ state }: { state: HostKeyState }) {
  const { tone, label } = KEY_STATES[state];
  return (
    <Badge tone={tone} className={state === "CHANGED" ? "font-bold" : undefined}>
      {label}
    </Badge>
  );
}

/**
 * One honest status per host for dots and summaries: a host is only green after a check that
 * succeeded, and an unverified or changed host key outranks any old check result.
 */
export function describeHostHealth(host: Pick<HostView, "hostKeyState" | "lastCheckOk">): { tone: Tone; label: string } {
  if (host.hostKeyState === "CHANGED") return { tone: "danger", label: "host key changed" };
  if (host.hostKeyState === "UNPINNED") return { tone: "warning", label: "host key not verified" };
  if (host.lastCheckOk === null) return { tone: "neutral", label: "not checked" };
  return host.lastCheckOk ? { tone: "success", label: "last check ok" } : { tone: "danger", label: "last check failed" };
}
