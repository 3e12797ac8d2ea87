import { z } from "zod";
import { startBackup, startRestore } from "@/server/services/backups/backup-jobs";
import { startDrill } from "@/server/services/drills/drills";
import { getBackupHealth } from "@/server/services/backups/backup-health";
import { BACKUP_ID, listBackups } from "@/server/services/backups/backups";
import { deleteBackup } from "@/server/services/backups/delete-backup";
import { startUploadsBackup } from "@/server/services/uploads/uploads-jobs";
import { adminProcedure, createTRPCRouter, deployerProcedure, viewerProcedure } from "../init";
import { ZStackRef } from "@/server/domain/fields";

// Security: ids only; a path never gets this far.
const ZBackupId = z.string().regex(BACKUP_ID, "Not a backup id");

export const backupsRouter = createTRPCRouter({
  list: viewerProcedure.input(z.object({ stack: ZStackRef })).query(({ input }) => listBackups(input.stack)),
  health: viewerProcedure.input(z.object({ stack: ZStackRef })).query(({ input }) => getBackupHealth(input.stack)),
  create: deployerProcedure.input(z.object({ stack: ZStackRef })).mutation(({ input, ctx }) => startBackup(input.stack, ctx.actor)),
  createUploads: deployerProcedure
    .input(z.object({ stack: ZStackRef }))
    .mutation(({ input, ctx }) => startUploadsBackup(input.stack, ctx.actor)),
  drill: deployerProcedure.input(z.object({ id: ZBackupId })).mutation(({ input, ctx }) => startDrill(input.id, ctx.actor)),
  restore: adminProcedure.input(z.object({ id: ZBackupId })).mutation(({ input, ctx }) => startRestore(input.id, ctx.actor)),
  delete: adminProcedure.input(z.object({ id: ZBackupId })).mutation(async ({ input, ctx }) => {
    const { warning } = await deleteBackup(input.id, ctx.actor);
    return { id: input.id, warning };
  }),
});
