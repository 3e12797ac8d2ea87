import { describeLostConnection, type StreamCommandResult } from "@/server/adapters/ssh/exec-stream";
import { describeTarget, type SshTarget } from "@/server/adapters/ssh/types";
import { AppError } from "@/server/errors";

export interface TarRunContext {
  /** "Uploads backup", "Uploads restore": how messages start. */
  what: string;
  /** What tar was doing, for a lost connection: "archiving the uploads". */
  doing: string;
  /** The error's action: "archive the uploads". */
  action: string;
  /** Said after the failure, e.g. where the previous state is kept. */
  after?: string;
  /** stderr lines that are not worth showing (tar's notices for files it kept on purpose). */
  ignore?: RegExp;
}

/**
 * Judges a tar run over SSH: a lost connection or a non-zero exit throws with the host, the reason
 * and the last lines tar wrote; otherwise returns those lines (warnings worth logging, or "").
 */
export function checkTarRun(result: StreamCommandResult, target: SshTarget, ctx: TarRunContext): string {
  const lines = result.stderrTail
    .trim()
    .split("\n")
    .filter((l) => l && !(ctx.ignore?.test(l) ?? false));
  const stderr = lines.slice(-10).join("\n");
  const details = { host: target.name, action: ctx.action };
  if (result.connectionLost)
    throw new AppError("HOST_UNREACHABLE", `${ctx.what} failed: ${describeLostConnection(target, ctx.doing)}.`, details);
  if (result.exitCode !== 0) {
    const why = result.timedOut
      ? "tar did not finish in time and was stopped"
      : result.exitCode === null
        ? `tar was killed${result.signal ? ` by SIG${result.signal}` : ""}`
        : `tar exited with ${result.exitCode}`;
    throw new AppError(
      "REMOTE_FAILED",
      `${ctx.what} failed on ${describeTarget(target)}: ${why}.${stderr ? ` Output: ${stderr}` : ""}${ctx.after ? ` ${ctx.after}` : ""}`,
      details,
    );
  }
  return stderr;
}
