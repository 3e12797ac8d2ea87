import type { CertificateInfo } from "@/server/adapters/metrics/tls-certificate";
import type { AuditCheck } from "@/server/domain/security-audit";
import { check } from "./check";

export interface TlsFacts {
  publicDomain: string;
  /** The certificate on 443, or why it could not be read; null when the domain is plain http. */
  certificate: CertificateInfo | { error: string } | null;
  /** GET http://<host>/ without following redirects. */
  plainHttp: { status: number; location: string | null } | { error: string };
  /** The headers of the site's answer (https when the domain is https). */
  site: Record<string, string> | { error: string };
}

/** The plan's security headers, with what a value must contain. */
export const SECURITY_HEADERS: readonly { name: string; test: (v: string) => boolean; example: string }[] = [
  { name: "strict-transport-security", test: (v) => /max-age=\d{6,}/i.test(v), example: "Strict-Transport-Security: max-age=31536000" },
  { name: "x-frame-options", test: (v) => /^(deny|sameorigin)$/i.test(v.trim()), example: "X-Frame-Options: DENY" },
  { name: "x-content-type-options", test: (v) => v.trim().toLowerCase() === "nosniff", example: "X-Content-Type-Options: nosniff" },
  {
    name: "referrer-policy",
    test: (v) => v.trim().length > 0 && !/unsafe-url/i.test(v),
    example: "Referrer-Policy: strict-origin-when-cross-origin",
  },
];

const isError = (x: object): x is { error: string } => "error" in x && typeof x.error === "string";

export function tlsChecks(f: TlsFacts): AuditCheck[] {
  const url = safeUrl(f.publicDomain);
  const https = url?.protocol === "https:";
  const out: AuditCheck[] = [];
  out.push(
    check(
      "tls",
      "tls-https",
      "The public domain is served over HTTPS",
      https ? "pass" : "fail",
      `PUBLIC_DOMAIN / the stack's public domain: ${f.publicDomain}`,
      "Without TLS, passwords and session cookies cross the network in clear.",
      "Set the stack's public domain to https://… and let Caddy obtain the certificate (or configure one in Nginx).",
    ),
  );
  out.push(certificateCheck(f, https));
  out.push(redirectCheck(f, https));
  out.push(...headerChecks(f, https));
  return out;
}

function certificateCheck(f: TlsFacts, https: boolean): AuditCheck {
  const label = "A valid certificate with at least 14 days left";
  const why = "An invalid or expired certificate stops every visitor's browser.";
  if (!https || f.certificate === null)
    return check("tls", "tls-certificate", label, "fail", "no TLS: the domain is plain http", why, "Serve the site over HTTPS first.");
  if (isError(f.certificate))
    return check("tls", "tls-certificate", label, "unknown", `could not read the certificate: ${f.certificate.error}`, why);
  const c = f.certificate;
  const ok = c.authorized && c.daysLeft >= 14;
  return check(
    "tls",
    "tls-certificate",
    label,
    ok ? "pass" : "fail",
    `subject ${c.subject}, issuer ${c.issuer}, valid to ${c.validTo} (${c.daysLeft} days left)${c.authorized ? "" : `, not trusted: ${c.authorizationError ?? "?"}`}`,
    why,
    "Check the proxy's ACME log (docker logs pxlfox-proxy) and that ports 80 and 443 reach it.",
  );
}

function redirectCheck(f: TlsFacts, https: boolean): AuditCheck {
  const label = "Plain HTTP redirects to HTTPS";
  const why = "A visitor who types the bare domain must land on the encrypted site.";
  if (isError(f.plainHttp)) return check("tls", "tls-redirect", label, "unknown", `GET over plain http failed: ${f.plainHttp.error}`, why);
  const { status, location } = f.plainHttp;
  const ok = [301, 302, 307, 308].includes(status) && (location ?? "").startsWith("https://");
  return check(
    "tls",
    "tls-redirect",
    label,
    ok ? "pass" : "fail",
    `GET http:// answered ${status}${location ? ` → ${location}` : ""}${https ? "" : " (the domain is plain http)"}`,
    why,
    "Caddy redirects by itself once the site address is https; for Nginx add a server on :80 with `return 301 https://$host$request_uri;`.",
  );
}

function headerChecks(f: TlsFacts, https: boolean): AuditCheck[] {
  const why = "The plan's security headers keep the site out of frames, stop MIME sniffing, limit referrers and pin HTTPS.";
  return SECURITY_HEADERS.map((h) => {
    const id = `tls-header:${h.name}`;
    const label = `Header ${h.example.split(":")[0]} is set`;
    if (isError(f.site)) return check("tls", id, label, "unknown", `could not GET the site: ${f.site.error}`, why);
    const value = f.site[h.name];
    // HSTS is only honoured over https: on plain http it is a fail for the TLS check above, not here.
    const ok = value !== undefined && h.test(value) && (h.name !== "strict-transport-security" || https);
    return check(
      "tls",
      id,
      label,
      ok ? "pass" : "fail",
      value === undefined
        ? `${h.name}: (absent)`
        : `${h.name}: ${value}${h.name === "strict-transport-security" && !https ? " (honoured over https only)" : ""}`,
      why,
      `Add it in the proxy: ${h.example} (Caddy: header { … }; Nginx: add_header … always;)`,
    );
  });
}

function safeUrl(s: string): URL | null {
  try {
    return new URL(s);
  } catch {
    return null;
  }
}
