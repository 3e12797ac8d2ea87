import { apiRoute, readJson } from "@/server/http/api-route";
import { ZRollbackBody, ZStackParam } from "@/server/http/deploy-api";
import { startRollback } from "@/server/services/deploy/start-deployment";

export const dynamic = "force-dynamic";

export const POST = apiRoute("DEPLOYER", async ({ req, actor, params }) => {
  const stack = ZStackParam.parse(params.stack);
  const body = await readJson(req, ZRollbackBody);
  const started = await startRollback({ stack, deploymentId: body.deploymentId, waitMs: (body.waitSeconds ?? 0) * 1000 }, actor);
  return Response.json({ ...started, status: "queued", links: { job: `/api/v1/jobs/${started.jobId}`, logs: `/api/v1/jobs/${started.jobId}/logs` } }, { status: 202 });
});
