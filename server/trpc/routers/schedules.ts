import { z } from "zod";
import { ZId, ZStackRef } from "@/server/domain/fields";
import { ZScheduleInput } from "@/server/domain/schedules";
import { createSchedule, deleteSchedule, listSchedules, updateSchedule } from "@/server/services/schedules/schedules";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../init";

/** Backup, uploads and drill schedules with their retention (the database page's "Schedules"). */
export const schedulesRouter = createTRPCRouter({
  list: viewerProcedure.input(z.object({ stack: ZStackRef })).query(({ input }) => listSchedules(input.stack)),
  create: adminProcedure
    .input(ZScheduleInput.extend({ stack: ZStackRef }))
    .mutation(({ input: { stack, ...rest }, ctx }) => createSchedule(stack, rest, ctx.actor)),
  update: adminProcedure
    .input(ZScheduleInput.extend({ id: ZId }))
    .mutation(({ input: { id, ...rest }, ctx }) => updateSchedule(id, rest, ctx.actor)),
  delete: adminProcedure.input(z.object({ id: ZId })).mutation(async ({ input, ctx }) => {
    await deleteSchedule(input.id, ctx.actor);
    return { id: input.id };
  }),
});
