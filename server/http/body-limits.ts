/**
 * Every request body limit of the panel, in one place (no imports: next.config.ts reads it too).
 * Each fits the largest real payload with room to spare; a body past its limit gets 413 before it
 * is read, or as soon as the limit is crossed, so one oversized request cannot grow the panel's memory.
 */
export const BODY_LIMITS = {
  /** tRPC calls: the largest inputs are an app env file (64 KB of text, which JSON escaping can triple) and a host's SSH key (16 KB). */
  trpc: 1024 * 1024,
  /** The REST API (/api/v1): deploy and rollback bodies are a few hundred bytes. */
  rest: 64 * 1024,
  /** Auth.js's own endpoints (credentials callback, sign-out): a sign-in ticket, a CSRF token and a callback URL. */
  auth: 16 * 1024,
  /** Server actions (the sign-in and setup forms) and any other POST to a page: an email and a password or two. */
  page: 64 * 1024,
} as const;
