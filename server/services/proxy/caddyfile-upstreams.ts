import { startsLine, tokenizeCaddyfile, type CaddyToken } from "./caddyfile-tokens";

/** Upstream addresses written in one place: the directive's own line, or one `to` line of its block. */
interface UpstreamGroup {
  kind: "inline" | "to";
  /** The address tokens. */
  tokens: CaddyToken[];
  /** For a `to` line: the `to` token itself. */
  keyword?: CaddyToken;
}

/** A `reverse_proxy` directive of a Caddyfile with the upstreams it declares. */
export interface ReverseProxyDirective {
  /** 1-based line of `reverse_proxy` in the file. */
  line: number;
  /** Its upstreams as Caddy dials them ("127.0.0.1:4000"); null entries are placeholders, sockets or SRV. */
  dials: (string | null)[];
  groups: UpstreamGroup[];
}

/** Every `reverse_proxy` directive, wherever it is nested (site blocks, handle, route, snippets). */
export function findReverseProxyDirectives(text: string): ReverseProxyDirective[] {
  const tokens = tokenizeCaddyfile(text);
  const found: ReverseProxyDirective[] = [];
  tokens.forEach((token, i) => {
    if (token.text !== "reverse_proxy" || token.isQuoted || !startsLine(tokens, i)) return;
    const args = sameLine(tokens, i);
    const opensBlock = isBrace(args.at(-1), "{");
    const inline = (opensBlock ? args.slice(0, -1) : args).filter((t, n) => !(n === 0 && isMatcher(t)));
    const groups: UpstreamGroup[] = inline.length ? [{ kind: "inline", tokens: inline }] : [];
    if (opensBlock) groups.push(...toLines(tokens, i + args.length + 1).filter((g) => g.tokens.length > 0));
    found.push({ line: token.fileLine, dials: groups.flatMap((g) => g.tokens.map((t) => toDial(t.text))), groups });
  });
  return found;
}

/**
 * Point every `reverse_proxy` whose upstream list is exactly `from` at `to` instead, changing only
 * those addresses: comments, tabs, quotes elsewhere and every other byte stay as they were. The
 * new addresses go where the first old one was; any further `to` lines of that directive go.
 * Returns the new text and the (1-based) lines of the directives it changed.
 */
export function rewriteCaddyfileUpstreams(text: string, from: readonly string[], to: readonly string[]): { text: string; lines: number[] } {
  const matching = findReverseProxyDirectives(text).filter((d) => sameList(d.dials, from));
  const edits: { start: number; end: number; text: string }[] = [];
  for (const directive of matching) {
    const [first, ...rest] = directive.groups;
    if (!first) continue;
    const scheme = /^[a-z0-9+]+:\/\//i.exec(first.tokens[0]?.text ?? "")?.[0] ?? "";
    edits.push({ start: first.tokens[0]!.start, end: first.tokens.at(-1)!.end, text: to.map((dial) => scheme + dial).join(" ") });
    for (const group of rest) edits.push(wholeLine(text, group));
  }
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return { text: out, lines: matching.map((d) => d.line) };
}

/**
 * How Caddy turns a Caddyfile upstream into a dial (reverseproxy/addresses.go): `http://h:p`,
 * `h2c://h:p` and `https://h:p` dial h:p, a missing port is 80 (443 for https), `h` alone is h:80.
 * Placeholders, unix sockets and SRV lookups give null: the panel never manages those.
 */
export function toDial(address: string): string | null {
  if (address.includes("{") || address.startsWith("srv+")) return null;
  if (address.includes("://")) {
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      return null;
    }
    const scheme = url.protocol.replace(/:$/, "");
    if (!["http", "https", "h2c"].includes(scheme) || (url.pathname !== "/" && url.pathname !== "") || url.search) return null;
    // h2c:// is not a scheme WHATWG URL knows, so its default port is not applied: do it like Caddy.
    const port = url.port || (scheme === "https" ? "443" : "80");
    return `${url.hostname}:${port}`;
  }
  if (address.includes("/")) return null;
  return /:\d+$/.test(address) ? address : `${address}:80`;
}

function sameLine(tokens: readonly CaddyToken[], index: number): CaddyToken[] {
  const out: CaddyToken[] = [];
  for (let j = index + 1; j < tokens.length && tokens[j]!.line === tokens[j - 1]!.endLine; j++) out.push(tokens[j]!);
  return out;
}

/** The `to` lines directly inside the block whose first token is at `from` (nested blocks skipped). */
function toLines(tokens: readonly CaddyToken[], from: number): UpstreamGroup[] {
  const groups: UpstreamGroup[] = [];
  let depth = 1;
  for (let j = from; j < tokens.length && depth > 0; j++) {
    const t = tokens[j]!;
    if (isBrace(t, "{")) depth++;
    else if (isBrace(t, "}")) depth--;
    else if (depth === 1 && t.text === "to" && !t.isQuoted && startsLine(tokens, j)) {
      const args = sameLine(tokens, j);
      groups.push({ kind: "to", keyword: t, tokens: args });
      j += args.length;
    }
  }
  return groups;
}

function isBrace(token: CaddyToken | undefined, brace: "{" | "}"): boolean {
  return Boolean(token && !token.isQuoted && token.text === brace);
}

/** Caddy's matcher tokens (httpcaddyfile: `*`, a path starting with `/`, or a named matcher `@name`). */
function isMatcher(token: CaddyToken): boolean {
  return !token.isQuoted && (token.text === "*" || token.text.startsWith("/") || token.text.startsWith("@"));
}

function sameList(dials: readonly (string | null)[], wanted: readonly string[]): boolean {
  return dials.length === wanted.length && dials.every((d, i) => d === wanted[i]);
}

/** The span of a `to` line, from its indentation through its newline. */
function wholeLine(text: string, group: UpstreamGroup): { start: number; end: number; text: string } {
  const start = text.lastIndexOf("\n", group.keyword!.start - 1) + 1;
  const newline = text.indexOf("\n", group.tokens.at(-1)?.end ?? group.keyword!.end);
  return { start, end: newline < 0 ? text.length : newline + 1, text: "" };
}
