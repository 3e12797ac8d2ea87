/** A parsed `WWW-Authenticate` challenge: scheme plus its auth-params (keys lowercased). */
export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

const PARAM = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?/y;

/**
 * Parse `WWW-Authenticate: Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:o/p:pull"`.
 * Returns the first challenge; quoted values may contain commas (scopes like `pull,push`).
 */
export function parseWwwAuthenticate(header: string | null | undefined): AuthChallenge | undefined {
  const match = header?.match(/^\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s*(.*)$/s);
  if (!match) return undefined;
  const scheme = match[1] ?? "";
  const rest = match[2] ?? "";
  const params: Record<string, string> = {};
  PARAM.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (PARAM.lastIndex < rest.length && (m = PARAM.exec(rest)) !== null) {
    // A second challenge ("…, Basic realm=x") does not match `key=value`: the loop stops there.
    const key = (m[1] ?? "").toLowerCase();
    params[key] = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : (m[3] ?? "");
  }
  return { scheme: scheme.toLowerCase(), params };
}

/** The `rel="next"` target of a `Link` header (`</v2/x/tags/list?n=100&last=v1>; rel="next"`). */
export function parseLinkNext(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = part.match(/^\s*<([^>]*)>\s*;(.*)$/s);
    if (!m) continue;
    const rels = m[2]?.match(/\brel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i);
    const rel = (rels?.[1] ?? rels?.[2] ?? "").toLowerCase().split(/\s+/);
    if (rel.includes("next")) return m[1];
  }
  return undefined;
}

/** Header names whose values are credentials. */
const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "x-registry-auth", "cookie"]);

/**
 * Copy of request headers that is safe to log or attach to an error: credential headers keep
 * their scheme word only (`Basic [REDACTED]`).
 */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    // Security: the Basic value is base64(user:password); a Bearer token is a credential too.
    if (!SECRET_HEADERS.has(name.toLowerCase())) out[name] = value;
    else out[name] = /^(Basic|Bearer|Digest|Token)\s/i.test(value) ? `${value.split(/\s/)[0]} [REDACTED]` : "[REDACTED]";
  }
  return out;
}
