import { AppError } from "@/server/errors";
import { errorResponse, jsonError } from "@/server/http/error-response";
import { getPanelSite, resolvePanelOrigin } from "@/server/http/panel-url";
import { assertNotCrossSite } from "@/server/http/request-guard";
import { getJob } from "@/server/jobs/queries";
import type { JobView } from "@/server/jobs/types";
import { checkTokenScope } from "@/server/services/tokens/token-scope";
import { resolveCaller } from "@/server/trpc/context";

export type JobRouteContext = { params: Promise<{ id: string }> };

/**
 * Shared by the job routes: any signed-in role (session cookie or bearer token) may read a job; a
 * token limited to one stack's deploys only the jobs it started. Returns the job, or the JSON error
 * Response to send. Security: another site's page cannot pull a job's log with the admin's cookie
 * (Sec-Fetch-Site), as for every API route.
 */
export async function loadJobForRequest(req: Request, context: JobRouteContext): Promise<JobView | Response> {
  try {
    assertNotCrossSite(req, resolvePanelOrigin(req.headers, getPanelSite()));
  } catch (err) {
    return errorResponse(err);
  }
  const { actor, refusal } = await resolveCaller(req.headers);
  if (!actor)
    return refusal
      ? jsonError(401, "UNAUTHORIZED", refusal)
      : errorResponse(new AppError("UNAUTHORIZED", "Sign in first, or send an API token as `Authorization: Bearer …`"));
  const { id } = await context.params;
  try {
    await checkTokenScope(actor, { kind: "own-job", jobId: id });
    return await getJob(id);
  } catch (err) {
    return errorResponse(err);
  }
}
