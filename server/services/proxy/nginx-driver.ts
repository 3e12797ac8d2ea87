import { assertValidDials, sameDials } from "@/server/adapters/caddy";
import { AppError } from "@/server/errors";
import { applyNginxChanges } from "./nginx-apply";
import { adoptNginx } from "./nginx-adopt";
import { readSiteText, resolveLayout, type NginxDriverDeps, type NginxLayout } from "./nginx-layout";
import { readSite } from "./nginx-site";
import { formatUpstreamFile, parseUpstreamFile } from "./nginx-upstream-file";
import type { ProxyDriver, SetUpstreamsOptions } from "./proxy-driver";

/** Nginx as the proxy: the site goes through an upstream file the panel rewrites, checks and reloads. */
export function createNginxDriver(deps: NginxDriverDeps): ProxyDriver {
  const layout = resolveLayout(deps);
  return {
    kind: "nginx",
    describe: layout.describe,
    readUpstreams: () => readUpstreams(layout),
    setUpstreams: (dials, options) => setUpstreams(layout, dials, options),
    adopt: (currentDial) => adoptNginx(layout, currentDial),
  };
}

/** The upstream file's servers; before adopt, the addresses the site's proxy_pass lines name. */
async function readUpstreams(layout: NginxLayout): Promise<string[]> {
  const upstream = await layout.files.read(layout.upstreamPath);
  if (upstream !== null) return requireServers(layout, upstream);
  const site = await readSiteText(layout);
  const direct = [...new Set(readSite(site, layout).direct.map((d) => d.dial))];
  if (!direct.length) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `${layout.describe()}: no upstream file at ${layout.files.locate(layout.upstreamPath)} and no proxy_pass to an address in the site, so where PixelFox's traffic goes is unknown.`,
    );
  }
  return direct;
}

async function setUpstreams(layout: NginxLayout, dials: readonly string[], options: SetUpstreamsOptions = {}): Promise<string[]> {
  // Security: every address is validated before it is written into nginx config.
  assertValidDials(dials);
  if (options.expected) assertValidDials(options.expected);
  const current = await requireAdopted(layout);
  if (options.expected && !sameDials(current, options.expected)) {
    throw new AppError(
      "CONFLICT",
      `${layout.describe()} sends PixelFox's traffic to ${current.join(", ") || "no server"}, not to ${options.expected.join(", ")} as expected: another change (a deploy or an operator) got there first. Nothing was written; check the proxy, then retry.`,
      { data: { actual: current, wanted: [...dials] } },
    );
  }
  if (sameDials(current, dials)) return current;
  const change = [{ path: layout.upstreamPath, text: formatUpstreamFile(layout.upstreamName, dials) }];
  const { warning } = await applyNginxChanges(layout, change, `point Nginx at ${dials.join(", ")}`);
  const now = parseUpstreamFile((await layout.files.read(layout.upstreamPath)) ?? "", layout.upstreamName) ?? [];
  if (!sameDials(now, dials)) {
    throw new AppError(
      "REMOTE_FAILED",
      `${layout.describe()}: the upstream file ${layout.files.locate(layout.upstreamPath)} was written and nginx reloaded, but it now lists ${now.join(", ") || "no server"} instead of ${dials.join(", ")}: another change may have raced this one. Check the file before retrying.`,
    );
  }
  if (warning && options.onWarning) options.onWarning(warning);
  else if (warning) throw new AppError("REMOTE_FAILED", warning, { data: { isLiveSwitched: true, upstreams: now } });
  return now;
}

/** The current servers, once the site goes through the upstream file; PRECONDITION_FAILED before adopt. */
async function requireAdopted(layout: NginxLayout): Promise<string[]> {
  const [upstream, site] = await Promise.all([layout.files.read(layout.upstreamPath), readSiteText(layout)]);
  const state = readSite(site, layout);
  if (upstream === null || !state.isIncluded || !state.upstreamLines.length) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `${layout.describe()} is not under the panel's control yet (${upstream === null ? `no upstream file ${layout.files.locate(layout.upstreamPath)}` : `the site does not ${state.isIncluded ? `proxy_pass to http://${layout.upstreamName}` : `include ${layout.upstreamPath}`}`}): adopt the proxy first.`,
    );
  }
  return requireServers(layout, upstream);
}

function requireServers(layout: NginxLayout, upstream: string): string[] {
  const servers = parseUpstreamFile(upstream, layout.upstreamName);
  if (!servers?.length) {
    throw new AppError(
      "REMOTE_FAILED",
      `${layout.describe()}: the upstream file ${layout.files.locate(layout.upstreamPath)} has no \`upstream ${layout.upstreamName}\` block with servers: adopt the proxy again to rewrite it.`,
    );
  }
  return servers;
}
