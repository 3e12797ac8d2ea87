import { randomUUID } from "node:crypto";
import type { HttpAnswer, HttpRequest, SmokeHttp } from "../http";
import { makeSmokePng } from "../png";

/** Knobs that break the fake app the way real ones break. */
export interface FakeAppFaults {
  /** Login answers 503 (the session store is down). */
  cacheDown?: boolean;
  /** The app version has no accounts: /login, /register, /upload answer 404. */
  noAccounts?: boolean;
  /** Thumbnails are served with this content type (default image/png). */
  thumbnailType?: string;
  /** Thumbnails are served with these bytes (default a PNG). */
  thumbnailBytes?: Buffer;
  /** The upload answer's thumbnail URLs start with this base (default: the public URL). */
  poolBaseUrl?: string;
  /** Deleting an image answers this status. */
  deleteStatus?: number;
  /** The app answers like a browser-only app: redirects even to JSON clients. */
  browserOnly?: boolean;
  /** With browserOnly: the image page is HTML even for JSON clients. */
  htmlImagePage?: boolean;
  /** Requests to these paths get no answer (the error a refused connection gives). */
  refuse?: string[];
  /** Extra body text in every error answer (to prove bodies are never quoted). */
  errorBody?: string;
  /** The real app's fiber CSRF check: pages set cookie `csrf_`, form posts must send it back as `_csrf` (else 403). */
  csrf?: boolean;
  /** A careless app: the X-App-Version header carries this, the thumbnail URL's path the session id. */
  leaky?: { versionHeader: string };
}

export interface FakeApp {
  http: SmokeHttp;
  users: Map<string, string>;
  images: Map<string, string>;
  requests: HttpRequest[];
  faults: FakeAppFaults;
}

const PATH_ONLY = (url: string) => new URL(url).pathname;

