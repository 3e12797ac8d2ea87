import { z } from "zod";
import { getJob, listJobs, readJobLog } from "@/server/jobs/queries";
import { cancelJob } from "@/server/jobs/runner";
import { createTRPCRouter, deployerProcedure, viewerProcedure } from "../init";

export const ZJobId = z.object({ id: z.string().min(1).max(64) });
export const ZListJobsInput = z
  .object({ stackId: z.string().min(1).max(64).optional(), limit: z.number().int().min(1).max(500).default(50) })
  .default({ limit: 50 });
export const ZJobLogInput = z.object({
  id: z.string().min(1).max(64),
  afterSeq: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(5_000).default(1_000),
});

/** Jobs: read by any role; cancelling needs DEPLOYER. Live progress comes from /api/jobs/[id]/events. */
export const jobRouter = createTRPCRouter({
  get: viewerProcedure.input(ZJobId).query(({ input }) => getJob(input.id)),
  list: viewerProcedure.input(ZListJobsInput).query(({ input }) => listJobs(input)),
  log: viewerProcedure.input(ZJobLogInput).query(({ input }) => readJobLog(input.id, input.afterSeq, input.limit)),
  cancel: deployerProcedure.input(ZJobId).mutation(({ ctx, input }) => cancelJob(input.id, ctx.actor)),
});
