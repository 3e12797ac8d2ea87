import { AppError } from "@/server/errors";
import type { ChannelBudget } from "./channel-budget";
import { describeTarget, type ChannelPurpose, type SshTarget } from "./types";

/**
 * The error for a channel request that found no free slot in time: names the host, what waited,
 * how the slots are used right now, and what the operator can do about it.
 */
export function channelWaitTimeout(
  target: SshTarget,
  action: string,
  purpose: ChannelPurpose,
  waitedMs: number,
  budget: ChannelBudget,
): AppError {
  const streams = budget.count("stream");
  const operations = budget.count("operation");
  const waiting = streams.queued + operations.queued;
  const busy =
    `${budget.active} of ${budget.total} SSH channels in use: ${plural(streams.open, "log stream")}, ${plural(operations.open, "operation")}` +
    (waiting > 0 ? `; ${waiting} more waiting` : "");
  const advice =
    purpose === "operation"
      ? "Deploys, backups, restores or health checks on this host are holding the channels: wait for them to finish, then retry."
      : streams.open >= budget.streamLimit
        ? `Log streams may use ${budget.streamLimit} of them and all ${budget.streamLimit} are open: close a log view on this host (any user's, in any tab), or retry in a moment.`
        : "Operations on this host (deploy, backup, health checks) come first: retry the log view in a moment.";
  const seconds = Math.round(waitedMs / 100) / 10;
  return new AppError(
    "HOST_TIMEOUT",
    `Could not ${action} on ${describeTarget(target)}: no SSH channel became free within ${seconds} s (${busy}). ${advice}`,
    {
      host: target.name,
      action,
      data: {
        reason: "channel-wait-timeout",
        purpose,
        waitedMs,
        channels: { total: budget.total, streamLimit: budget.streamLimit, streams, operations },
      },
    },
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
