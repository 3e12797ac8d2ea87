import { isAppError } from "@/server/errors";
import type { CheckFailure } from "./types";

/**
 * Turn whatever a probe threw into a failure the operator can act on: a category (timeout,
 * refused, auth, hostkey, other) and the adapter's message, which already names host and cause.
 */
export function describeFailure(err: unknown): CheckFailure {
  if (isAppError(err)) {
    const reason = typeof err.data?.reason === "string" ? err.data.reason : "";
    const failure: CheckFailure = { code: err.code, category: categoryOf(err.code, reason, err.message), message: err.message };
    if (err.code === "HOST_KEY_MISMATCH" && typeof err.data?.presented === "string") {
      failure.presented = err.data.presented;
      if (typeof err.data.expected === "string") failure.expected = err.data.expected;
    }
    return failure;
  }
  const e = err as { code?: string; message?: string; name?: string };
  const message = e?.message ?? String(err);
  if (e?.code === "ECONNREFUSED") return { code: null, category: "refused", message: `connection refused (${message})` };
  if (e?.code === "ETIMEDOUT" || e?.name === "TimeoutError" || /timed? ?out/i.test(message))
    return { code: null, category: "timeout", message };
  if (e?.code === "ECONNRESET" || /connection is closed|reset/i.test(message))
    return { code: null, category: "refused", message: `the connection was closed (${message})` };
  return { code: null, category: "other", message };
}

function categoryOf(code: string, reason: string, message: string): string {
  switch (code) {
    case "HOST_TIMEOUT":
      return "timeout";
    case "HOST_AUTH_FAILED":
      return "auth";
    case "HOST_KEY_MISMATCH":
    case "HOST_KEY_UNPINNED":
      return "hostkey";
    case "HOST_UNREACHABLE":
      return reason === "refused" || /refused|nothing accepted/i.test(message) ? "refused" : "unreachable";
    default:
      return reason === "auth" ? "auth" : "other";
  }
}
