import { z } from "zod";
import { ZContainerName, ZId, ZImageTag, ZName, ZStackRef } from "@/server/domain/fields";
import { listRegistryTags } from "@/server/services/deploy/registry-tags";
import { listDeployments } from "@/server/services/deploy/history";
import { readLiveState } from "@/server/services/deploy/live-state";
import { removeLeftoverCandidate } from "@/server/services/deploy/leftovers";
import { startDeployment, startRollback } from "@/server/services/deploy/start-deployment";
import { getStackLock } from "@/server/jobs/stack-lock";
import { getStackRow } from "@/server/services/inventory/stacks";
import { createTRPCRouter, deployerProcedure, viewerProcedure } from "../init";

export const deployRouter = createTRPCRouter({
  tags: viewerProcedure.input(z.object({ stack: ZStackRef })).query(({ input }) => listRegistryTags(input.stack)),
  history: viewerProcedure
    .input(z.object({ stack: ZStackRef, limit: z.number().int().min(1).max(200).default(50) }))
    .query(({ input }) => listDeployments(input.stack, input.limit)),
  live: viewerProcedure.input(z.object({ stack: ZStackRef })).query(({ input }) => readLiveState(input.stack)),
  lock: viewerProcedure.input(z.object({ stack: ZStackRef })).query(async ({ input }) => getStackLock((await getStackRow(input.stack)).id)),
  start: deployerProcedure
    .input(z.object({ stack: ZStackRef, tag: ZImageTag }))
    .mutation(({ input, ctx }) => startDeployment({ stack: input.stack, tag: input.tag }, ctx.actor)),
  removeLeftover: deployerProcedure
    .input(z.object({ stack: ZStackRef, host: ZName, container: ZContainerName }))
    .mutation(({ input, ctx }) => removeLeftoverCandidate(input, ctx.actor)),
  rollback: deployerProcedure
    .input(z.object({ stack: ZStackRef, deploymentId: ZId.optional() }))
    .mutation(({ input, ctx }) => startRollback(input, ctx.actor)),
});
