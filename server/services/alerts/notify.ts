import { db } from "@/server/db";
import { isAppError } from "@/server/errors";
import { deliver } from "./channels";

/** One notification attempt, kept in the alert's history. */
export interface Delivery {
  at: string;
  kind: "fire" | "repeat" | "recover";
  channel: string;
  ok: boolean;
  error: string | null;
}

/** Send through every enabled channel in parallel; failures are recorded, never thrown. */
export async function notifyAllChannels(kind: Delivery["kind"], subject: string, text: string): Promise<Delivery[]> {
  const channels = await db.alertChannel.findMany({ where: { enabled: true } });
  return Promise.all(
    channels.map(async (c): Promise<Delivery> => {
      const at = new Date().toISOString();
      try {
        await deliver(c, subject, text);
        return { at, kind, channel: c.name, ok: true, error: null };
      } catch (err) {
        const error = isAppError(err) ? err.message : "internal error (see the panel's log)";
        if (!isAppError(err)) console.error("[alerts] delivery failed:", err);
        return { at, kind, channel: c.name, ok: false, error };
      }
    }),
  );
}

/** Subject and body of a notification. */
export function formatNotification(
  kind: Delivery["kind"],
  stackName: string,
  message: string,
  startedAt: Date,
  now: Date,
): { subject: string; text: string } {
  const word = kind === "recover" ? "RESOLVED" : kind === "repeat" ? "STILL FIRING" : "FIRING";
  const minutes = Math.max(0, Math.round((now.getTime() - startedAt.getTime()) / 60_000));
  const since = kind === "fire" ? "" : ` (since ${startedAt.toISOString()}, ${minutes} min)`;
  return {
    subject: `[PixelFox Ops] ${word} ${stackName}: ${message.split(":")[0]}`,
    text: `${word}${since}\nStack: ${stackName}\n${message}\nAt: ${now.toISOString()}`,
  };
}
