import { AppError } from "@/server/errors";
import { errorResponse } from "@/server/http/error-response";
import { getJob } from "@/server/jobs/queries";
import type { JobView } from "@/server/jobs/types";
import { resolveActor } from "@/server/trpc/context";

export type JobRouteContext = { params: Promise<{ id: string }> };

/**
 * Shared by the job routes: any signed-in role (session cookie or bearer token) may read a job.
 * Returns the job, or the JSON error Response to send.
 */
export async function loadJobForRequest(req: Request, context: JobRouteContext): Promise<JobView | Response> {
  const actor = await resolveActor(req.headers);
  if (!actor) return errorResponse(new AppError("UNAUTHORIZED", "Sign in first, or send an API token as `Authorization: Bearer …`"));
  const { id } = await context.params;
  try {
    return await getJob(id);
  } catch (err) {
    return errorResponse(err);
  }
}
