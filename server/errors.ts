/**
 * One error type for the whole server. Services and adapters throw AppError with a code;
 * the tRPC error formatter and the HTTP routes translate the code once (see toTrpcCode / toHttpStatus).
 * Messages are written for the operator: what happened, on which host, what to do next.
 */
export type AppErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "HOST_UNREACHABLE"
  | "HOST_TIMEOUT"
  | "HOST_AUTH_FAILED"
  | "HOST_KEY_UNPINNED"
  | "HOST_KEY_MISMATCH"
  | "DOCKER_SOCKET_MISSING"
  | "REMOTE_FAILED"
  | "INTERNAL";

export interface AppErrorDetails {
  /** Host name (inventory name or address) the failure happened on. */
  host?: string;
  /** What the panel was doing, e.g. "open SSH connection", "list containers". */
  action?: string;
  /** Machine-readable extras safe to show (never secrets). */
  data?: Record<string, unknown>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly host?: string;
  readonly action?: string;
  readonly data?: Record<string, unknown>;

  constructor(code: AppErrorCode, message: string, details: AppErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "AppError";
    this.code = code;
    this.host = details.host;
    this.action = details.action;
    this.data = details.data;
  }
}

/**
 * Also true for an AppError built by another copy of this module: Next bundles the instrumentation
 * hook (which creates the process-wide SSH pool) apart from the routes, so errors the pool throws
 * are not `instanceof` the routes' AppError. The name and a string code identify it.
 */
export function isAppError(err: unknown): err is AppError {
  if (err instanceof AppError) return true;
  return err instanceof Error && err.name === "AppError" && typeof (err as { code?: unknown }).code === "string";
}

type TrpcCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "BAD_GATEWAY"
  | "GATEWAY_TIMEOUT"
  | "INTERNAL_SERVER_ERROR";

const TRPC_CODES: Record<AppErrorCode, TrpcCode> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
  HOST_UNREACHABLE: "BAD_GATEWAY",
  HOST_TIMEOUT: "GATEWAY_TIMEOUT",
  HOST_AUTH_FAILED: "BAD_GATEWAY",
  HOST_KEY_UNPINNED: "PRECONDITION_FAILED",
  HOST_KEY_MISMATCH: "BAD_GATEWAY",
  DOCKER_SOCKET_MISSING: "BAD_GATEWAY",
  REMOTE_FAILED: "BAD_GATEWAY",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

const HTTP_STATUS: Record<TrpcCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  BAD_GATEWAY: 502,
  GATEWAY_TIMEOUT: 504,
  INTERNAL_SERVER_ERROR: 500,
};

export function toTrpcCode(code: AppErrorCode): TrpcCode {
  return TRPC_CODES[code];
}

export function toHttpStatus(code: AppErrorCode): number {
  return HTTP_STATUS[TRPC_CODES[code]];
}