/** An in-memory PixelFox (the routes the smoke steps use, shaped like the stand-in's answers). */
export function createFakeApp(publicUrl: string, faults: FakeAppFaults = {}): FakeApp {
  const users = new Map<string, string>();
  const images = new Map<string, string>();
  const sessions = new Map<string, string>();
  const thumbs = new Map<string, string>();
  const requests: HttpRequest[] = [];
  const app: FakeApp = { users, images, requests, faults, http: async (req) => handle(req) };

  const answer = (status: number, headers: Record<string, string | string[]>, body: Buffer | string = ""): HttpAnswer => ({
    status,
    headers: { "x-app-version": app.faults.leaky?.versionHeader ?? "v9.9.9-fake", ...headers },
    body: Buffer.isBuffer(body) ? body : Buffer.from(body),
    truncated: false,
    ms: 1,
  });
  const json = (status: number, value: unknown, extra: Record<string, string | string[]> = {}) =>
    answer(status, { "content-type": "application/json", ...extra }, JSON.stringify(value));
  const err = (status: number, code: string) => json(status, { error: code, message: `${code} ${app.faults.errorBody ?? ""}` });
  const who = (req: HttpRequest) => sessions.get(/session_id=([^;]+)/.exec(req.headers?.cookie ?? "")?.[1] ?? "");
  const body = (req: HttpRequest): Record<string, string> => {
    const type = req.headers?.["content-type"] ?? "";
    const raw = req.body?.toString("latin1") ?? "";
    if (type.startsWith("application/json")) return JSON.parse(raw || "{}") as Record<string, string>;
    if (type.startsWith("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(raw));
    return Object.fromEntries([...raw.matchAll(/name="([^"]+)"\r\n\r\n([^\r]*)\r\n/g)].map((m) => [m[1]!, m[2]!]));
  };
  const csrfOk = (req: HttpRequest) => {
    const cookie = /(?:^|; )csrf_=([^;]+)/.exec(req.headers?.cookie ?? "")?.[1];
    return !!cookie && body(req)._csrf === cookie;
  };

  function handle(req: HttpRequest): HttpAnswer {
    requests.push(req);
    const path = PATH_ONLY(req.url);
    const f = app.faults;
    if (f.refuse?.includes(path)) throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    if (f.noAccounts && /^\/(login|register|upload|user)/.test(path)) return json(404, { error: "not found" });
    if (req.method === "GET" && path === "/api/v1/ping") return json(200, { ping: "pong" });
    if (req.method === "GET" && path === "/") return answer(200, { "content-type": "text/html; charset=utf-8" }, "<p>PixelFox</p>");
    if (req.method === "HEAD" && path === "/api/internal/upload") return answer(204, {});
    if (req.method === "GET" && (path === "/login" || path === "/register")) {
      return answer(
        200,
        { "content-type": "text/html", ...(f.csrf ? { "set-cookie": [`csrf_=${randomUUID()}; Path=/; SameSite=Lax`] } : {}) },
        "<form>",
      );
    }
    if (f.csrf && req.method === "POST" && !path.startsWith("/api/") && !csrfOk(req))
      return answer(403, { "content-type": "text/plain" }, "Forbidden");
    if (req.method === "POST" && path === "/login") {
      const b = body(req);
      if (users.get(b.email!) !== b.password)
        return f.browserOnly ? answer(302, { location: "/login?error=nope" }) : err(401, "unauthorized");
      if (f.cacheDown) return err(503, "service_unavailable");
      const sid = randomUUID();
      sessions.set(sid, b.email!);
      const cookie = `session_id=${sid}; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax`;
      return f.browserOnly
        ? answer(302, { location: "/", "set-cookie": [cookie] })
        : json(200, { status: "logged_in" }, { "set-cookie": [cookie] });
    }
    if (req.method === "POST" && path === "/register") {
      const b = body(req);
      if (users.has(b.email!)) return err(409, "conflict");
      users.set(b.email!, b.password!);
      return f.browserOnly ? answer(302, { location: "/login?message=ok" }) : json(201, { status: "registered" });
    }
    if (req.method === "POST" && path === "/upload") {
      const user = who(req);
      if (!user) return err(401, "unauthorized");
      if (!req.body?.includes(makeSmokePng().subarray(0, 8))) return err(415, "unsupported_media_type");
      const uuid = randomUUID();
      images.set(uuid, user);
      const base = (f.poolBaseUrl ?? publicUrl).replace(/\/$/, "");
      const dir = f.leaky ? /session_id=([^;]+)/.exec(req.headers?.cookie ?? "")![1] : "2026/01/31";
      thumbs.set(uuid, `${base}/uploads/variants/${dir}/${uuid}_small.png`);
      if (f.browserOnly) return answer(302, { location: `/image/${uuid}` });
      return json(200, { image_uuid: uuid, thumbnail: { url: thumbs.get(uuid) } });
    }
    const page = /^\/image\/([0-9a-f-]{36})$/.exec(path);
    if (req.method === "GET" && page && images.has(page[1]!)) {
      if (f.htmlImagePage || !/application\/json/.test(req.headers?.accept ?? ""))
        return answer(200, { "content-type": "text/html" }, "<img>");
      return json(200, { image_uuid: page[1], thumbnail: { url: thumbs.get(page[1]!) } });
    }
    if (req.method === "GET" && path.startsWith("/uploads/variants/")) {
      const uuid = /([0-9a-f-]{36})_small/.exec(path)?.[1] ?? "";
      if (!images.has(uuid)) return err(404, "not_found");
      const bytes = f.thumbnailBytes ?? makeSmokePng(20, 20);
      return answer(200, { "content-type": f.thumbnailType ?? "image/png", "content-length": String(bytes.length) }, bytes);
    }
    const del = /^\/user\/images\/delete\/(.+)$/.exec(path);
    if (req.method === "POST" && del) {
      if (f.deleteStatus) return err(f.deleteStatus, "internal_server_error");
      if (images.get(del[1]!) !== who(req)) return err(404, "not_found");
      images.delete(del[1]!);
      return json(200, { status: "deleted" });
    }
    if (req.method === "POST" && path === "/logout")
      return json(200, { status: "logged_out" }, { "set-cookie": ["session_id=; Path=/; Max-Age=0"] });
    return json(404, { error: "not found" });
  }
  return app;
}
