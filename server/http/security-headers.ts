/**
 * The panel's security headers, in one place (no imports: next.config.ts reads it too). Pages get a
 * nonce-based Content-Security-Policy from proxy.ts; every response, API and static files included,
 * gets the headers below from next.config.ts.
 */

/** On every response. */
export const STATIC_SECURITY_HEADERS: { key: string; value: string }[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  // Security: no URL of the panel (stack, job and host ids) leaks to another site in Referer; same-origin requests keep theirs.
  { key: "Referrer-Policy", value: "same-origin" },
  // For browsers without CSP frame-ancestors; the CSP says the same.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** On API responses (JSON, streams, downloads): nothing in them may run, load or be framed. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** HSTS, sent only when the panel is served over TLS. No includeSubDomains: the panel does not speak for its siblings. */
export const HSTS_VALUE = "max-age=31536000";

/**
 * The CSP of a page. Security: scripts run only with this request's nonce (Next puts it on its own
 * scripts, the root layout on the theme script); 'strict-dynamic' lets those load their chunks. Styles
 * allow inline (Tailwind's style attributes, Next's inline styles): a style cannot run code.
 * Dev mode adds 'unsafe-eval' (React's dev tools need it); production never has it.
 */
export function buildPageCsp(opts: { nonce: string; isDev: boolean; isTls: boolean }): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${opts.nonce}' 'strict-dynamic'${opts.isDev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    // Only behind TLS: on a plain-http panel it would send every subresource to an https that is not there.
    ...(opts.isTls ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** A fresh, unguessable nonce for one response (128 random bits, base64). */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
