import { apiRoute } from "@/server/http/api-route";
import { ZId } from "@/server/domain/fields";
import { getJob } from "@/server/jobs/queries";
import { getDeploymentByJob } from "@/server/services/deploy/history";

export const dynamic = "force-dynamic";

export const GET = apiRoute(
  "VIEWER",
  async ({ params }) => {
    const id = ZId.parse(params.id);
    const [job, deployment] = await Promise.all([getJob(id), getDeploymentByJob(id)]);
    return Response.json({ ...job, deployment });
  },
  { scoped: "own-job" },
);
