import { isValidDial } from "@/server/adapters/caddy";
import { ZSiteName } from "@/server/domain/fields";
import { AppError } from "@/server/errors";
import { formatUpstreamFile } from "@/server/services/proxy/nginx-upstream-file";

export const NGINX_UPSTREAM_NAME = "pixelfox_upstream";
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * The host name a proxy config may serve. Security: it is written into Caddyfile and Nginx config
 * text, so only a plain DNS name or an IPv4 address passes (no `}`, `;`, spaces, newlines…).
 */
export function siteHostOf(site: URL): string {
  const host = site.hostname;
  if (IPV4.test(host) || ZSiteName.safeParse(host).success) return host;
  throw new AppError(
    "BAD_REQUEST",
    `publicDomain: the proxy can serve only a DNS name or an IPv4 address, not "${host.slice(0, 80)}" (letters, digits, '-' and '.')`,
    { data: { field: "publicDomain" } },
  );
}

function checkedDials(dials: readonly string[]): string[] {
  for (const d of dials) if (!isValidDial(d)) throw new AppError("BAD_REQUEST", `An upstream must be host:port, got "${d.slice(0, 80)}"`);
  return [...dials];
}

/**
 * The plan's Caddyfile, as the panel writes it: global email, the www. redirect, the plan's security
 * headers, the access log, and the admin API on loopback. Plain http sites get no TLS (no certificate
 * can be issued for them); https ones get Caddy's automatic TLS.
 */
export function caddyfileFor(site: URL, dials: readonly string[], email?: string): string {
  const host = siteHostOf(site);
  const isTls = site.protocol === "https:";
  const scheme = isTls ? "" : "http://";
  const isName = !IPV4.test(host);
  const global = ["{", "\tadmin 127.0.0.1:2019", ...(email ? [`\temail ${email}`] : []), "}"];
  const redirect =
    isName && !host.startsWith("www.") ? [`${scheme}www.${host} {`, `\tredir ${site.protocol}//${host}{uri} permanent`, "}", ""] : [];
  const hsts = isTls ? ['\t\tStrict-Transport-Security "max-age=31536000; includeSubDomains"'] : [];
  return [
    ...global,
    "",
    ...redirect,
    `${scheme}${host} {`,
    "\tencode gzip",
    "\theader {",
    ...hsts,
    '\t\tX-Frame-Options "DENY"',
    '\t\tX-Content-Type-Options "nosniff"',
    '\t\tReferrer-Policy "strict-origin-when-cross-origin"',
    "\t}",
    `\treverse_proxy ${checkedDials(dials).join(" ")}`,
    "\tlog {",
    "\t\toutput file /data/access.log",
    "\t}",
    "}",
    "",
  ].join("\n");
}

/** The plan's Nginx site, proxying to the upstream file the panel rewrites on every deploy. */
export function nginxSiteFor(site: URL): string {
  const host = siteHostOf(site);
  const names = IPV4.test(host) || host.startsWith("www.") ? host : `${host} www.${host}`;
  return [
    "include /etc/nginx/pixelfox/upstream.conf;",
    "",
    "server {",
    "  listen 80;",
    `  server_name ${names};`,
    "  location / {",
    `    proxy_pass http://${NGINX_UPSTREAM_NAME};`,
    "    proxy_set_header Host $host;",
    "    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    "    proxy_set_header X-Forwarded-Proto $scheme;",
    "  }",
    "}",
    "",
  ].join("\n");
}

export function nginxUpstreamFor(dials: readonly string[]): string {
  return formatUpstreamFile(NGINX_UPSTREAM_NAME, checkedDials(dials));
}

/** Where a provisioned Nginx keeps its site and upstream file (as Nginx sees them), for the proxy service's settings. */
export const NGINX_PROVISIONED = {
  nginxSite: "/etc/nginx/conf.d/pixelfox.conf",
  nginxUpstream: "/etc/nginx/pixelfox/upstream.conf",
} as const;
