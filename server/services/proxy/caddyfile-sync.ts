import { AppError } from "@/server/errors";
import { adaptCaddyfile, hasReverseProxyTo, type CaddyfileAccess } from "./caddyfile-check";
import { findReverseProxyDirectives, rewriteCaddyfileUpstreams, type ReverseProxyDirective } from "./caddyfile-upstreams";

/** What keeping the Caddyfile in step did. */
export interface CaddyfileSync {
  isRewritten: boolean;
  /** Lines of the `reverse_proxy` directives that now say `to`. */
  lines: number[];
}

/**
 * Make the Caddyfile send PixelFox's traffic to `to`, as the live config now does, so a restart of
 * Caddy does not bring an old upstream back. Rewrites only the `reverse_proxy` directives whose
 * upstreams are exactly one of `from` (tried in order), checks the new text with `caddy adapt`
 * where Caddy runs, and writes the file in place only if it adapts to a reverse_proxy to `to`.
 */
export async function keepCaddyfileInStep(
  access: CaddyfileAccess,
  from: readonly (readonly string[])[],
  to: readonly string[],
): Promise<CaddyfileSync> {
  const text = await readCaddyfile(access);
  const directives = findReverseProxyDirectives(text);
  const old = from.find((dials) => !sameList(dials, to) && directives.some((d) => sameList(d.dials, dials)));
  if (!old) {
    const already = directives.filter((d) => sameList(d.dials, to));
    if (already.length) return { isRewritten: false, lines: already.map((d) => d.line) };
    throw new AppError(
      "PRECONDITION_FAILED",
      `The Caddyfile ${access.files.locate(access.path)} has no reverse_proxy to ${from.map((d) => d.join(" ")).join(" or ")} to rewrite (${describeDirectives(directives)})`,
      { data: { path: access.files.locate(access.path) } },
    );
  }
  const rewritten = rewriteCaddyfileUpstreams(text, old, to);
  const adapted = await adaptCaddyfile(access, rewritten.text);
  if (!hasReverseProxyTo(adapted, to)) {
    throw new AppError("REMOTE_FAILED", `The rewritten Caddyfile adapts without a reverse_proxy to ${to.join(" ")}, so it was not written`);
  }
  // Someone may have edited the file while it was being checked: never overwrite their edit.
  if ((await access.files.read(access.path)) !== text) {
    throw new AppError(
      "CONFLICT",
      `The Caddyfile ${access.files.locate(access.path)} changed while the panel was rewriting it, so it was not written`,
    );
  }
  await access.files.write(access.path, rewritten.text);
  if ((await access.files.read(access.path)) !== rewritten.text) {
    throw new AppError("REMOTE_FAILED", `The Caddyfile ${access.files.locate(access.path)} does not read back as written`);
  }
  return { isRewritten: true, lines: rewritten.lines };
}

export async function readCaddyfile(access: CaddyfileAccess): Promise<string> {
  const text = await access.files.read(access.path);
  if (text === null) {
    throw new AppError("NOT_FOUND", `There is no Caddyfile at ${access.files.locate(access.path)}`, {
      data: { path: access.files.locate(access.path) },
    });
  }
  return text;
}

export function describeDirectives(directives: readonly ReverseProxyDirective[]): string {
  if (!directives.length) return "it has no reverse_proxy directive";
  return `its reverse_proxy directives: ${directives.map((d) => `line ${d.line} → ${d.dials.map((x) => x ?? "(dynamic)").join(" ")}`).join("; ")}`;
}

function sameList(a: readonly (string | null)[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
