import {
  assertValidDials,
  locateByIdOrDials,
  locateByIdOrOnly,
  switchUpstreamsAt,
  withCaddyAdmin,
  type CaddyOptions,
  type UpstreamLocator,
} from "@/server/adapters/caddy";
import { AppError, isAppError } from "@/server/errors";
import type { CaddyfileAccess } from "./caddyfile-check";
import { keepCaddyfileInStep } from "./caddyfile-sync";
import { adoptCaddy } from "./caddy-adopt";
import type { ProxyDriver, SetUpstreamsOptions } from "./proxy-driver";

export interface CaddyDriverDeps {
  /** Its admin API (reached through an SSH-forwarded stream); `upstreamId` defaults to "pixelfox_upstream". */
  admin: CaddyOptions;
  /**
   * Where the panel knows PixelFox's app listens (e.g. 127.0.0.1:4000 and 127.0.0.1:4001): finds the
   * reverse_proxy by its upstream when no handler has the `@id` (a Caddyfile cannot set one).
   */
  knownDials?: readonly string[];
  /** The Caddyfile Caddy runs from, kept in step with each switch; null when Caddy runs from JSON. */
  caddyfile?: CaddyfileAccess | null;
  /** From findCaddyfile: Caddy was started with --resume. */
  isResume?: boolean;
}

/** Caddy as the proxy: live switch through the admin API, then the Caddyfile rewritten to match. */
export function createCaddyDriver(deps: CaddyDriverDeps): ProxyDriver {
  const upstreamId = deps.admin.upstreamId ?? "pixelfox_upstream";
  let lastSeen: string[] = [];
  const locator = (extra: readonly string[] = []): UpstreamLocator => {
    const hints = [...new Set([...extra, ...(deps.knownDials ?? []), ...lastSeen])];
    return hints.length ? locateByIdOrDials(upstreamId, hints) : locateByIdOrOnly(upstreamId);
  };
  const host = deps.admin.target.name;
  const describe = () =>
    deps.caddyfile
      ? `Caddy on ${host} (Caddyfile ${deps.caddyfile.files.locate(deps.caddyfile.path)})`
      : `Caddy on ${host} (admin API only)`;

  return {
    kind: "caddy",
    describe,
    async readUpstreams() {
      const location = await withCaddyAdmin(deps.admin, (admin) => locator()(admin));
      lastSeen = location.current ?? lastSeen;
      return location.current ?? [];
    },
    async setUpstreams(dials, options: SetUpstreamsOptions = {}) {
      // Security: every address is validated before it reaches Caddy's config or the Caddyfile.
      assertValidDials(dials);
      if (options.expected) assertValidDials(options.expected);
      const switched = await withCaddyAdmin(deps.admin, (admin) =>
        switchUpstreamsAt(admin, locator([...(options.expected ?? []), ...dials]), dials, { expected: options.expected }),
      );
      lastSeen = switched.upstreams;
      if (!deps.caddyfile) return switched.upstreams;
      const from = [switched.previous ?? [], ...(options.expected ? [[...options.expected]] : [])];
      try {
        await keepCaddyfileInStep(deps.caddyfile, from, switched.upstreams);
      } catch (err) {
        const message = fileBehindMessage(describe(), deps.caddyfile, switched.upstreams, switched.previous, err);
        if (options.onWarning) options.onWarning(message);
        else
          throw new AppError("REMOTE_FAILED", message, {
            host,
            action: "keep the Caddyfile in step",
            cause: err,
            data: { isLiveSwitched: true, upstreams: switched.upstreams, caddyfile: deps.caddyfile.files.locate(deps.caddyfile.path) },
          });
      }
      return switched.upstreams;
    },
    adopt: (currentDial) => adoptCaddy({ ...deps, locator, describe }, currentDial),
  };
}

function fileBehindMessage(
  proxy: string,
  access: CaddyfileAccess,
  now: readonly string[],
  previous: readonly string[] | null,
  err: unknown,
): string {
  const why = isAppError(err) ? err.message.replace(/\.$/, "") : "unexpected error (see the panel's log)";
  const file = access.files.locate(access.path);
  return (
    `${proxy} now sends PixelFox's traffic to ${now.join(", ")} (switched live through its admin API), but its Caddyfile is behind: ${why}. ` +
    `Until ${file} says \`reverse_proxy ${now.join(" ")}\`, a restart of the proxy would send traffic back to ${previous?.join(", ") || "its old upstream"}. ` +
    `Fix the file by hand (check it with \`caddy adapt --config <file>\`), or switch again once the cause is fixed; the live switch was not rolled back.`
  );
}
