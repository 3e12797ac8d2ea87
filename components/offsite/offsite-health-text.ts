import type { Tone } from "@/components/ui/tone";
import type { OffsiteHealth } from "@/server/services/offsite/offsite-health";
import { formatAge } from "@/components/ui/format-age";

/** Colour and words for the off-site part of backup health: green only when the newest good backup was verified there. */
export function describeOffsite(h: OffsiteHealth): { tone: Tone; label: string; text: string } {
  const where = h.endpoint ? `${h.endpoint}, bucket ${h.bucket}` : "";
  switch (h.state) {
    case "off":
      return { tone: "neutral", label: "off", text: "Off-site copy: not enabled (backups live only on the panel's disk)." };
    case "ok":
      return {
        tone: "success",
        label: "verified",
        text: `Off-site copy of the newest good backup verified ${h.at ? formatAge(h.at) : ""} (${where}).`,
      };
    case "failed":
      return { tone: "danger", label: "failed", text: `Off-site copy of the newest good backup FAILED: ${h.error ?? "see its job"}` };
    case "pending":
      return { tone: "warning", label: "not copied", text: `Off-site copy pending (${where}): ${h.error ?? ""}` };
  }
}
