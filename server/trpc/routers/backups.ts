import { z } from "zod";
import { startBackup, startRestore } from "@/server/services/db-ops/backup-jobs";
import { startDrill } from "@/server/services/db-ops/backup-drill";
import { getBackupHealth } from "@/server/services/db-ops/backup-health";
import { BACKUP_ID, listBackups } from "@/server/services/db-ops/backups";
import { deleteBackup } from "@/server/services/db-ops/delete-backup";
import { explainCronError } from "@/server/services/db-ops/cron";
import { createSchedule, deleteSchedule, listSchedules, SCHEDULE_KINDS, updateSchedule } from "@/server/services/db-ops/schedules";
import { startUploadsBackup } from "@/server/services/db-ops/uploads-jobs";
import { adminProcedure, createTRPCRouter, deployerProcedure, viewerProcedure } from "../init";

const ZStackRef = z.string().min(1).max(64);
// Security: ids only; a path never gets this far.
const ZBackupId = z.string().regex(BACKUP_ID, "Not a backup id");
const ZScheduleId = z.string().regex(BACKUP_ID, "Not a schedule id");
const ZKeep = z.number().int().min(0).max(1000);

export const ZScheduleInput = z.object({
  kind: z.enum(SCHEDULE_KINDS),
  cron: z.string().trim().min(1, "A cron expression is required").max(120).superRefine((value, ctx) => {
    const problem = explainCronError(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
  enabled: z.boolean(),
  keepLast: ZKeep,
  keepDaily: ZKeep,
  keepWeekly: ZKeep,
});
export type TScheduleInput = z.infer<typeof ZScheduleInput>;

export const backupsRouter = createTRPCRouter({
  list: viewerProcedure.input(z.object({ stack: ZStackRef })).query(({ input }) => listBackups(input.stack)),
  health: viewerProcedure.input(z.object({ stack: ZStackRef })).query(({ input }) => getBackupHealth(input.stack)),
  create: deployerProcedure.input(z.object({ stack: ZStackRef })).mutation(({ input, ctx }) => startBackup(input.stack, ctx.actor)),
  createUploads: deployerProcedure.input(z.object({ stack: ZStackRef })).mutation(({ input, ctx }) => startUploadsBackup(input.stack, ctx.actor)),
  drill: deployerProcedure.input(z.object({ id: ZBackupId })).mutation(({ input, ctx }) => startDrill(input.id, ctx.actor)),
  restore: adminProcedure.input(z.object({ id: ZBackupId })).mutation(({ input, ctx }) => startRestore(input.id, ctx.actor)),
  delete: adminProcedure.input(z.object({ id: ZBackupId })).mutation(async ({ input, ctx }) => {
    const { warning } = await deleteBackup(input.id, ctx.actor);
    return { id: input.id, warning };
  }),
  schedules: viewerProcedure.input(z.object({ stack: ZStackRef })).query(({ input }) => listSchedules(input.stack)),
  createSchedule: adminProcedure.input(ZScheduleInput.extend({ stack: ZStackRef })).mutation(({ input: { stack, ...rest }, ctx }) => createSchedule(stack, rest, ctx.actor)),
  updateSchedule: adminProcedure.input(ZScheduleInput.extend({ id: ZScheduleId })).mutation(({ input: { id, ...rest }, ctx }) => updateSchedule(id, rest, ctx.actor)),
  deleteSchedule: adminProcedure.input(z.object({ id: ZScheduleId })).mutation(async ({ input, ctx }) => {
    await deleteSchedule(input.id, ctx.actor);
    return { id: input.id };
  }),
});
