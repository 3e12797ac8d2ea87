import { AppError, isAppError } from "@/server/errors";
import { mapSshError } from "@/server/adapters/ssh/map-ssh-error";
import { describeTarget, type SshTarget } from "@/server/adapters/ssh/types";
import { redactPatterns } from "@/server/redact";

export interface DockerErrorContext {
  target: SshTarget;
  /** What the panel was doing, e.g. "stop container pxlfox-app". */
  action: string;
  /** What a 404 means, e.g. "container pxlfox-app" (default "the requested object"). */
  subject?: string;
}

/**
 * Translate a dockerode / Engine API error into an AppError naming the host and the action.
 * Transport errors (no HTTP status) are SSH errors and go through mapSshError.
 */
export function mapDockerError(err: unknown, ctx: DockerErrorContext): AppError {
  if (isAppError(err)) return err;
  const e = (err ?? {}) as { statusCode?: unknown; json?: unknown; message?: unknown };
  const status = typeof e.statusCode === "number" ? e.statusCode : undefined;
  if (status === undefined) return mapSshError(err, ctx);

  const host = describeTarget(ctx.target);
  const engineMessage = redactPatterns(dockerMessage(e));
  const details = { host: ctx.target.name, action: ctx.action, data: { statusCode: status, dockerMessage: engineMessage }, cause: err };
  if (status === 404) {
    return new AppError(
      "NOT_FOUND",
      `${capitalize(ctx.subject ?? "the requested object")} not found on ${host} (while trying to ${ctx.action}). Refresh the list; it may have been removed.`,
      details,
    );
  }
  if (status === 409) {
    return new AppError("CONFLICT", `Could not ${ctx.action} on ${host}: Docker reports a conflict: ${engineMessage}`, details);
  }
  if (status === 400) {
    return new AppError("BAD_REQUEST", `Could not ${ctx.action} on ${host}: Docker rejected the request: ${engineMessage}`, details);
  }
  return new AppError(
    "REMOTE_FAILED",
    `Could not ${ctx.action} on ${host}: the Docker Engine answered HTTP ${status}: ${engineMessage}. Check the Docker daemon's logs on the host.`,
    details,
  );
}

function dockerMessage(e: { json?: unknown; message?: unknown }): string {
  const json = e.json as { message?: unknown } | null | undefined;
  if (json && typeof json === "object" && typeof json.message === "string") return json.message;
  if (Buffer.isBuffer(e.json)) return e.json.toString("utf8").trim();
  return typeof e.message === "string" ? e.message.trim() : "unknown error";
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
