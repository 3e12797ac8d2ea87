import { z } from "zod";
import { ZOffsiteSettingsInput } from "@/server/domain/offsite";
import { BACKUP_ID } from "@/server/services/backups/backups";
import { startOffsiteRetry } from "@/server/services/offsite/offsite-retry";
import { getOffsiteView, saveOffsiteSettings } from "@/server/services/offsite/offsite-settings";
import { testOffsiteStorage } from "@/server/services/offsite/offsite-test";
import { adminProcedure, createTRPCRouter, deployerProcedure } from "../init";
import { ZStackRef } from "@/server/domain/fields";

/** Off-site (S3-compatible) storage of a stack's backups: settings and test for admins, retry for deployers. */
export const offsiteRouter = createTRPCRouter({
  get: adminProcedure.input(z.object({ stack: ZStackRef })).query(({ input }) => getOffsiteView(input.stack)),
  save: adminProcedure
    .input(ZOffsiteSettingsInput.extend({ stack: ZStackRef }))
    .mutation(({ input: { stack, ...rest }, ctx }) => saveOffsiteSettings(stack, rest, ctx.actor)),
  test: adminProcedure.input(z.object({ stack: ZStackRef })).mutation(({ input, ctx }) => testOffsiteStorage(input.stack, ctx.actor)),
  retry: deployerProcedure
    .input(z.object({ id: z.string().regex(BACKUP_ID, "Not a backup id") }))
    .mutation(({ input, ctx }) => startOffsiteRetry(input.id, ctx.actor)),
});
