import { Cron } from "croner";

/** What a valid expression looks like, quoted in every validation message. */
export const CRON_RULE =
  '5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, e.g. "0 3 * * *" or "*/5 * * * * *"';

function parseCron(expr: string, timezone = "UTC"): Cron {
  return new Cron(expr, { timezone, paused: true });
}

/** Null when `expr` is a usable cron expression in `timezone`, else why not (croner's reason and the rule). */
export function explainCronError(expr: string, timezone = "UTC"): string | null {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) return `expected ${CRON_RULE}; got ${parts.length} field(s)`;
  try {
    const cron = parseCron(expr, timezone);
    if (!cron.nextRun()) return `never runs; use ${CRON_RULE}`;
    return null;
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).replace(/^CronPattern:\s*/, "");
    return `${reason}; use ${CRON_RULE}`;
  }
}

/** The next `n` run times after `after`. */
export function listNextRuns(expr: string, n: number, timezone = "UTC", after = new Date()): Date[] {
  return parseCron(expr, timezone).nextRuns(n, after);
}

/** The next run time after `after`, or null when the expression never runs again. */
export function findNextRun(expr: string, timezone = "UTC", after = new Date()): Date | null {
  return parseCron(expr, timezone).nextRun(after);
}

/**
 * The longest gap between consecutive runs over the next few runs: how old the newest backup may
 * get before it is late (a "weekdays at 3:00" schedule has a 3-day gap over the weekend).
 */
export function measureCronInterval(expr: string, timezone = "UTC", after = new Date()): number | null {
  const runs = listNextRuns(expr, 8, timezone, after);
  if (runs.length < 2) return null;
  let max = 0;
  for (let i = 1; i < runs.length; i++) max = Math.max(max, runs[i]!.getTime() - runs[i - 1]!.getTime());
  return max;
}
