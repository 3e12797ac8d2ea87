import { z } from "zod";
import { startBackup, startRestore } from "@/server/services/db-ops/backup-jobs";
import { BACKUP_ID, deleteBackup, listBackups } from "@/server/services/db-ops/backups";
import { adminProcedure, createTRPCRouter, deployerProcedure, viewerProcedure } from "../init";

const ZStackRef = z.string().min(1).max(64);
// Security: ids only; a path never gets this far.
const ZBackupId = z.string().regex(BACKUP_ID, "Not a backup id");

export const backupsRouter = createTRPCRouter({
  list: viewerProcedure.input(z.object({ stack: ZStackRef })).query(({ input }) => listBackups(input.stack)),
  create: deployerProcedure.input(z.object({ stack: ZStackRef })).mutation(({ input, ctx }) => startBackup(input.stack, ctx.actor)),
  restore: adminProcedure.input(z.object({ id: ZBackupId })).mutation(({ input, ctx }) => startRestore(input.id, ctx.actor)),
  delete: adminProcedure.input(z.object({ id: ZBackupId })).mutation(async ({ input, ctx }) => {
    await deleteBackup(input.id, ctx.actor);
    return { id: input.id };
  }),
});
