import { parseNginxDirectives } from "./nginx-tokens";

/**
 * The upstream file the panel owns, e.g. /etc/nginx/pixelfox-upstream.conf:
 *
 *     upstream pixelfox_upstream {
 *         server 127.0.0.1:4000;
 *     }
 *
 * Decision: the panel writes plain `server host:port;` lines and nothing else. Reading takes each
 * `server`'s address and ignores its parameters (weight=, max_fails=, backup) and any other
 * directive in the block; a rewrite does not keep them, because every deploy replaces the servers
 * anyway. Tuning that must survive belongs in the site file (proxy_* directives).
 */
export function formatUpstreamFile(name: string, dials: readonly string[]): string {
  return [
    "# Managed by PixelFox Ops: where Nginx sends PixelFox's traffic. Each deploy rewrites this file",
    "# (checked with nginx -t, then a graceful reload); edits here are replaced.",
    `upstream ${name} {`,
    ...dials.map((dial) => `    server ${dial};`),
    "}",
    "",
  ].join("\n");
}

/** The servers of `upstream <name> { … }` in `text`, in order; null when the file has no such block. */
export function parseUpstreamFile(text: string, name: string): string[] | null {
  const directives = parseNginxDirectives(text);
  const block = directives.find((d) => d.isBlock && d.depth === 0 && d.name.text === "upstream" && d.args[0]?.text === name);
  if (!block) return null;
  return directives.filter((d) => d.parent === block && d.name.text === "server" && d.args[0]).map((d) => d.args[0]!.text);
}
