import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { errorResponse } from "@/server/http/error-response";
import { getPanelSite, resolvePanelOrigin } from "@/server/http/panel-url";
import { BODY_LIMITS, guardRequest } from "@/server/http/request-guard";
import { createTrpcContext } from "@/server/trpc/context";
import { appRouter } from "@/server/trpc/root";

export const dynamic = "force-dynamic";

/**
 * Security: before tRPC authenticates or reads anything, the request must be the panel's own (or an API
 * token's), a mutation's body JSON and at most BODY_LIMITS.trpc, read only that far (so an oversized POST
 * to a public procedure gets 413 and costs no memory). Queries are GETs, which browsers send without Origin:
 * Sec-Fetch-Site still refuses another site's, and no query changes state.
 */
async function handler(req: Request): Promise<Response> {
  let guarded: Request;
  try {
    guarded = await guardRequest(req, {
      maxBytes: BODY_LIMITS.trpc,
      isJson: true,
      panelOrigin: resolvePanelOrigin(req.headers, getPanelSite()),
    });
  } catch (err) {
    return errorResponse(err);
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: guarded,
    router: appRouter,
    createContext: () => createTrpcContext({ headers: guarded.headers }),
  });
}

export { handler as GET, handler as POST };
