import { describe, expect, it } from "vitest";
import {
  BODY_LIMITS,
  describeCrossSiteRequest,
  guardRequest,
  isJsonContentType,
  isSameOrigin,
  readBodyWithLimit,
  RequestRefusedError,
  requireJsonContentType,
} from "./request-guard";

const PANEL = "http://127.0.0.1:3100";
const COOKIE = { cookie: "authjs.session-token=abc" };

function post(headers: Record<string, string>) {
  return { method: "POST", headers: new Headers(headers) };
}

describe("describeCrossSiteRequest", () => {
  it("lets the panel's own pages through: Sec-Fetch-Site same-origin, even without Origin", () => {
    expect(describeCrossSiteRequest(post({ ...COOKIE, "sec-fetch-site": "same-origin" }), PANEL)).toBeNull();
    expect(describeCrossSiteRequest(post({ ...COOKIE, origin: PANEL }), PANEL)).toBeNull();
    expect(describeCrossSiteRequest(post({ ...COOKIE, origin: "HTTP://127.0.0.1:3100" }), PANEL)).toBeNull();
  });

  it("refuses a page on another port of the same host", () => {
    const reason = describeCrossSiteRequest(post({ ...COOKIE, origin: "http://127.0.0.1:4000", "sec-fetch-site": "same-site" }), PANEL);
    expect(reason).toContain('Sec-Fetch-Site is "same-site"');
    // An older browser that sends only Origin.
    expect(describeCrossSiteRequest(post({ ...COOKIE, origin: "http://127.0.0.1:4000" }), PANEL)).toBe(
      `Origin "http://127.0.0.1:4000" is not the panel's own ${PANEL}`,
    );
  });

  it("refuses a sibling subdomain and the same host over http when the panel is https", () => {
    const panel = "https://ops.example.com";
    expect(describeCrossSiteRequest(post({ ...COOKIE, origin: "https://blog.example.com" }), panel)).toContain("blog.example.com");
    expect(describeCrossSiteRequest(post({ ...COOKIE, origin: "http://ops.example.com" }), panel)).toContain("http://ops.example.com");
    expect(describeCrossSiteRequest(post({ ...COOKIE, "sec-fetch-site": "cross-site", origin: panel }), panel)).toContain("cross-site");
  });

  it('refuses Origin "null" (a sandboxed frame, a data: page)', () => {
    expect(describeCrossSiteRequest(post({ ...COOKIE, origin: "null" }), PANEL)).toContain('Origin is "null"');
  });

  it("lets an API token without cookies through from anywhere, but not a token sent with the admin's cookies", () => {
    const token = { authorization: "Bearer pxf_abc", origin: "http://evil.test", "sec-fetch-site": "cross-site" };
    expect(describeCrossSiteRequest(post(token), PANEL)).toBeNull();
    expect(describeCrossSiteRequest(post({ ...token, ...COOKIE }), PANEL)).toContain("cross-site");
  });

  it("refuses another site's GET too (an audited download, a job log), but not a typed URL or a request with no browser headers", () => {
    const get = (h: Record<string, string>) => ({ method: "GET", headers: new Headers({ ...COOKIE, ...h }) });
    expect(describeCrossSiteRequest(get({ "sec-fetch-site": "same-site" }), PANEL)).toContain("same-site");
    expect(describeCrossSiteRequest(get({ "sec-fetch-site": "none" }), PANEL)).toBeNull();
    expect(describeCrossSiteRequest(get({ origin: "http://evil.test" }), PANEL)).toBeNull();
    expect(describeCrossSiteRequest(get({}), PANEL)).toBeNull();
  });

  it("lets a client that sends neither Origin nor Sec-Fetch-Site through (curl, a test's request context)", () => {
    expect(describeCrossSiteRequest(post(COOKIE), PANEL)).toBeNull();
  });

  it("refuses when it cannot tell its own origin and the request names another", () => {
    expect(describeCrossSiteRequest(post({ ...COOKIE, origin: PANEL }), null)).toContain("set PANEL_URL");
  });

  it("keeps an attacker's long Origin out of the message", () => {
    const reason = describeCrossSiteRequest(post({ ...COOKIE, origin: `http://${"a".repeat(500)}.test` }), PANEL)!;
    expect(reason.length).toBeLessThan(220);
  });
});

describe("isSameOrigin", () => {
  it("compares scheme, host and port", () => {
    expect(isSameOrigin(new Headers({ origin: PANEL }), PANEL)).toBe(true);
    expect(isSameOrigin(new Headers({ origin: "http://127.0.0.1:3101" }), PANEL)).toBe(false);
    expect(isSameOrigin(new Headers({ origin: "https://127.0.0.1:3100" }), PANEL)).toBe(false);
    expect(isSameOrigin(new Headers({ origin: "http://localhost:3100" }), PANEL)).toBe(false);
    expect(isSameOrigin(new Headers({}), PANEL)).toBe(false);
    expect(isSameOrigin(new Headers({ "sec-fetch-site": "same-origin" }), PANEL)).toBe(true);
  });
});

