import { Badge } from "@/components/ui/badge";
import type { Tone } from "@/components/ui/tone";

const TONES: Record<string, Tone> = {
  pass: "success",
  fail: "danger",
  unknown: "warning",
  risk: "danger",
  change: "info",
  info: "neutral",
};

/** pass / fail / unknown (and the adoption's risk / change / info) as a badge. */
export function CheckStatus({ status }: { status: string }) {
  return (
    <Badge tone={TONES[status] ?? "neutral"} data-status={status}>
      {status}
    </Badge>
  );
}
