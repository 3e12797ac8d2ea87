import { AppError } from "@/server/errors";
import { withCaddyAdmin, type CaddyAdmin } from "./admin-client";
import type { CaddyOptions } from "./types";

/** A reverse_proxy handler found in Caddy's JSON config, with the config path that reaches it. */
export interface ReverseProxyHandler {
  /** Path segments under /config/, e.g. ["apps","http","servers","pixelfox","routes","0","handle","0"]. */
  path: string[];
  id?: string;
  /** Dial addresses; undefined when the handler has no `upstreams` key (dynamic upstreams). */
  dials?: string[];
}

/** Caddy's whole running config (`GET /config/`); null when Caddy runs without one. */
export async function getCaddyConfig(options: CaddyOptions): Promise<unknown> {
  return withCaddyAdmin(options, (admin) => readConfig(admin));
}

/** Read the config with an open admin client. */
export async function readConfig(admin: CaddyAdmin): Promise<unknown> {
  return (await admin.json<unknown>("GET", "/config/", "read Caddy's config")).value;
}

/** Every `"handler": "reverse_proxy"` object in a Caddy JSON config, however deeply nested (subroutes). */
export function findReverseProxyHandlers(config: unknown): ReverseProxyHandler[] {
  const found: ReverseProxyHandler[] = [];
  const walk = (node: unknown, path: string[]) => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => walk(child, [...path, String(i)]));
      return;
    }
    if (node === null || typeof node !== "object") return;
    const obj = node as Record<string, unknown>;
    if (obj.handler === "reverse_proxy") {
      const upstreams = obj.upstreams;
      found.push({
        path,
        id: typeof obj["@id"] === "string" ? obj["@id"] : undefined,
        dials: Array.isArray(upstreams) ? upstreams.map((u) => String((u as { dial?: unknown } | null)?.dial ?? "")) : undefined,
      });
    }
    for (const [key, child] of Object.entries(obj)) walk(child, [...path, key]);
  };
  walk(config, []);
  return found;
}

/**
 * The handler to manage when the `@id` is missing: the one carrying that id, else the only
 * reverse_proxy in the config. Throws when there is none, or several and none is marked.
 */
export function pickUpstreamHandler(config: unknown, upstreamId: string, where: string): ReverseProxyHandler {
  const handlers = findReverseProxyHandlers(config);
  const marked = handlers.find((h) => h.id === upstreamId);
  if (marked) return marked;
  const fix = `add "@id": "${upstreamId}" to the reverse_proxy handler that serves PixelFox in the Caddy config`;
  if (handlers.length === 1 && handlers[0]) return handlers[0];
  if (handlers.length === 0) {
    throw new AppError(
      "NOT_FOUND",
      `Caddy on ${where} has no handler with @id "${upstreamId}" and no reverse_proxy handler at all: ${fix}.`,
      { data: { admin: where } },
    );
  }
  throw new AppError(
    "PRECONDITION_FAILED",
    `Caddy on ${where} has no handler with @id "${upstreamId}" and ${handlers.length} reverse_proxy handlers (${handlers.map((h) => `/config/${h.path.join("/")}`).join(", ")}), so which one serves PixelFox is ambiguous: ${fix}.`,
    { data: { admin: where, handlers: handlers.map((h) => h.path.join("/")) } },
  );
}

/** `/config/<path>` for a handler path, each segment escaped. */
export function configPath(path: readonly string[], suffix?: string): string {
  return `/config/${[...path, ...(suffix ? [suffix] : [])].map(encodeURIComponent).join("/")}`;
}

/**
 * The handler to manage when no handler carries the `@id` (a Caddyfile cannot set one): the one
 * reverse_proxy whose upstreams include one of `dials` (where the panel knows PixelFox runs, e.g.
 * 127.0.0.1:4000). None or several is an error that lists every handler with its dials and the fix.
 */
export function pickHandlerByDials(config: unknown, dials: readonly string[], where: string): ReverseProxyHandler {
  const handlers = findReverseProxyHandlers(config);
  const matching = handlers.filter((h) => h.dials?.some((d) => dials.includes(d)));
  if (matching.length === 1 && matching[0]) return matching[0];
  const list = (hs: ReverseProxyHandler[]) =>
    hs.map((h) => `/config/${h.path.join("/")} → ${h.dials?.length ? h.dials.join(", ") : "no static upstreams"}`).join("; ");
  const data = { admin: where, dials: [...dials], handlers: handlers.map((h) => ({ path: h.path.join("/"), dials: h.dials ?? null })) };
  if (matching.length === 0) {
    throw new AppError(
      "NOT_FOUND",
      `Caddy on ${where} has no reverse_proxy handler that sends traffic to ${dials.join(" or ")}${handlers.length ? ` (its reverse_proxy handlers: ${list(handlers)})` : " (it has no reverse_proxy handler at all)"}: point the PixelFox site's reverse_proxy at the app's address, or tell the panel where the app runs now.`,
      { data },
    );
  }
  throw new AppError(
    "PRECONDITION_FAILED",
    `Caddy on ${where} has ${matching.length} reverse_proxy handlers that send traffic to ${dials.join(" or ")} (${list(matching)}), so which one serves PixelFox is ambiguous: make only the PixelFox site's reverse_proxy point at the app (give other sites their own upstream), or load a JSON config where that handler has "@id": "pixelfox_upstream".`,
    { data },
  );
}
