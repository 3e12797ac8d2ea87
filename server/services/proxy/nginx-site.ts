import { parseNginxDirectives, type NginxDirective } from "./nginx-tokens";

export interface SiteUpstreamOptions {
  /** The upstream's name, e.g. "pixelfox_upstream". */
  upstreamName: string;
  /** The upstream file as Nginx sees it, e.g. /etc/nginx/pixelfox-upstream.conf. */
  upstreamPath: string;
}

/** How a site file sends PixelFox's traffic. */
export interface SiteState {
  /** The site has `include <upstreamPath>;` at its top level (http level, outside `server {}`). */
  isIncluded: boolean;
  /** Lines whose proxy_pass goes to the upstream by name. */
  upstreamLines: number[];
  /** Every proxy_pass to a literal address: its line and host:port. */
  direct: { line: number; dial: string }[];
  /** The site sets `proxy_set_header Host` somewhere. */
  setsHost: boolean;
}

/** The site's proxy_pass targets and whether it includes the upstream file. */
export function readSite(text: string, options: SiteUpstreamOptions): SiteState {
  const directives = parseNginxDirectives(text);
  const state: SiteState = {
    isIncluded: directives.some((d) => d.depth === 0 && d.name.text === "include" && d.args[0]?.text === options.upstreamPath),
    upstreamLines: [],
    direct: [],
    setsHost: directives.some((d) => d.name.text === "proxy_set_header" && d.args[0]?.text.toLowerCase() === "host"),
  };
  for (const d of proxyPasses(directives)) {
    const target = targetOf(d);
    if (!target) continue;
    if (target.host === options.upstreamName) state.upstreamLines.push(d.name.line);
    else state.direct.push({ line: d.name.line, dial: target.host });
  }
  return state;
}

/**
 * The site rewritten to go through the upstream: `include <upstreamPath>;` added at its top (a site
 * file is included inside `http {}`, so that is http level), and each `proxy_pass` to `currentDial`
 * now to `http://<upstreamName>` (scheme and URI part kept). Every other byte stays as it was,
 * proxy_set_header lines included. Returns one human line per change.
 */
export function convertSite(text: string, currentDial: string, options: SiteUpstreamOptions): { text: string; changes: string[] } {
  const directives = parseNginxDirectives(text);
  const header = readSite(text, options).isIncluded
    ? ""
    : `# PixelFox Ops: the app's upstream, switched by the panel on each deploy.\ninclude ${options.upstreamPath};\n\n`;
  const shift = header.split("\n").length - 1;
  const edits: { start: number; end: number; text: string }[] = [];
  const changes: string[] = header ? [`top of the site: include ${options.upstreamPath};`] : [];
  for (const d of proxyPasses(directives)) {
    const target = targetOf(d);
    if (target?.host !== currentDial) continue;
    const arg = d.args[0]!;
    const raw = text.slice(arg.start, arg.end);
    const at = arg.start + raw.indexOf(`://${currentDial}`) + 3;
    edits.push({ start: at, end: at + currentDial.length, text: options.upstreamName });
    changes.push(`line ${d.name.line + shift}: proxy_pass ${arg.text} → ${arg.text.replace(currentDial, options.upstreamName)}`);
  }
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return { text: header + out, changes };
}

function proxyPasses(directives: readonly NginxDirective[]): NginxDirective[] {
  return directives.filter((d) => !d.isBlock && d.name.text === "proxy_pass" && d.args.length === 1);
}

/** `http://host:port/uri` → host "host:port"; null for variables and unix sockets. */
function targetOf(d: NginxDirective): { host: string } | null {
  const match = /^https?:\/\/([^/$]+)(\/.*)?$/.exec(d.args[0]?.text ?? "");
  if (!match?.[1] || match[1].startsWith("unix:")) return null;
  return { host: match[1] };
}
