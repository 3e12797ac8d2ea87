/** Keep the newest N good backups, plus the newest of each of the last D days and W weeks (UTC). */
export interface RetentionPolicy {
  keepLast: number;
  keepDaily: number;
  keepWeekly: number;
}

export interface RetentionCandidate {
  id: string;
  /** good means verified: only those count towards the tiers */
  isGood: boolean;
  isRunning: boolean;
  createdAt: Date;
  /** Its last restore drill passed: the newest such backup is the proven one and is always kept. */
  drillPassed?: boolean;
}

export interface RetentionDecision {
  keep: { id: string; why: string[] }[];
  remove: { id: string; why: string }[];
}

const DAY_MS = 86_400_000;
/** A failed backup is kept a day so the operator can read its error, then it can go. */
export const FAILED_KEEP_MS = DAY_MS;

function dayKey(d: Date): number {
  return Math.floor(d.getTime() / DAY_MS);
}

/** Weeks start on Monday (UTC): 1970-01-01 was a Thursday, hence the 3-day shift. */
function weekKey(d: Date): number {
  return Math.floor((d.getTime() + 3 * DAY_MS) / (7 * DAY_MS));
}

/**
 * Decides which backups retention deletes. Pure: no I/O. Nothing good is removed unless a newer good
 * backup exists (the newest good one is always kept), the newest backup whose restore drill passed
 * is always kept (it is the one proven to restore); running backups are never touched; failed ones
 * are removed once older than a day.
 */
export function selectRetention(backups: RetentionCandidate[], policy: RetentionPolicy, now = new Date()): RetentionDecision {
  const good = backups.filter((b) => b.isGood && !b.isRunning).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const reasons = new Map<string, string[]>();
  const mark = (id: string, why: string) => reasons.set(id, [...(reasons.get(id) ?? []), why]);
  if (good[0]) mark(good[0].id, "newest good");
  const proven = good.find((b) => b.drillPassed);
  if (proven) mark(proven.id, "last passing drill");
  good.slice(0, Math.max(0, policy.keepLast)).forEach((b, i) => mark(b.id, `last ${i + 1}/${policy.keepLast}`));
  const today = dayKey(now);
  const thisWeek = weekKey(now);
  const seenDays = new Set<number>();
  const seenWeeks = new Set<number>();
  for (const b of good) {
    const day = dayKey(b.createdAt);
    if (today - day < policy.keepDaily && !seenDays.has(day)) {
      seenDays.add(day);
      mark(b.id, `daily ${new Date(day * DAY_MS).toISOString().slice(0, 10)}`);
    }
    const week = weekKey(b.createdAt);
    if (thisWeek - week < policy.keepWeekly && !seenWeeks.has(week)) {
      seenWeeks.add(week);
      mark(b.id, "weekly");
    }
  }
  const decision: RetentionDecision = { keep: [], remove: [] };
  for (const b of backups) {
    const why = reasons.get(b.id);
    if (b.isRunning) decision.keep.push({ id: b.id, why: ["running"] });
    else if (why) decision.keep.push({ id: b.id, why });
    else if (b.isGood) decision.remove.push({ id: b.id, why: "beyond the last/daily/weekly tiers" });
    else if (now.getTime() - b.createdAt.getTime() > FAILED_KEEP_MS) decision.remove.push({ id: b.id, why: "failed, older than a day" });
    else decision.keep.push({ id: b.id, why: ["failed, less than a day old"] });
  }
  return decision;
}
