import { NextRequest } from "next/server";
import { handlers } from "@/auth";
import { errorResponse } from "@/server/http/error-response";
import { getPanelSite, resolvePanelOrigin } from "@/server/http/panel-url";
import { BODY_LIMITS, guardRequest } from "@/server/http/request-guard";

export const dynamic = "force-dynamic";
export const { GET } = handlers;

/**
 * Auth.js's POSTs (credentials callback, sign-out) come before any session: the body is limited
 * (BODY_LIMITS.auth) and read only that far, and another site's form is refused on top of Auth.js's
 * own CSRF token. The body is a form, not JSON.
 */
export async function POST(req: NextRequest): Promise<Response> {
  let guarded: Request;
  try {
    guarded = await guardRequest(req, {
      maxBytes: BODY_LIMITS.auth,
      isJson: false,
      panelOrigin: resolvePanelOrigin(req.headers, getPanelSite()),
    });
  } catch (err) {
    return errorResponse(err);
  }
  return handlers.POST(new NextRequest(guarded));
}
