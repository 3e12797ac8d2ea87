import { NextResponse, type NextRequest } from "next/server";
import { BODY_LIMITS } from "@/server/http/body-limits";
import { getPanelSite, isServedOverTls } from "@/server/http/panel-url";
import { checkContentLength, isRequestRefused, isSafeMethod, refusalResponse } from "@/server/http/request-guard";
import { buildPageCsp, createNonce, HSTS_VALUE } from "@/server/http/security-headers";

/**
 * Runs before every page (Next.js 16's proxy, formerly middleware): a fresh CSP nonce per response, put
 * on the request too so Next's renderer and the root layout apply it to their scripts, and HSTS when
 * served over TLS. API routes are left out (see the matcher): they guard themselves, and a proxy would
 * make Next buffer their bodies.
 */
export function proxy(request: NextRequest): Response {
  // A page POST (a server action without JavaScript): Next buffers it for the proxy, so refuse a large one first.
  if (!isSafeMethod(request.method)) {
    try {
      checkContentLength(request.headers, BODY_LIMITS.page);
    } catch (err) {
      if (isRequestRefused(err)) return refusalResponse(err);
      throw err;
    }
  }
  const site = getPanelSite();
  const isTls = isServedOverTls(request.headers, site);
  const nonce = createNonce();
  const csp = buildPageCsp({ nonce, isDev: process.env.NODE_ENV === "development", isTls });

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  if (isTls) response.headers.set("Strict-Transport-Security", HSTS_VALUE);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: not /api/**, not Next's static files.
      source: "/((?!api/|_next/static/|_next/image|favicon.ico).*)",
      // Prefetches render nothing; server action calls (next-action) answer with data, not a page, and
      // Next checks their Origin and size itself: no need to buffer their bodies for the proxy.
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
        { type: "header", key: "next-action" },
      ],
    },
  ],
};
