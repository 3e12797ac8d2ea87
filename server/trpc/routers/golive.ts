import { z } from "zod";
import { ZId, ZImageTag, ZName, ZStackRef } from "@/server/domain/fields";
import { PROVISION_ROLES, ZGoLiveSettings } from "@/server/domain/golive";
import { previewAdoption, startAdoption } from "@/server/services/golive/adopt";
import { startDecommission } from "@/server/services/golive/decommission";
import { exportHost } from "@/server/services/golive/export";
import { startGoLive } from "@/server/services/golive/go-live";
import { preflightHostById } from "@/server/services/golive/preflight";
import { defaultProvisionPorts, getGoLiveSettings, preflightStack, saveGoLiveSettings } from "@/server/services/golive/settings";
import { adminProcedure, createTRPCRouter, deployerProcedure, viewerProcedure } from "../init";

const ZRoles = z
  .array(z.enum(PROVISION_ROLES, { error: `Each role must be one of ${PROVISION_ROLES.join(", ")}` }))
  .min(1, "Choose at least one role");

/** Going live: preflight, provisioning (go-live), adoption of a plan-laid stack, export, decommission. */
export const goliveRouter = createTRPCRouter({
  settings: viewerProcedure.input(z.object({ stack: ZStackRef })).query(({ input }) => getGoLiveSettings(input.stack)),
  saveSettings: adminProcedure
    .input(z.object({ stack: ZStackRef, settings: ZGoLiveSettings }))
    .mutation(({ input, ctx }) => saveGoLiveSettings(input.stack, input.settings, ctx.actor)),
  // Read-only, but it runs commands on hosts: a mutation, so nothing runs it by prefetching.
  preflightStack: deployerProcedure.input(z.object({ stack: ZStackRef })).mutation(({ input }) => preflightStack(input.stack)),
  preflightHost: deployerProcedure
    .input(z.object({ stack: ZStackRef, hostId: ZId, roles: ZRoles }))
    .mutation(({ input }) => preflightHostById(input.hostId, input.roles, defaultProvisionPorts(), input.stack)),
  goLive: adminProcedure.input(z.object({ stack: ZStackRef, tag: ZImageTag })).mutation(({ input, ctx }) => startGoLive(input, ctx.actor)),
  adoptPreview: deployerProcedure.input(z.object({ stack: ZStackRef })).mutation(({ input }) => previewAdoption(input.stack)),
  adopt: adminProcedure.input(z.object({ stack: ZStackRef })).mutation(({ input, ctx }) => startAdoption(input.stack, ctx.actor)),
  exportHost: adminProcedure
    .input(z.object({ stack: ZStackRef, host: ZName }))
    .mutation(({ input, ctx }) => exportHost(input.stack, input.host, ctx.actor)),
  decommission: adminProcedure
    .input(z.object({ serviceId: ZId, confirm: z.string().max(64, "At most 64 characters"), deleteData: z.boolean().default(false) }))
    .mutation(({ input, ctx }) => startDecommission(input, ctx.actor)),
});
