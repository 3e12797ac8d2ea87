import { db } from "@/server/db";

/** Failed sign-ins allowed before each further attempt has to wait. */
export const FREE_FAILURES = 5;
const FIRST_WAIT_MS = 30_000;
const MAX_WAIT_MS = 15 * 60_000;
/** A failure older than this no longer counts (a fresh start for a user who simply forgot). */
const FORGET_AFTER_MS = 60 * 60_000;

/** How long sign-ins wait after `failures` failures in a row: none up to 5, then 30 s doubling to 15 min. */
export function waitAfter(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** (failures - FREE_FAILURES));
}

const key = (email: string) => email.trim().toLowerCase();

const checking = new Map<string, Promise<unknown>>();

/**
 * Runs one sign-in check of an account at a time (in this process: the panel is one server process
 * with an embedded store). Without it, a burst of parallel guesses would all read "no wait yet"
 * before the first failure is written, and the wait would slow down nothing.
 */
export async function oneCheckAtATime<T>(email: string, fn: () => Promise<T>): Promise<T> {
  const k = key(email);
  const before = checking.get(k) ?? Promise.resolve();
  const mine = before.then(fn, fn);
  const settled = mine.catch(() => undefined);
  checking.set(k, settled);
  try {
    return await mine;
  } finally {
    if (checking.get(k) === settled) checking.delete(k);
  }
}

/**
 * Milliseconds until this email may try again, or 0. Security: keyed by account, not by address
 * (behind a proxy every client can share one), so guessing one account's password is slowed to a
 * few tries per quarter hour whoever tries; the wait ends by itself.
 */
export async function loginWaitMs(email: string, now = Date.now()): Promise<number> {
  const row = await db.loginThrottle.findUnique({ where: { email: key(email) } });
  return row?.lockedUntil ? Math.max(0, row.lockedUntil.getTime() - now) : 0;
}

export async function recordLoginFailure(email: string, now = Date.now()): Promise<void> {
  const row = await db.loginThrottle.findUnique({ where: { email: key(email) } });
  const failures = row && now - row.lastFailure.getTime() < FORGET_AFTER_MS ? row.failures + 1 : 1;
  const wait = waitAfter(failures);
  const data = { failures, lastFailure: new Date(now), lockedUntil: wait ? new Date(now + wait) : null };
  await db.loginThrottle.upsert({ where: { email: key(email) }, create: { email: key(email), ...data }, update: data });
}

export async function clearLoginFailures(email: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { email: key(email) } });
}
