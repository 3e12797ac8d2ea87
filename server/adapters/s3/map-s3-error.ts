import { AppError, isAppError, type AppErrorCode } from "@/server/errors";
import type { S3FailureReason } from "./types";

export interface S3ErrorContext {
  endpoint: string;
  bucket: string;
  /** What the panel was doing, e.g. "uploading backup c123…". */
  action: string;
}

const AUTH_NAMES = new Set([
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "AccessDenied",
  "InvalidToken",
  "ExpiredToken",
  "AuthorizationHeaderMalformed",
  "InvalidClientTokenId",
]);
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ECONNRESET", "EPIPE"]);

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

function classify(err: { name?: string; code?: string; $metadata?: { httpStatusCode?: number } }): S3FailureReason {
  const status = err.$metadata?.httpStatusCode;
  if (err.name === "NoSuchBucket") return "bucket-missing";
  if (err.name && AUTH_NAMES.has(err.name)) return "auth";
  if (err.name === "NotFound" || err.name === "NoSuchKey") return "not-found";
  if (err.name === "TimeoutError" || err.code === "ETIMEDOUT" || err.name === "RequestTimeout") return "timeout";
  if (err.code && UNREACHABLE_CODES.has(err.code)) return "unreachable";
  if (status === 403 || status === 401) return "auth";
  return "other";
}

const CODES: Record<S3FailureReason, AppErrorCode> = {
  unreachable: "HOST_UNREACHABLE",
  timeout: "HOST_TIMEOUT",
  auth: "HOST_AUTH_FAILED",
  "bucket-missing": "REMOTE_FAILED",
  "not-found": "NOT_FOUND",
  other: "REMOTE_FAILED",
};

/**
 * One readable AppError for any SDK or socket failure: what failed, at which endpoint and bucket, and
 * what to do. Security: the secret key is never part of an SDK error; the access key id is not echoed.
 */
export function mapS3Error(err: unknown, ctx: S3ErrorContext): AppError {
  if (isAppError(err)) return err;
  const e = (err ?? {}) as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const reason = classify(e);
  const where = `${ctx.endpoint} (bucket ${ctx.bucket})`;
  const status = e.$metadata?.httpStatusCode;
  const detail = [e.name && e.name !== "Error" ? e.name : e.code, status ? `HTTP ${status}` : null].filter(Boolean).join(", ");
  const messages: Record<S3FailureReason, string> = {
    unreachable: `Off-site storage endpoint ${ctx.endpoint} is unreachable (${e.code ?? e.message ?? "no answer"}) while ${ctx.action}: check the endpoint URL and that the S3 server is running and reachable from the panel.`,
    timeout: `Off-site storage endpoint ${ctx.endpoint} did not answer in time while ${ctx.action}: check the endpoint and the network, then retry.`,
    auth: `Off-site storage at ${where} refused the credentials (${detail || "access denied"}) while ${ctx.action}: check the access key id and the secret key in the off-site settings, and that the key may write to this bucket.`,
    "bucket-missing": `Bucket ${ctx.bucket} does not exist at ${ctx.endpoint} (NoSuchBucket) while ${ctx.action}: create the bucket or correct its name in the off-site settings.`,
    "not-found": `The object was not found at ${where} while ${ctx.action}.`,
    other: `Off-site storage at ${where} failed while ${ctx.action}${detail ? ` (${detail})` : ""}: ${e.message ?? "unknown error"}.`,
  };
  return new AppError(CODES[reason], messages[reason], {
    host: hostOf(ctx.endpoint),
    action: ctx.action,
    data: { reason, endpoint: ctx.endpoint, bucket: ctx.bucket },
    cause: err,
  });
}
