import { AppError } from "@/server/errors";
import type { NginxContext } from "./nginx-apply";
import { findPidFile } from "./nginx-reload";
import { assertAbsolutePath, type ProxyFiles } from "./proxy-files";
import type { ProxyRunner } from "./proxy-runner";

export interface NginxDriverDeps {
  /** Runs nginx: `docker exec` in its container, or SSH on the host. */
  runner: ProxyRunner;
  /** Its config files, by the paths nginx sees (usually createRunnerFiles(runner)). */
  files: ProxyFiles;
  /** The PixelFox site, e.g. /etc/nginx/sites-enabled/pixelfox. */
  sitePath: string;
  /** Default /etc/nginx/pixelfox-upstream.conf: must not match an include glob of nginx.conf. */
  upstreamPath?: string;
  /** Default "pixelfox_upstream". */
  upstreamName?: string;
  /** Default /etc/nginx/pixelfox-prev: previous versions of changed files. */
  backupDir?: string;
  /** Default ["nginx"]. */
  nginxCommand?: readonly string[];
}

export interface NginxLayout extends NginxContext {
  sitePath: string;
  upstreamPath: string;
  upstreamName: string;
}

/** The driver's settings resolved and checked, with the apply context. */
export function resolveLayout(deps: NginxDriverDeps): NginxLayout {
  const upstreamPath = deps.upstreamPath ?? "/etc/nginx/pixelfox-upstream.conf";
  const backupDir = deps.backupDir ?? "/etc/nginx/pixelfox-prev";
  const upstreamName = deps.upstreamName ?? "pixelfox_upstream";
  // Security: these paths and the name are written into nginx config text; only plain ones pass.
  assertAbsolutePath(deps.sitePath, "sitePath");
  assertAbsolutePath(upstreamPath, "upstreamPath");
  assertAbsolutePath(backupDir, "backupDir");
  if (!/^[A-Za-z0-9_]{1,64}$/.test(upstreamName)) {
    throw new AppError("BAD_REQUEST", `upstreamName must be letters, digits and "_" (at most 64), got "${upstreamName.slice(0, 80)}".`, {
      data: { field: "upstreamName" },
    });
  }
  const nginxCommand = deps.nginxCommand ?? ["nginx"];
  let pidFile: Promise<string | null> | undefined;
  return {
    runner: deps.runner,
    files: deps.files,
    nginxCommand,
    pidFile: () => (pidFile ??= findPidFile(deps.runner, nginxCommand).catch(() => null)),
    backupDir,
    sitePath: deps.sitePath,
    upstreamPath,
    upstreamName,
    describe: () => `Nginx ${deps.runner.where} (site ${deps.files.locate(deps.sitePath)})`,
  };
}

export async function readSiteText(layout: NginxLayout): Promise<string> {
  const site = await layout.files.read(layout.sitePath);
  if (site === null) {
    throw new AppError(
      "NOT_FOUND",
      `${layout.describe()}: there is no site file at ${layout.files.locate(layout.sitePath)}: give the path of the enabled PixelFox site.`,
      {
        data: { field: "sitePath" },
      },
    );
  }
  return site;
}
