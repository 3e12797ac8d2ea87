import { AppError, isAppError } from "@/server/errors";
import { withCaddyAdmin, type CaddyAdmin } from "./admin-client";
import { configPath, pickUpstreamHandler, readConfig } from "./config";
import { assertValidDials, assertValidUpstreamId } from "./dial";
import type { CaddyOptions, UpstreamHealth } from "./types";

const DEFAULT_UPSTREAM_ID = "pixelfox_upstream";

/** Where a handler's upstreams live: the @id route, or a /config/ path found by walking the config. */
interface UpstreamsLocation {
  path: string;
  exists: boolean;
}

/** The dial addresses Caddy currently proxies PixelFox to, e.g. ["127.0.0.1:4000"]. */
export async function getUpstreams(options: CaddyOptions): Promise<string[]> {
  const upstreamId = options.upstreamId ?? DEFAULT_UPSTREAM_ID;
  assertValidUpstreamId(upstreamId);
  return withCaddyAdmin(options, async (admin) => {
    const byId = await readUpstreamsById(admin, upstreamId);
    if (byId !== undefined) return byId ?? [];
    const handler = pickUpstreamHandler(await readConfig(admin), upstreamId, admin.where);
    return handler.dials ?? [];
  });
}

/**
 * Point PixelFox's reverse_proxy at `dials` (`PATCH …/upstreams`; Caddy applies it gracefully,
 * in-flight requests finish on the old upstreams), then read the value back and throw
 * REMOTE_FAILED unless it is exactly what was set. Returns the upstreams now in effect.
 */
export async function setUpstreams(options: CaddyOptions, dials: readonly string[]): Promise<string[]> {
  // Security: every address is validated before anything reaches Caddy's config.
  assertValidDials(dials);
  const upstreamId = options.upstreamId ?? DEFAULT_UPSTREAM_ID;
  assertValidUpstreamId(upstreamId);
  const wanted = [...dials];
  return withCaddyAdmin(options, async (admin) => {
    const location = await locateUpstreams(admin, upstreamId);
    const action = `point Caddy at ${wanted.join(", ")}`;
    await admin.json(location.exists ? "PATCH" : "PUT", location.path, action, wanted.map((dial) => ({ dial })));
    const now = dialsOf(await admin.json<unknown>("GET", location.path, "read back Caddy's upstreams"));
    if (now.length !== wanted.length || now.some((d, i) => d !== wanted[i])) {
      throw new AppError(
        "REMOTE_FAILED",
        `Caddy on ${admin.where} accepted the new upstreams (${wanted.join(", ")}) but now reports ${now.length ? now.join(", ") : "none"}: another change may have raced this one. Check the proxy before retrying.`,
        { host: options.target.name, action, data: { admin: admin.where, wanted, actual: now } },
      );
    }
    return now;
  });
}

/** Caddy's live view of every reverse_proxy upstream: requests in flight and recent failures. */
export async function getUpstreamHealth(options: CaddyOptions): Promise<UpstreamHealth[]> {
  return withCaddyAdmin(options, async (admin) => {
    const list = await admin.json<unknown>("GET", "/reverse_proxy/upstreams", "read the upstreams' health");
    if (!Array.isArray(list)) return [];
    return list.map((u: { address?: unknown; num_requests?: unknown; fails?: unknown } | null) => ({
      address: String(u?.address ?? ""),
      numRequests: typeof u?.num_requests === "number" ? u.num_requests : 0,
      fails: typeof u?.fails === "number" ? u.fails : 0,
    }));
  });
}

/**
 * `GET /id/<id>/upstreams`: the dials (null when the handler has no `upstreams` key: Caddy answers
 * `null` for a missing key), or undefined when Caddy does not know the id, so callers walk the config.
 */
async function readUpstreamsById(admin: CaddyAdmin, upstreamId: string): Promise<string[] | null | undefined> {
  try {
    const value = await admin.json<unknown>("GET", `/id/${upstreamId}/upstreams`, `read the upstreams of @id ${upstreamId}`);
    return value === null ? null : dialsOf(value);
  } catch (err) {
    if (isAppError(err) && err.code === "NOT_FOUND") return undefined;
    throw err;
  }
}

async function locateUpstreams(admin: CaddyAdmin, upstreamId: string): Promise<UpstreamsLocation> {
  const byId = await readUpstreamsById(admin, upstreamId);
  // PATCH replaces an existing key and fails on a missing one; PUT creates a missing one.
  if (byId !== undefined) return { path: `/id/${upstreamId}/upstreams`, exists: byId !== null };
  const handler = pickUpstreamHandler(await readConfig(admin), upstreamId, admin.where);
  return { path: configPath(handler.path, "upstreams"), exists: handler.dials !== undefined };
}

function dialsOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((u: { dial?: unknown } | null) => String(u?.dial ?? ""));
}
