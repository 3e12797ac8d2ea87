import { AppError } from "@/server/errors";
import { withCaddyAdmin, type CaddyAdmin } from "./admin-client";
import { assertValidDials } from "./dial";
import { dialsOf, locateByIdOrOnly, type UpstreamLocator, type UpstreamsLocation } from "./locate";
import type { CaddyOptions, UpstreamHealth } from "./types";

const DEFAULT_UPSTREAM_ID = "pixelfox_upstream";

export interface SetUpstreamsOptions {
  /**
   * Compare-and-set: only write if Caddy currently points at exactly these dials (e.g. the old
   * container's port during a deploy); otherwise throw CONFLICT and write nothing.
   */
  expected?: readonly string[];
}

/** What a switch found and left: the upstreams before and after, and where they live. */
export interface UpstreamsSwitch {
  upstreams: string[];
  previous: string[] | null;
  location: UpstreamsLocation;
}

/** The dial addresses Caddy currently proxies PixelFox to, e.g. ["127.0.0.1:4000"]. */
export async function getUpstreams(options: CaddyOptions): Promise<string[]> {
  const locate = locateByIdOrOnly(options.upstreamId ?? DEFAULT_UPSTREAM_ID);
  return withCaddyAdmin(options, async (admin) => (await locate(admin)).current ?? []);
}

/**
 * Point PixelFox's reverse_proxy (by @id, else the only one) at `dials`; see switchUpstreamsAt.
 * Returns the upstreams now in effect.
 */
export async function setUpstreams(options: CaddyOptions, dials: readonly string[], set: SetUpstreamsOptions = {}): Promise<string[]> {
  // Security: every address is validated before anything reaches Caddy's config.
  assertValidDials(dials);
  const locate = locateByIdOrOnly(options.upstreamId ?? DEFAULT_UPSTREAM_ID);
  return withCaddyAdmin(options, async (admin) => (await switchUpstreamsAt(admin, locate, dials, set)).upstreams);
}

/**
 * Point the handler `locate` finds at `dials` (`PATCH …/upstreams`; Caddy applies it gracefully,
 * in-flight requests finish on the old upstreams), then read the value back and throw
 * REMOTE_FAILED unless it is exactly what was set. The write carries `If-Match` with the ETag of
 * the value just read, so a concurrent change (another deploy) makes it fail with CONFLICT
 * instead of being silently overwritten.
 */
export async function switchUpstreamsAt(
  admin: CaddyAdmin,
  locate: UpstreamLocator,
  dials: readonly string[],
  set: SetUpstreamsOptions = {},
): Promise<UpstreamsSwitch> {
  // Security: every address is validated before anything reaches Caddy's config.
  assertValidDials(dials);
  if (set.expected) assertValidDials(set.expected);
  const wanted = [...dials];
  const location = await locate(admin);
  const action = `point Caddy at ${wanted.join(", ")}`;
  const details = { host: admin.host, action, data: { admin: admin.where, wanted, actual: location.current } };
  if (set.expected && !sameDials(location.current ?? [], set.expected)) {
    throw new AppError(
      "CONFLICT",
      `Caddy on ${admin.where} points at ${describeDials(location.current)}, not at ${set.expected.join(", ")} as expected: another change (a deploy or an operator) got there first. Nothing was written; check the proxy, then retry.`,
      details,
    );
  }
  // PATCH replaces an existing key and fails on a missing one; PUT creates a missing one.
  const method = location.current === null ? "PUT" : "PATCH";
  const ifMatch: Record<string, string> = location.etag ? { "If-Match": location.etag } : {};
  await admin.json(
    method,
    location.path,
    action,
    wanted.map((dial) => ({ dial })),
    ifMatch,
  );
  const now = dialsOf((await admin.json<unknown>("GET", location.path, "read back Caddy's upstreams")).value);
  if (!sameDials(now, wanted)) {
    throw new AppError(
      "REMOTE_FAILED",
      `Caddy on ${admin.where} accepted the new upstreams (${wanted.join(", ")}) but now reports ${describeDials(now)}: another change may have raced this one. Check the proxy before retrying.`,
      { ...details, data: { ...details.data, actual: now } },
    );
  }
  return { upstreams: now, previous: location.current, location };
}

/** Caddy's live view of every reverse_proxy upstream: requests in flight and recent failures. */
export async function getUpstreamHealth(options: CaddyOptions): Promise<UpstreamHealth[]> {
  return withCaddyAdmin(options, async (admin) => {
    const { value } = await admin.json<unknown>("GET", "/reverse_proxy/upstreams", "read the upstreams' health");
    if (!Array.isArray(value)) return [];
    return value.map((u: { address?: unknown; num_requests?: unknown; fails?: unknown } | null) => ({
      address: String(u?.address ?? ""),
      numRequests: typeof u?.num_requests === "number" ? u.num_requests : 0,
      fails: typeof u?.fails === "number" ? u.fails : 0,
    }));
  });
}

export function sameDials(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function describeDials(dials: readonly string[] | null): string {
  return dials?.length ? dials.join(", ") : "no upstreams";
}
