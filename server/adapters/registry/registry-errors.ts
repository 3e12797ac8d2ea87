import { AppError } from "@/server/errors";
import { redact } from "@/server/redact";
import type { RegistryCredentials } from "./types";

/** What the error mappers need to know to write an operator-facing message. */
export interface RegistryErrorContext {
  /** `127.0.0.1:5000`, `ghcr.io`. */
  registryHost: string;
  baseUrl: string;
  /** Repository path inside the registry, `pixelfox/app`. */
  name: string;
  credentials?: RegistryCredentials;
}

/**
 * The registry's own error text from a distribution-spec error body
 * (`{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}`), or the raw body.
 */
export function readRegistryMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { errors?: { message?: unknown; code?: unknown }[]; message?: unknown; error?: unknown };
    const messages = (parsed.errors ?? [])
      .map((e) => (typeof e.message === "string" && e.message ? e.message : typeof e.code === "string" ? e.code : ""))
      .filter(Boolean);
    if (messages.length) return messages.join("; ");
    if (typeof parsed.message === "string") return parsed.message;
    if (typeof parsed.error === "string") return parsed.error;
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return body.trim().slice(0, 300);
}

/** Registry text is echoed to the operator: strip our own password and anything secret-shaped first. */
function clean(text: string, ctx: RegistryErrorContext): string {
  return redact(text, [ctx.credentials?.password]);
}

/** The registry (or its token endpoint) said no to our credentials, or wants some. */
export function credentialsRefused(ctx: RegistryErrorContext, status: number, registryText: string, cause?: unknown): AppError {
  const detail = registryText ? ` Registry says: ${clean(registryText, ctx)}.` : "";
  const data = { registry: ctx.registryHost, status };
  // Security: the message names the user, never the password.
  if (ctx.credentials) {
    return new AppError(
      "REMOTE_FAILED",
      `registry ${ctx.registryHost} refused the credentials for user ${ctx.credentials.username} (${status}): check the stack's registry username/password.${detail}`,
      { action: `read ${ctx.name} from the registry`, data, cause },
    );
  }
  return new AppError(
    "REMOTE_FAILED",
    `registry ${ctx.registryHost} requires credentials to read ${ctx.name} (${status}): set the stack's registry username/password.${detail}`,
    { action: `read ${ctx.name} from the registry`, data, cause },
  );
}

/** Map a non-2xx registry answer to an AppError. `subject` says what a 404 means ("tag v9 of …"). */
export function mapRegistryStatus(ctx: RegistryErrorContext, status: number, body: string, action: string, subject: string): AppError {
  const text = clean(readRegistryMessage(body), ctx);
  const details = { action, data: { registry: ctx.registryHost, status, registryMessage: text } };
  if (status === 401) return credentialsRefused(ctx, status, text);
  if (status === 404) {
    return new AppError(
      "NOT_FOUND",
      `${capitalize(subject)} not found in registry ${ctx.registryHost}: ${text || "not found"}. Check the name, or push it first.`,
      details,
    );
  }
  if (status === 403) {
    const who = ctx.credentials ? `user ${ctx.credentials.username}` : "anonymous access";
    return new AppError(
      "REMOTE_FAILED",
      `registry ${ctx.registryHost} denied ${who} access to ${ctx.name} (403): give the user pull access to the repository.${text ? ` Registry says: ${text}.` : ""}`,
      details,
    );
  }
  if (status === 429) {
    return new AppError(
      "REMOTE_FAILED",
      `registry ${ctx.registryHost} is rate-limiting the panel (429) while trying to ${action}: wait a few minutes, or use credentials with a higher limit.`,
      details,
    );
  }
  return new AppError(
    "REMOTE_FAILED",
    `registry ${ctx.registryHost} answered HTTP ${status} while trying to ${action}${text ? `: ${text}` : ""}. Check the registry's status and logs.`,
    details,
  );
}

/** Map a fetch failure (no HTTP answer) to HOST_TIMEOUT or HOST_UNREACHABLE, naming the URL. */
export function mapFetchError(err: unknown, url: string, action: string, timeoutMs: number): AppError {
  const e = err as { name?: unknown; cause?: { code?: unknown; message?: unknown } } | null;
  if (e?.name === "TimeoutError") {
    return new AppError(
      "HOST_TIMEOUT",
      `The registry at ${url} did not answer within ${Math.round(timeoutMs / 100) / 10} s while trying to ${action}: check that it is up and reachable from the panel, then retry.`,
      {
        action,
        data: { url, timeoutMs },
        cause: err,
      },
    );
  }
  const code =
    typeof e?.cause?.code === "string" ? e.cause.code : typeof e?.cause?.message === "string" ? e.cause.message : "network error";
  const hint = /CERT|SSL|TLS/i.test(code)
    ? "the TLS certificate could not be verified: check the registry URL and its certificate"
    : "check the registry URL and that the registry is running and reachable from the panel";
  return new AppError("HOST_UNREACHABLE", `Could not reach the registry at ${url} (${code}) while trying to ${action}: ${hint}.`, {
    action,
    data: { url, code },
    cause: err,
  });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
