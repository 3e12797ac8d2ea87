import { z } from "zod";
import { ZId, ZStackRef } from "@/server/domain/fields";
import { ZCreateStackInput, ZUpdateStackInput } from "@/server/domain/inventory";
import {
  createStack,
  deleteStack,
  getStackRow,
  listStacks,
  setBackupEncryption,
  toStackView,
  updateDeploySettings,
  updateStack,
} from "@/server/services/inventory/stacks";
import { parseDeploySettings, ZDeploySettings } from "@/server/domain/deploy";
import { listServices } from "@/server/services/inventory/services";
import { stackViewFor } from "@/server/services/secrets/mask";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../init";

export const ZSetBackupEncryptionInput = z.object({ idOrName: ZStackRef, enabled: z.boolean({ error: "Must be true or false" }) });

export const stackRouter = createTRPCRouter({
  list: viewerProcedure.query(async ({ ctx }) => (await listStacks()).map((s) => stackViewFor(ctx.actor.role, s))),
  get: viewerProcedure.input(z.object({ idOrName: ZStackRef })).query(async ({ input, ctx }) => {
    const stack = stackViewFor(ctx.actor.role, toStackView(await getStackRow(input.idOrName)));
    return { stack, services: await listServices(stack.id) };
  }),
  deploySettings: viewerProcedure
    .input(z.object({ idOrName: ZStackRef }))
    .query(async ({ input }) => parseDeploySettings((await getStackRow(input.idOrName)).deploySettings)),
  setDeploySettings: adminProcedure
    .input(z.object({ idOrName: ZStackRef, settings: ZDeploySettings }))
    .mutation(({ input, ctx }) => updateDeploySettings(input.idOrName, input.settings, ctx.actor)),
  setBackupEncryption: adminProcedure
    .input(ZSetBackupEncryptionInput)
    .mutation(({ input, ctx }) => setBackupEncryption(input.idOrName, input.enabled, ctx.actor)),
  create: adminProcedure.input(ZCreateStackInput).mutation(({ input, ctx }) => createStack(input, ctx.actor)),
  update: adminProcedure.input(ZUpdateStackInput).mutation(({ input, ctx }) => updateStack(input, ctx.actor)),
  delete: adminProcedure.input(z.object({ id: ZId })).mutation(({ input, ctx }) => deleteStack(input.id, ctx.actor)),
});
