import { z } from "zod";
import { getStackRow } from "@/server/services/inventory/stacks";
import { monitorOtherHosts, monitorStack } from "@/server/services/health/monitor";
import { getHealthOverview } from "@/server/services/health/overview";
import { getHostHealth } from "@/server/services/health/host-health";
import { getOtherHostsOverview, OTHER_HOSTS } from "@/server/services/health/other-hosts";
import { listSampleSeries } from "@/server/services/health/samples";
import { getServiceHealth } from "@/server/services/health/service-health";
import { createTRPCRouter, deployerProcedure, viewerProcedure } from "../init";
import { ZStackRef, ZId } from "@/server/domain/fields";

const ZMetric = z.string().regex(/^[A-Za-z0-9]{1,32}$/);

export const healthRouter = createTRPCRouter({
  overview: viewerProcedure.input(z.object({ stack: ZStackRef })).query(({ input }) => getHealthOverview(input.stack)),
  /** Sweep now: a round that starts after the click (waits out an older one); read-only on the hosts. */
  checkNow: deployerProcedure.input(z.object({ stack: ZStackRef })).mutation(async ({ input }) => {
    const stack = await getStackRow(input.stack);
    const sweep = await monitorStack({ id: stack.id, name: stack.name }, { fresh: true });
    return { startedAt: sweep.startedAt, durationMs: sweep.durationMs };
  }),
  /** Hosts placed in no stack: reachability and host figures from their own sweep. */
  otherHosts: viewerProcedure.query(() => getOtherHostsOverview()),
  checkOtherHosts: deployerProcedure.mutation(async () => {
    const sweep = await monitorOtherHosts({ fresh: true });
    return { startedAt: sweep.startedAt, durationMs: sweep.durationMs };
  }),
  host: viewerProcedure.input(z.object({ id: ZId })).query(({ input }) => getHostHealth(input.id)),
  service: viewerProcedure.input(z.object({ id: ZId })).query(({ input }) => getServiceHealth(input.id)),
  /** `stack` "" reads the samples of the hosts placed in no stack. */
  series: viewerProcedure
    .input(
      z.object({
        stack: z.union([z.literal(""), ZStackRef]),
        subject: z.string().min(1).max(300),
        metrics: z.array(ZMetric).min(1).max(8),
        hours: z
          .number()
          .int()
          .min(1)
          .max(24 * 30)
          .default(24),
      }),
    )
    .query(async ({ input }) => {
      const stackId = input.stack === "" ? OTHER_HOSTS.id : (await getStackRow(input.stack)).id;
      return listSampleSeries(stackId, input.subject, input.metrics, input.hours * 3600_000);
    }),
});
