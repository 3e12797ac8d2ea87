import { getEnv } from "@/server/env";

/** How the panel learns where it is served: PANEL_URL, and whether a reverse proxy's X-Forwarded-* headers count. */
export interface PanelSite {
  /** The public origin from PANEL_URL (`https://ops.example.com`), if set. */
  panelUrl?: string;
  trustProxy: boolean;
}

/** The panel's site settings from the validated environment. */
export function getPanelSite(): PanelSite {
  const env = getEnv();
  return { panelUrl: env.panelUrl, trustProxy: env.trustProxy };
}

/** First value of a comma-separated header (proxies append: "https, http"), lowercased. */
function firstValue(headers: Headers, name: string): string | undefined {
  return headers.get(name)?.split(",")[0]?.trim().toLowerCase() || undefined;
}

/**
 * The origin a same-origin browser request carries in `Origin`: PANEL_URL when set, else
 * `http://<Host>` (or the trusted proxy's scheme and host). Null when there is no Host to go by.
 * Security: X-Forwarded-* are anyone's to send, so they count only with PANEL_TRUST_PROXY.
 */
export function resolvePanelOrigin(headers: Headers, site: PanelSite): string | null {
  if (site.panelUrl) return site.panelUrl;
  const host = (site.trustProxy ? firstValue(headers, "x-forwarded-host") : undefined) ?? firstValue(headers, "host");
  if (!host) return null;
  const proto = site.trustProxy ? firstValue(headers, "x-forwarded-proto") : undefined;
  try {
    return new URL(`${proto === "https" ? "https" : "http"}://${host}`).origin;
  } catch {
    return null;
  }
}

/**
 * True when the browser talks to the panel over TLS: PANEL_URL is https, or (PANEL_TRUST_PROXY) the
 * proxy says https. `next start` itself only speaks plain http, so nothing else can mean TLS.
 */
export function isServedOverTls(headers: Headers, site: PanelSite): boolean {
  if (site.panelUrl) return site.panelUrl.startsWith("https:");
  return site.trustProxy && firstValue(headers, "x-forwarded-proto") === "https";
}

/**
 * Whether Auth.js marks its cookies Secure and prefixes them: fixed by PANEL_URL; per request from the
 * trusted proxy's X-Forwarded-Proto ("per-request", Auth.js's own detection); else never, so a client
 * cannot flip the cookie names of a plain-http panel by sending X-Forwarded-Proto itself.
 */
export function secureCookieMode(site: PanelSite): boolean | "per-request" {
  if (site.panelUrl) return site.panelUrl.startsWith("https:");
  return site.trustProxy ? "per-request" : false;
}
