import { guardedFetch } from "@/server/adapters/http/guarded-fetch";
import type { OutboundDeps } from "@/server/adapters/http/outbound-guard";
import { OUTBOUND } from "@/server/adapters/http/outbound-purposes";
import { AppError, isAppError } from "@/server/errors";

/**
 * POST a Slack-compatible message (`{"text": …}`) to a webhook. Non-2xx or no answer within
 * `timeoutMs` throws REMOTE_FAILED naming the status, so the alert history can show why.
 * Security: redirects are not followed (a webhook must not bounce the panel elsewhere), and the
 * outbound guard refuses the panel's own port and link-local / metadata addresses, on the address
 * actually connected to. Messages name the host only: a webhook's path often is its secret.
 */
export async function sendWebhook(url: string, text: string, timeoutMs = 5000, deps: OutboundDeps = {}): Promise<void> {
  let res: Response;
  try {
    res = await guardedFetch(
      url,
      {
        method: "POST",
        signal: AbortSignal.timeout(timeoutMs),
        headers: { "content-type": "application/json", "user-agent": "pixelfox-ops/alerts" },
        body: JSON.stringify({ text }),
      },
      OUTBOUND.webhook,
      deps,
    );
  } catch (err) {
    if (isAppError(err)) throw err;
    const e = err as { name?: string; message?: string; cause?: { code?: string } };
    const why = e.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message ?? "failed");
    throw new AppError("REMOTE_FAILED", `The webhook ${new URL(url).host} could not be reached (${why}).`, { cause: err });
  }
  await res.body?.cancel().catch(() => undefined);
  if (res.status < 200 || res.status >= 300) {
    throw new AppError("REMOTE_FAILED", `The webhook ${new URL(url).host} answered HTTP ${res.status}; check the URL.`);
  }
}
