/** A bearer token and when to stop using it. */
interface CachedToken {
  token: string;
  expiresAt: number;
}

/** Tokens are dropped this long before the registry says they expire, so a request never races expiry. */
const EXPIRY_MARGIN_MS = 10_000;
/** The distribution spec's default lifetime when the token endpoint omits `expires_in`. */
const DEFAULT_LIFETIME_S = 60;
const MAX_ENTRIES = 500;

/**
 * Bearer tokens per (realm, service, scope, user), kept until shortly before they expire, plus the
 * last challenge seen per repository so later calls can send the token without a 401 round trip.
 */
export class TokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly challenges = new Map<string, BearerChallenge>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A still-valid token for the key, if any. */
  getToken(key: string): string | undefined {
    const entry = this.tokens.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.tokens.delete(key);
      return undefined;
    }
    return entry.token;
  }

  /** Keep a token for `expiresInS` seconds (spec default 60) minus a safety margin. */
  setToken(key: string, token: string, expiresInS?: number): void {
    const lifetimeMs = (expiresInS && expiresInS > 0 ? expiresInS : DEFAULT_LIFETIME_S) * 1000;
    if (this.tokens.size >= MAX_ENTRIES) this.tokens.clear();
    this.tokens.set(key, { token, expiresAt: this.now() + Math.max(lifetimeMs - EXPIRY_MARGIN_MS, 1000) });
  }

  deleteToken(key: string): void {
    this.tokens.delete(key);
  }

  getChallenge(repoKey: string): BearerChallenge | undefined {
    return this.challenges.get(repoKey);
  }

  setChallenge(repoKey: string, challenge: BearerChallenge): void {
    if (this.challenges.size >= MAX_ENTRIES) this.challenges.clear();
    this.challenges.set(repoKey, challenge);
  }
}

/** The parts of a Bearer challenge needed to ask the token endpoint. */
export interface BearerChallenge {
  realm: string;
  service?: string;
  scope: string;
}

/** Cache key of a token: the same scope asked by another user is another token. */
export function tokenCacheKey(challenge: BearerChallenge, username: string | undefined): string {
  return JSON.stringify([challenge.realm, challenge.service ?? "", challenge.scope, username ?? ""]);
}

/** Shared by every call in this process. */
export const defaultTokenCache = new TokenCache();
