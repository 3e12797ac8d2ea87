import { z } from "zod";
import { ZId } from "@/server/domain/fields";
import { ZServiceInput, ZUpdateServiceInput } from "@/server/domain/inventory";
import { createService, deleteService, listServices, updateService } from "@/server/services/inventory/services";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../init";

export const serviceRouter = createTRPCRouter({
  list: viewerProcedure.input(z.object({ stackId: ZId })).query(({ input }) => listServices(input.stackId)),
  create: adminProcedure.input(ZServiceInput).mutation(({ input, ctx }) => createService(input, ctx.actor)),
  update: adminProcedure.input(ZUpdateServiceInput).mutation(({ input, ctx }) => updateService(input, ctx.actor)),
  delete: adminProcedure.input(z.object({ id: ZId })).mutation(({ input, ctx }) => deleteService(input.id, ctx.actor)),
});
