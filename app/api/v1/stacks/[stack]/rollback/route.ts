import { apiRoute, readJson } from "@/server/http/api-route";
import { ZStackRef } from "@/server/domain/fields";
import { ZRollbackBody } from "@/server/http/deploy-api";
import { startRollback } from "@/server/services/deploy/start-deployment";

export const dynamic = "force-dynamic";

export const POST = apiRoute(
  "DEPLOYER",
  async ({ req, actor, params }) => {
    const stack = ZStackRef.parse(params.stack);
    const body = await readJson(req, ZRollbackBody);
    const started = await startRollback({ stack, deploymentId: body.deploymentId, waitMs: (body.waitSeconds ?? 0) * 1000 }, actor);
    return Response.json(
      { ...started, status: "queued", links: { job: `/api/v1/jobs/${started.jobId}`, logs: `/api/v1/jobs/${started.jobId}/logs` } },
      { status: 202 },
    );
  },
  { scoped: "stack" },
);
