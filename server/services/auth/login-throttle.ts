import { createHmac } from "node:crypto";
import { deriveSecret } from "@/server/crypto";
import { db } from "@/server/db";

export interface Limit {
  /** Failures allowed before each further attempt has to wait. */
  free: number;
  firstWaitMs: number;
  maxWaitMs: number;
  /** A failure older than this no longer counts. */
  forgetAfterMs: number;
}

const MINUTE = 60_000;
/** One account from one address: 5 tries, then 30 s doubling to 15 minutes (a user who forgot, or one guesser). */
export const PAIR_LIMIT: Limit = { free: 5, firstWaitMs: 30_000, maxWaitMs: 15 * MINUTE, forgetAfterMs: 60 * MINUTE };
/**
 * One address, whatever emails it tries (unknown ones too): room for an office behind one NAT, then
 * 1 min doubling to 30 minutes. Security: checked before any password hashing, so a flood from one
 * address costs no argon2 work.
 */
export const ADDRESS_LIMIT: Limit = { free: 30, firstWaitMs: MINUTE, maxWaitMs: 30 * MINUTE, forgetAfterMs: 60 * MINUTE };
/**
 * One account from everywhere: a guesser spread over many addresses. Much higher, and it does not
 * apply to addresses this account signed in from before (KNOWN_FOR_MS), so it cannot lock the
 * owner out of their usual place.
 */
export const ACCOUNT_LIMIT: Limit = { free: 50, firstWaitMs: 5 * MINUTE, maxWaitMs: 60 * MINUTE, forgetAfterMs: 24 * 60 * MINUTE };
export const KNOWN_FOR_MS = 30 * 24 * 60 * MINUTE;

/** How long attempts wait after `failures` failures in a row (by default the per-pair limit). */
export function waitAfter(failures: number, limit: Limit = PAIR_LIMIT): number {
  if (failures < limit.free) return 0;
  return Math.min(limit.maxWaitMs, limit.firstWaitMs * 2 ** (failures - limit.free));
}

export interface SignInKeys {
  address: string;
  pair: string;
  account: string;
}

const normalize = (email: string) => email.trim().toLowerCase();

/**
 * Security: the account part of a key is a keyed hash of the email, never the email itself: what is
 * typed into the email field may be no account (or a password typed in the wrong field), and the same
 * rows for unknown emails keep the answers alike, so waits do not tell which accounts exist.
 */
function accountHash(email: string): string {
  return createHmac("sha256", deriveSecret("login-throttle")).update(normalize(email)).digest("hex").slice(0, 32);
}

export function signInKeys(email: string, address: string): SignInKeys {
  const h = accountHash(email);
  return { address: `address:${address}`, pair: `pair:${h}:${address}`, account: `account:${h}` };
}

export type SignInWait = { waitMs: number; scope: "address" | "account" };

/**
 * The wait before this sign-in may be tried, or null: the address's own, then the account's from
 * this address, then the account-wide one unless this address is known for the account.
 */
export async function signInWait(keys: SignInKeys, now = Date.now()): Promise<SignInWait | null> {
  const rows = await db.loginThrottle.findMany({ where: { key: { in: [keys.address, keys.pair, keys.account] } } });
  const row = (key: string) => rows.find((r) => r.key === key);
  const left = (key: string) => Math.max(0, (row(key)?.lockedUntil?.getTime() ?? 0) - now);
  if (left(keys.address) > 0) return { waitMs: left(keys.address), scope: "address" };
  if (left(keys.pair) > 0) return { waitMs: left(keys.pair), scope: "account" };
  const knownSince = row(keys.pair)?.lastSuccessAt?.getTime();
  const isKnown = knownSince !== undefined && now - knownSince < KNOWN_FOR_MS;
  if (left(keys.account) > 0 && !isKnown) return { waitMs: left(keys.account), scope: "account" };
  return null;
}

