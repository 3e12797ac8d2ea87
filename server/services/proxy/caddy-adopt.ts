import { assertValidDials, withCaddyAdmin, type CaddyOptions, type UpstreamLocator } from "@/server/adapters/caddy";
import { AppError } from "@/server/errors";
import { adaptCaddyfile, hasReverseProxyTo, type CaddyfileAccess } from "./caddyfile-check";
import { describeDirectives, readCaddyfile } from "./caddyfile-sync";
import { findReverseProxyDirectives } from "./caddyfile-upstreams";
import type { AdoptReport } from "./proxy-driver";

interface CaddyAdoptContext {
  admin: CaddyOptions;
  caddyfile?: CaddyfileAccess | null;
  isResume?: boolean;
  locator: (extra?: readonly string[]) => UpstreamLocator;
  describe: () => string;
}

/**
 * Caddy needs no change to come under the panel's control: the admin API switches it live. Adopt
 * checks what each switch relies on and changes nothing: the handler is found (by @id or by its
 * upstream), the Caddyfile has the same upstream on a line the panel can rewrite, and `caddy adapt`
 * runs where Caddy runs, so new Caddyfiles can be checked before they are written.
 */
export async function adoptCaddy(ctx: CaddyAdoptContext, currentDial: string): Promise<AdoptReport> {
  assertValidDials([currentDial]);
  const location = await withCaddyAdmin(ctx.admin, async (admin) => ({ ...(await ctx.locator([currentDial])(admin)), where: admin.where }));
  const live = location.current ?? [];
  if (!live.includes(currentDial)) {
    throw new AppError(
      "CONFLICT",
      `${ctx.describe()}: PixelFox's reverse_proxy (${location.how}) sends traffic to ${live.join(", ") || "no upstream"}, not to ${currentDial}: check where the app runs, then adopt with that address.`,
      { host: ctx.admin.target.name, data: { upstreams: live } },
    );
  }
  const findings = [
    `Caddy's admin API on ${location.where} answers; PixelFox's reverse_proxy is ${location.how}, sending traffic to ${live.join(", ")}.`,
  ];
  if (!ctx.caddyfile) {
    findings.push(
      "No Caddyfile was given: each switch changes the live config only; if Caddy starts from a file, a restart brings back what that file says.",
    );
    return { changes: [], findings };
  }
  const file = ctx.caddyfile.files.locate(ctx.caddyfile.path);
  const text = await readCaddyfile(ctx.caddyfile);
  const lines = findReverseProxyDirectives(text).filter((d) => d.dials.length === live.length && d.dials.every((x, i) => x === live[i]));
  if (!lines.length) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `${ctx.describe()}: the live config sends PixelFox's traffic to ${live.join(" ")}, but the Caddyfile has no reverse_proxy to it (${describeDirectives(findReverseProxyDirectives(text))}), so a restart would send traffic elsewhere. Make ${file} match what runs (or reload Caddy from it), then adopt again.`,
      { host: ctx.admin.target.name, data: { path: file } },
    );
  }
  const adapted = await adaptCaddyfile(ctx.caddyfile, text);
  if (!hasReverseProxyTo(adapted, live)) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `${ctx.describe()}: the Caddyfile ${file} does not adapt to a reverse_proxy to ${live.join(" ")}: check its imports and snippets.`,
    );
  }
  findings.push(
    `The Caddyfile ${file} has it on line ${lines.map((d) => d.line).join(", ")}: each switch rewrites only that, after \`caddy adapt\` ${ctx.caddyfile.runner.where} accepts the new text.`,
  );
  if (ctx.isResume) {
    findings.push(
      "Caddy runs with --resume: a restart loads its last live config; the Caddyfile counts when the container is created anew.",
    );
  }
  return { changes: [], findings };
}
