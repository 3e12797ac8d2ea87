import { isAppError } from "@/server/errors";
import type { CaddyAdmin } from "./admin-client";
import { configPath, pickHandlerByDials, pickUpstreamHandler, readConfig, type ReverseProxyHandler } from "./config";
import { assertValidUpstreamId } from "./dial";

/** Where PixelFox's upstreams live in a running Caddy, and what they are now. */
export interface UpstreamsLocation {
  /** Admin path of the `upstreams` value: `/id/<id>/upstreams` or `/config/…/upstreams`. */
  path: string;
  /** null when the handler has no `upstreams` key. */
  current: string[] | null;
  /** ETag of that value, for `If-Match`. */
  etag?: string;
  /** How it was found, for messages: `@id "pixelfox_upstream"` or `/config/apps/…/handle/0 (by its upstream 127.0.0.1:4000)`. */
  how: string;
}

/** Finds PixelFox's reverse_proxy handler through an open admin client. */
export type UpstreamLocator = (admin: CaddyAdmin) => Promise<UpstreamsLocation>;

/** By `@id`; without one, the only reverse_proxy of the config (the fleet's layout). */
export function locateByIdOrOnly(upstreamId: string): UpstreamLocator {
  assertValidUpstreamId(upstreamId);
  return (admin) =>
    locateById(
      admin,
      upstreamId,
      async () => pickUpstreamHandler(await readConfig(admin), upstreamId, admin.where),
      "the only reverse_proxy",
    );
}

/** By `@id`; without one, the reverse_proxy whose upstreams include one of `dials` (a Caddyfile's layout). */
export function locateByIdOrDials(upstreamId: string, dials: readonly string[]): UpstreamLocator {
  assertValidUpstreamId(upstreamId);
  return (admin) =>
    locateById(
      admin,
      upstreamId,
      async () => pickHandlerByDials(await readConfig(admin), dials, admin.where),
      `by its upstream ${dials.join(" or ")}`,
    );
}

/** `GET /id/<id>/upstreams` (Caddy answers `null` for a missing key); an unknown id falls back to `pick`. */
async function locateById(
  admin: CaddyAdmin,
  upstreamId: string,
  pick: () => Promise<ReverseProxyHandler>,
  pickedBy: string,
): Promise<UpstreamsLocation> {
  const path = `/id/${upstreamId}/upstreams`;
  try {
    const { value, etag } = await admin.json<unknown>("GET", path, `read the upstreams of @id ${upstreamId}`);
    return { path, current: value === null ? null : dialsOf(value), etag, how: `@id "${upstreamId}"` };
  } catch (err) {
    if (!(isAppError(err) && err.code === "NOT_FOUND")) throw err;
  }
  const handler = await pick();
  const handlerPath = configPath(handler.path, "upstreams");
  // Re-read at the exact path for an ETag that covers just this value.
  const { value, etag } = await admin.json<unknown>("GET", handlerPath, "read the reverse_proxy's upstreams");
  return {
    path: handlerPath,
    current: value === null ? null : dialsOf(value),
    etag,
    how: `/config/${handler.path.join("/")} (${pickedBy})`,
  };
}

export function dialsOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((u: { dial?: unknown } | null) => String(u?.dial ?? ""));
}