/** Counts a failure against the address, the pair and the account; returns the address's new wait (ms, 0 if none). */
export async function recordSignInFailure(keys: SignInKeys, now = Date.now()): Promise<number> {
  await forgetStaleRows(now);
  const addressWait = await countFailure(keys.address, ADDRESS_LIMIT, now);
  await countFailure(keys.pair, PAIR_LIMIT, now);
  await countFailure(keys.account, ACCOUNT_LIMIT, now);
  return addressWait;
}

/**
 * A success clears this pair's failures and makes the address known for the account. Security: it
 * lifts no other wait: not the address's (an attacker with an account of their own could otherwise
 * reset it between guesses) and not the account-wide one (the guessers elsewhere keep waiting).
 */
export async function recordSignInSuccess(keys: SignInKeys, now = Date.now()): Promise<void> {
  const data = { failures: 0, lastFailure: null, lockedUntil: null, lastSuccessAt: new Date(now) };
  await db.loginThrottle.upsert({ where: { key: keys.pair }, create: { key: keys.pair, ...data }, update: data });
}

/** Lifts every wait of one account (the operator's `panel user unlock`): account-wide and from each address. */
export async function clearLoginFailures(email: string): Promise<void> {
  const h = accountHash(email);
  await db.loginThrottle.deleteMany({ where: { key: `account:${h}` } });
  await db.loginThrottle.updateMany({ where: { key: { startsWith: `pair:${h}:` } }, data: { failures: 0, lockedUntil: null } });
}

/** Milliseconds until `key` may try again, or 0 (for other password checks, e.g. re-entering it). */
export async function waitMsFor(key: string, now = Date.now()): Promise<number> {
  const row = await db.loginThrottle.findUnique({ where: { key } });
  return Math.max(0, (row?.lockedUntil?.getTime() ?? 0) - now);
}

/** Counts one failure of `key` under `limit`; returns the wait it now has (ms). */
export async function countFailure(key: string, limit: Limit, now = Date.now()): Promise<number> {
  const row = await db.loginThrottle.findUnique({ where: { key } });
  const isRecent = row?.lastFailure && now - row.lastFailure.getTime() < limit.forgetAfterMs;
  const failures = isRecent ? row.failures + 1 : 1;
  const wait = waitAfter(failures, limit);
  const data = { failures, lastFailure: new Date(now), lockedUntil: wait ? new Date(now + wait) : null };
  await db.loginThrottle.upsert({ where: { key }, create: { key, ...data }, update: data });
  return wait;
}

export async function clearFailures(key: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key } });
}

let lastSweep = 0;
/** Rows of sprayed emails and old addresses go away by themselves (at most one sweep every 10 minutes). */
async function forgetStaleRows(now: number): Promise<void> {
  if (now - lastSweep < 10 * MINUTE) return;
  lastSweep = now;
  const old = new Date(now - ACCOUNT_LIMIT.forgetAfterMs);
  await db.loginThrottle.deleteMany({
    where: {
      AND: [
        { OR: [{ lastFailure: null }, { lastFailure: { lt: old } }] },
        { OR: [{ lockedUntil: null }, { lockedUntil: { lt: new Date(now) } }] },
        { OR: [{ lastSuccessAt: null }, { lastSuccessAt: { lt: new Date(now - KNOWN_FOR_MS) } }] },
      ],
    },
  });
}

const checking = new Map<string, Promise<unknown>>();

/**
 * Runs one check per key at a time (in this process: the panel is one server process with an
 * embedded store). Without it, a burst of parallel guesses would all read "no wait yet" before the
 * first failure is written, and the wait would slow down nothing.
 */
export async function oneCheckAtATime<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const before = checking.get(key) ?? Promise.resolve();
  const mine = before.then(fn, fn);
  const settled = mine.catch(() => undefined);
  checking.set(key, settled);
  try {
    return await mine;
  } finally {
    if (checking.get(key) === settled) checking.delete(key);
  }
}
