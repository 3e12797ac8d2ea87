import { assertValidDials } from "@/server/adapters/caddy";
import { AppError } from "@/server/errors";
import { applyNginxChanges, quoteNginx, type FileChange } from "./nginx-apply";
import { readSiteText, type NginxLayout } from "./nginx-layout";
import { convertSite, readSite } from "./nginx-site";
import { formatUpstreamFile, parseUpstreamFile } from "./nginx-upstream-file";
import type { AdoptReport } from "./proxy-driver";

/**
 * Put the plan's Nginx site (`proxy_pass http://127.0.0.1:4000;`) under the panel's control: an
 * upstream file with the current address, the site including it and proxying to it by name. One
 * checked change (nginx -t) and a graceful reload: nothing that serves traffic restarts. Running
 * it again changes nothing.
 */
export async function adoptNginx(layout: NginxLayout, currentDial: string): Promise<AdoptReport> {
  assertValidDials([currentDial]);
  const before = await dumpConfig(layout);
  if (!before.includes(`# configuration file ${layout.sitePath}:`)) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `${layout.describe()}: nginx -T does not list ${layout.sitePath}, so nginx does not load that site: give the path of the enabled site (e.g. /etc/nginx/sites-enabled/pixelfox).`,
      { data: { field: "sitePath" } },
    );
  }
  const site = await readSiteText(layout);
  const upstream = await layout.files.read(layout.upstreamPath);
  const servers = upstream === null ? null : parseUpstreamFile(upstream, layout.upstreamName);
  const state = readSite(site, layout);
  const converted = convertSite(site, currentDial, layout);
  const isSiteDone = state.isIncluded && state.upstreamLines.length > 0 && !state.direct.some((d) => d.dial === currentDial);
  if (!isSiteDone && !converted.changes.some((c) => c.includes("proxy_pass"))) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `${layout.describe()}: the site has no proxy_pass to http://${currentDial} (${state.direct.length ? `it proxies to ${state.direct.map((d) => `${d.dial} on line ${d.line}`).join(", ")}` : "it has no proxy_pass to an address"}): check where the app runs, then adopt with that address.`,
    );
  }
  const changes: FileChange[] = [];
  const lines: string[] = [];
  if (!servers?.length) {
    changes.push({ path: layout.upstreamPath, text: formatUpstreamFile(layout.upstreamName, [currentDial]) });
    lines.push(`${layout.files.locate(layout.upstreamPath)}: new, upstream ${layout.upstreamName} { server ${currentDial}; }`);
  }
  if (!isSiteDone) {
    changes.push({ path: layout.sitePath, text: converted.text });
    lines.push(...converted.changes.map((c) => `${layout.files.locate(layout.sitePath)}, ${c}`));
  }
  const findings: string[] = [];
  if (!changes.length) {
    findings.push(
      `Already under the panel's control: the site proxies to http://${layout.upstreamName}, whose servers are ${servers!.join(", ")}.`,
    );
    if (!servers!.includes(currentDial))
      findings.push(`The upstream file does not list ${currentDial}: the next deploy's switch says where traffic goes.`);
    return { changes: [], findings };
  }
  const { warning } = await applyNginxChanges(layout, changes, "adopt the PixelFox site");
  lines.push(`nginx -t passed and nginx reloaded gracefully ${layout.runner.where} (no restart).`);
  if (warning) findings.push(warning);
  const after = await dumpConfig(layout);
  findings.push(
    after.includes(`# configuration file ${layout.upstreamPath}:`)
      ? `nginx -T lists ${layout.upstreamPath}: the upstream is part of the loaded config.`
      : `nginx -T does not list ${layout.upstreamPath}: check that the site's include is reached.`,
  );
  if (!state.setsHost) {
    findings.push(
      `The site sets no proxy_set_header Host: the app now receives Host: ${layout.upstreamName} instead of ${currentDial}; add \`proxy_set_header Host $host;\` if it relies on it.`,
    );
  }
  return { changes: lines, findings };
}

/** `nginx -T`: the config nginx would load, each file under a `# configuration file <path>:` header. */
async function dumpConfig(layout: NginxLayout): Promise<string> {
  const r = await layout.runner.run([...layout.nginxCommand, "-T"], { action: "read the config with nginx -T" });
  if (r.exitCode !== 0) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `${layout.describe()}: nginx -t fails on the current config already: ${quoteNginx(r.stderr)}. Fix it first: the panel only changes a config that passes.`,
    );
  }
  return r.stdout;
}
