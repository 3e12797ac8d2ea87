import { flattenFieldErrors, describeFieldErrors } from "@/server/field-errors";
import { isAppError, toHttpStatus } from "@/server/errors";
import { isRequestRefused, refusalResponse } from "./request-guard";
import { describeStoreFull } from "@/server/store-full";

/** The REST API's error body: `{ error: { code, message, … } }`. */
export function jsonError(status: number, code: string, message: string, extra: Record<string, unknown> = {}): Response {
  return Response.json({ error: { code, message, ...extra } }, { status });
}

/**
 * The one mapper from a thrown error to an HTTP answer, for every route handler: a refused request
 * (another site, body too large, not JSON) → 403/413/415; bad input → 400
 * naming the field and the rule; an AppError → its status with the host and details; anything else
 * → 500 whose detail goes to the server log, never to the caller. (isAppError, not instanceof: the
 * SSH pool lives in another bundle, so its errors are another copy of the class.)
 */
export function errorResponse(thrown: unknown): Response {
  if (isRequestRefused(thrown)) return refusalResponse(thrown);
  const err = describeStoreFull(thrown) ?? thrown;
  if (isAppError(err)) {
    const field = typeof err.data?.field === "string" ? { fieldErrors: { [err.data.field]: [err.message] } } : {};
    return jsonError(toHttpStatus(err.code), err.code, err.message, { host: err.host ?? null, details: err.data ?? null, ...field });
  }
  const fieldErrors = flattenFieldErrors(err, "_body");
  if (fieldErrors) return jsonError(400, "BAD_REQUEST", describeFieldErrors(fieldErrors), { fieldErrors });
  console.error("[api] internal error:", err);
  return jsonError(500, "INTERNAL", "Internal error: see the panel's server log");
}
