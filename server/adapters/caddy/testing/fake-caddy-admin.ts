/**
 * Test helper: a tiny stand-in for Caddy's admin API on 127.0.0.1 (node:http). Holds a JSON config
 * and serves GET/PATCH/PUT on /config/… and /id/<@id>/…, plus GET /reverse_proxy/upstreams, with
 * Caddy's answers for unknown ids, missing keys and a Host header other than 127.0.0.1:2019, and
 * its optimistic concurrency: an ETag trailer on GET, `If-Match` checked on writes (412).
 */
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeCaddyOptions {
  config: unknown;
  /** Accept a PATCH/PUT but do not apply it (read-back must catch this). */
  isIgnoringWrites?: boolean;
  /** Answer writes with this Caddy error (HTTP 400). */
  writeError?: string;
  delayMs?: number;
  health?: unknown;
  /** Runs just before a write is handled: simulate another client changing the config first. */
  beforeWrite?: (config: unknown) => void;
}

export interface FakeCaddyAdmin {
  url: string;
  config: unknown;
  requests: { method: string; path: string; host?: string; origin?: string; ifMatch?: string; body?: string }[];
  close(): Promise<void>;
}

type Json = Record<string, unknown> | unknown[];

function findById(node: unknown, id: string): Json | undefined {
  if (node === null || typeof node !== "object") return undefined;
  if (!Array.isArray(node) && (node as Record<string, unknown>)["@id"] === id) return node as Json;
  for (const child of Object.values(node)) {
    const found = findById(child, id);
    if (found) return found;
  }
  return undefined;
}

/** Resolve `segments` below `root`: the parent container and the last key (for writes). */
function traverse(root: unknown, segments: string[]): { parent: Json; key: string } | { error: string } {
  let node = root;
  for (const segment of segments.slice(0, -1)) {
    const next = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[segment] : undefined;
    if (next === undefined) return { error: `invalid traversal path at: ${segment}` };
    node = next;
  }
  if (node === null || typeof node !== "object") return { error: "invalid traversal path" };
  return { parent: node as Json, key: segments.at(-1) ?? "" };
}

/** Start the fake admin API. */
export async function startFakeCaddyAdmin(opts: FakeCaddyOptions): Promise<FakeCaddyAdmin> {
  const state: FakeCaddyAdmin = { url: "", config: structuredClone(opts.config), requests: [], close: async () => undefined };

  /** Resolve an admin path to the container + key it designates. */
  const resolvePath = (path: string): { parent: Json; key: string } | { status: number; error: string } => {
    let root: unknown;
    let segments: string[];
    if (path.startsWith("/config")) {
      root = { root: state.config };
      segments = ["root", ...path.slice("/config".length).split("/").filter(Boolean)];
    } else if (path.startsWith("/id/")) {
      const [id = "", ...rest] = path.slice(4).split("/").filter(Boolean);
      const obj = findById(state.config, id);
      if (!obj) return { status: 404, error: `unknown object ID '${id}'` };
      root = { root: obj };
      segments = ["root", ...rest];
    } else {
      return { status: 404, error: "not found" };
    }
    const at = traverse(root, segments);
    return "error" in at ? { status: 400, error: at.error } : at;
  };
  const etagOf = (path: string, value: unknown) =>
    `"${path} ${createHash("sha256")
      .update(JSON.stringify(value ?? null))
      .digest("hex")
      .slice(0, 8)}"`;

  const handle = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => {
    const send = (status: number, value: unknown) =>
      res.writeHead(status, { "Content-Type": "application/json" }).end(`${JSON.stringify(value)}\n`);
    if (req.headers.host !== "127.0.0.1:2019") return send(403, { error: `host not allowed: ${req.headers.host}` });
    const path = decodeURIComponent((req.url ?? "/").split("?")[0] ?? "/");
    if (path === "/reverse_proxy/upstreams") return send(200, opts.health ?? []);
    if (req.method !== "GET") opts.beforeWrite?.(state.config);

    const at = resolvePath(path);
    if ("error" in at) return send(at.status, { error: at.error });
    const current = (at.parent as Record<string, unknown>)[at.key];
    if (req.method === "GET") {
      res.writeHead(200, { "Content-Type": "application/json", Trailer: "ETag" });
      res.write(`${JSON.stringify(current ?? null)}\n`);
      res.addTrailers({ ETag: etagOf(path, current) });
      return res.end();
    }
    const ifMatch = req.headers["if-match"];
    if (typeof ifMatch === "string") {
      const [matchPath = ""] = ifMatch.replace(/^"|"$/g, "").split(" ");
      const target = resolvePath(matchPath);
      const value = "error" in target ? undefined : (target.parent as Record<string, unknown>)[target.key];
      if (etagOf(matchPath, value) !== ifMatch) return send(412, { error: "If-Match header did not match current config hash" });
    }
    if (opts.writeError) return send(400, { error: opts.writeError });
    if (req.method === "PATCH" && current === undefined) return send(400, { error: `[${path}] key does not exist: ${at.key}` });
    if (req.method === "PUT" && current !== undefined) return send(409, { error: `[${path}] key already exists: ${at.key}` });
    if (!opts.isIgnoringWrites) (at.parent as Record<string, unknown>)[at.key] = JSON.parse(body);
    return res.writeHead(200).end();
  };

  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      state.requests.push({
        method: req.method ?? "",
        path: req.url ?? "",
        host: req.headers.host,
        origin: req.headers.origin,
        ifMatch: req.headers["if-match"],
        body: body || undefined,
      });
      if (opts.delayMs) setTimeout(() => handle(req, res, body), opts.delayMs);
      else handle(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  };
  return state;
}

/** The fleet's Caddy config shape: one server, one route, one reverse_proxy marked "@id". */
export function fleetLikeConfig(options: { id?: string | null; dials?: string[] | null } = {}): unknown {
  const handler: Record<string, unknown> = { handler: "reverse_proxy" };
  if (options.id !== null) handler["@id"] = options.id ?? "pixelfox_upstream";
  if (options.dials !== null) handler.upstreams = (options.dials ?? ["127.0.0.1:4000"]).map((dial) => ({ dial }));
  return {
    admin: { listen: "127.0.0.1:2019" },
    apps: { http: { servers: { pixelfox: { listen: [":80"], routes: [{ "@id": "pixelfox_route", handle: [handler] }] } } } },
  };
}
