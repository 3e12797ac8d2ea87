import { apiRoute } from "@/server/http/api-route";
import { ZId } from "@/server/domain/fields";
import { cancelJob } from "@/server/jobs/runner";

export const dynamic = "force-dynamic";

/** Cancels a running job: the runner aborts its remote work (Docker streams, SSH channels) and cleans up. */
export const POST = apiRoute(
  "DEPLOYER",
  async ({ actor, params }) => {
    return Response.json(await cancelJob(ZId.parse(params.id), actor), { status: 202 });
  },
  { scoped: "own-job" },
);
