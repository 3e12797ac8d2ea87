import { apiRoute, readJson } from "@/server/http/api-route";
import { ZStackRef } from "@/server/domain/fields";
import { ZDeployBody } from "@/server/http/deploy-api";
import { listDeployments } from "@/server/services/deploy/history";
import { startDeployment } from "@/server/services/deploy/start-deployment";

export const dynamic = "force-dynamic";

export const POST = apiRoute(
  "DEPLOYER",
  async ({ req, actor, params }) => {
    const stack = ZStackRef.parse(params.stack);
    const body = await readJson(req, ZDeployBody);
    const started = await startDeployment({ stack, tag: body.tag, waitMs: (body.waitSeconds ?? 0) * 1000 }, actor);
    return Response.json(
      { ...started, status: "queued", links: { job: `/api/v1/jobs/${started.jobId}`, logs: `/api/v1/jobs/${started.jobId}/logs` } },
      { status: 202 },
    );
  },
  { scoped: "stack" },
);

export const GET = apiRoute(
  "VIEWER",
  async ({ params }) => {
    return Response.json({ deployments: await listDeployments(ZStackRef.parse(params.stack)) });
  },
  { scoped: "stack" },
);