describe("JSON content type", () => {
  it("accepts application/json with parameters, in any case", () => {
    expect(isJsonContentType("application/json")).toBe(true);
    expect(isJsonContentType("application/json; charset=utf-8")).toBe(true);
    expect(isJsonContentType("Application/JSON;charset=UTF-8")).toBe(true);
  });

  it("refuses what a cross-site form can send, and a missing type, with 415", () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp"]) {
      expect(isJsonContentType(type), type).toBe(false);
    }
    expect(() => requireJsonContentType(new Headers({ "content-type": "text/plain" }))).toThrow(
      /application\/json; this request has "text\/plain"/,
    );
    try {
      requireJsonContentType(new Headers());
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(RequestRefusedError);
      expect((err as RequestRefusedError).status).toBe(415);
      expect((err as Error).message).toContain("no Content-Type");
    }
  });
});

/** A 10 MB body in 64 KB chunks, produced only when pulled; counts the pulls. */
function countingBody(totalBytes = 10 * 1024 * 1024, chunkBytes = 64 * 1024) {
  const counter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (counter.pulled * chunkBytes >= totalBytes) return controller.close();
        counter.pulled += 1;
        controller.enqueue(new Uint8Array(chunkBytes).fill(120));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, counter };
}

describe("readBodyWithLimit", () => {
  it("stops pulling a 10 MB chunked body once it crosses the limit, and refuses it with 413", async () => {
    const { stream, counter } = countingBody();
    const err = await readBodyWithLimit({ headers: new Headers(), body: stream }, BODY_LIMITS.trpc).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestRefusedError);
    expect((err as RequestRefusedError).status).toBe(413);
    expect((err as Error).message).toBe("Request body is larger than the 1 MB this endpoint accepts");
    // 1 MB / 64 KB = 16 chunks fit; the 17th crosses the limit; none of the other 143 is pulled.
    expect(counter.pulled).toBe(17);
  });

  it("refuses a declared Content-Length over the limit without pulling a byte", async () => {
    const { stream, counter } = countingBody();
    const headers = new Headers({ "content-length": String(500 * 1024 * 1024) });
    await expect(readBodyWithLimit({ headers, body: stream }, BODY_LIMITS.trpc)).rejects.toThrow("Request body is 500 MB, over the 1 MB");
    expect(counter.pulled).toBe(0);
  });

  it("returns a body within the limit whole", async () => {
    const { stream } = countingBody(200 * 1024, 64 * 1024);
    const body = await readBodyWithLimit({ headers: new Headers(), body: stream }, BODY_LIMITS.trpc);
    expect(body.byteLength).toBe(256 * 1024);
    expect(body.every((b) => b === 120)).toBe(true);
    expect((await readBodyWithLimit({ headers: new Headers(), body: null }, 10)).byteLength).toBe(0);
  });
});

describe("guardRequest", () => {
  const policy = { maxBytes: 1024, isJson: true, panelOrigin: PANEL };

  it("hands on a request whose body can be read as usual", async () => {
    const req = new Request(`${PANEL}/api/trpc/host.create`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: PANEL, ...COOKIE },
      body: JSON.stringify({ json: { name: "app" } }),
    });
    const guarded = await guardRequest(req, policy);
    expect(await guarded.json()).toEqual({ json: { name: "app" } });
    expect(guarded.headers.get("cookie")).toBe(COOKIE.cookie);
  });

  it("refuses in order: another site (403), then a non-JSON body (415), then a large one (413)", async () => {
    const at = (headers: Record<string, string>, body = "{}") => new Request(`${PANEL}/api/trpc/x`, { method: "POST", headers, body });
    const statusOf = (req: Request) =>
      guardRequest(req, policy).then(
        () => 200,
        (e: RequestRefusedError) => e.status,
      );
    expect(await statusOf(at({ origin: "http://127.0.0.1:4000", "content-type": "text/plain", ...COOKIE }, "x".repeat(5000)))).toBe(403);
    expect(await statusOf(at({ origin: PANEL, "content-type": "text/plain" }, "x".repeat(5000)))).toBe(415);
    expect(await statusOf(at({ origin: PANEL, "content-type": "application/json" }, "x".repeat(5000)))).toBe(413);
  });

  it("passes a GET through without touching it", async () => {
    const req = new Request(`${PANEL}/api/trpc/host.list`, { headers: { "sec-fetch-site": "same-origin", ...COOKIE } });
    expect(await guardRequest(req, policy)).toBe(req);
  });
});
