import path from "node:path/posix";
import { AppError } from "@/server/errors";
import { OLD_WORKERS_LINGER, reloadAndWait } from "./nginx-reload";
import type { ProxyFiles } from "./proxy-files";
import type { ProxyRunner } from "./proxy-runner";

/** What a config change needs: where nginx runs, its files, and how to call it. */
export interface NginxContext {
  runner: ProxyRunner;
  files: ProxyFiles;
  /** e.g. ["nginx"], or ["nginx", "-p", prefix, "-c", conf] for a non-default layout. */
  nginxCommand: readonly string[];
  /** Where the previous version of each changed file is kept (outside every include glob). */
  backupDir: string;
  /** The master's pid file (found once, see findPidFile), to wait for its old workers after a reload. */
  pidFile: () => Promise<string | null>;
  /** "Nginx on app (site …)", for messages. */
  describe: () => string;
}

export interface FileChange {
  path: string;
  text: string;
}

/**
 * Apply config changes the way an operator would, but never half-way: keep a `.prev` copy of
 * every file, put the new texts in place, run `nginx -t` on the real config, and on success
 * `nginx -s reload` (graceful: old workers finish their requests), waiting until the old workers
 * take no new connections. nginx reads its files only at
 * -t and reload, so running nginx never sees a refused text; on a refused test or a failed reload
 * every file gets its previous bytes back (a file that did not exist is removed) and the error
 * quotes nginx.
 */
export async function applyNginxChanges(
  ctx: NginxContext,
  changes: readonly FileChange[],
  action: string,
): Promise<{ isApplied: boolean; warning: string | null }> {
  const previous = await Promise.all(changes.map((c) => ctx.files.read(c.path)));
  const pending = changes.filter((c, i) => previous[i] !== c.text);
  if (!pending.length) return { isApplied: false, warning: null };
  for (const [i, change] of changes.entries()) {
    const before = previous[i];
    if (before != null && before !== change.text) await ctx.files.write(backupOf(ctx, change.path), before);
  }
  const restore = async () => {
    for (const [i, change] of changes.entries()) {
      const before = previous[i];
      if (before === undefined || before === change.text) continue;
      if (before === null) await ctx.files.remove(change.path);
      else await ctx.files.write(change.path, before);
      if ((await ctx.files.read(change.path)) !== before) throw new Error(`${change.path} does not read back as it was`);
    }
  };
  try {
    for (const change of pending) await ctx.files.write(change.path, change.text);
  } catch (err) {
    await restoreOrSay(ctx, restore, changes);
    throw err;
  }
  const test = await ctx.runner.run([...ctx.nginxCommand, "-t"], { action: "check the config with nginx -t" });
  if (test.exitCode !== 0) {
    await restoreOrSay(ctx, restore, changes);
    throw new AppError(
      "REMOTE_FAILED",
      `nginx -t ${ctx.runner.where} refused the config to ${action}: ${quoteNginx(test.stderr)}. Nothing changed: the files have their previous content again and nginx was not reloaded.`,
      { action, data: { files: changes.map((c) => ctx.files.locate(c.path)) } },
    );
  }
  const reload = await reloadAndWait(ctx.runner, ctx.nginxCommand, await ctx.pidFile());
  if (reload.exitCode === OLD_WORKERS_LINGER) {
    return {
      isApplied: true,
      warning: `${ctx.describe()} reloaded with the new config, but workers started before the reload still took new connections 10 s later: check nginx's error log.`,
    };
  }
  if (reload.exitCode !== 0) {
    await restoreOrSay(ctx, restore, changes);
    throw new AppError(
      "REMOTE_FAILED",
      `nginx -s reload ${ctx.runner.where} failed while trying to ${action}: ${quoteNginx(reload.stderr)}. The files have their previous content again; is nginx running, with the pid file its config names?`,
      { action },
    );
  }
  return { isApplied: true, warning: null };
}

/** nginx's own complaint: its [emerg]/[alert]/[crit] lines, else the last lines of its output. */
export function quoteNginx(stderr: string): string {
  const lines = stderr.trim().split("\n");
  const serious = lines.filter((l) => /\[(emerg|alert|crit|error)\]/.test(l));
  return `"${(serious.length ? serious : lines.slice(-3)).join(" / ").slice(0, 600) || "no output"}"`;
}

function backupOf(ctx: NginxContext, file: string): string {
  return path.join(ctx.backupDir, `${path.basename(file)}.prev`);
}

async function restoreOrSay(ctx: NginxContext, restore: () => Promise<void>, changes: readonly FileChange[]): Promise<void> {
  try {
    await restore();
  } catch (err) {
    const files = changes.map((c) => `${ctx.files.locate(c.path)} (previous copy: ${ctx.files.locate(backupOf(ctx, c.path))})`).join(", ");
    throw new AppError(
      "REMOTE_FAILED",
      `${ctx.describe()}: a refused change could not be undone, so these files may hold the refused text: ${files}. Copy the previous versions back by hand and run nginx -t before any reload.`,
      { cause: err },
    );
  }
}
