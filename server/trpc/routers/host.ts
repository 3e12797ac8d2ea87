import { z } from "zod";
import { ZId } from "@/server/domain/fields";
import { ZCreateHostInput, ZUpdateHostInput } from "@/server/domain/inventory";
import { ZContainerRef } from "@/server/domain/fields";
import { createHost, deleteHost, getHost, listHosts, updateHost } from "@/server/services/inventory/hosts";
import {
  fetchPresentedFingerprint,
  listHostContainers,
  pinHostKey,
  runContainerAction,
  testHostConnection,
} from "@/server/services/inventory/host-ops";
import { describeContainersFor, setViewerLogsAllowed } from "@/server/services/logs/host-log-access";
import { adminProcedure, createTRPCRouter, deployerProcedure, viewerProcedure } from "../init";

const ZFingerprint = z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, "A SHA256 fingerprint like SHA256:… (43 base64 characters)");

export const hostRouter = createTRPCRouter({
  list: viewerProcedure.query(() => listHosts()),
  get: viewerProcedure.input(z.object({ id: ZId })).query(({ input }) => getHost(input.id)),
  create: adminProcedure.input(ZCreateHostInput).mutation(({ input, ctx }) => createHost(input, ctx.actor)),
  update: adminProcedure.input(ZUpdateHostInput).mutation(({ input, ctx }) => updateHost(input, ctx.actor)),
  delete: adminProcedure.input(z.object({ id: ZId })).mutation(({ input, ctx }) => deleteHost(input.id, ctx.actor)),
  /** Connects without authenticating and reports the key the host presents, for an admin to check. */
  fetchFingerprint: adminProcedure.input(z.object({ id: ZId })).mutation(({ input }) => fetchPresentedFingerprint(input.id)),
  pinFingerprint: adminProcedure
    .input(z.object({ id: ZId, fingerprint: ZFingerprint }))
    .mutation(({ input, ctx }) => pinHostKey(input.id, input.fingerprint, ctx.actor)),
  testConnection: deployerProcedure.input(z.object({ id: ZId })).mutation(({ input }) => testHostConnection(input.id)),
  containers: viewerProcedure
    .input(z.object({ id: ZId }))
    .query(async ({ input, ctx }) => describeContainersFor(ctx.actor.role, input.id, await listHostContainers(input.id))),
  /** Viewers may read every container's log on the host (true) or only the stack's service containers (false). */
  setViewerLogs: adminProcedure
    .input(z.object({ id: ZId, allowed: z.boolean({ error: "Must be true or false" }) }))
    .mutation(({ input, ctx }) => setViewerLogsAllowed(input.id, input.allowed, ctx.actor)),
  containerAction: deployerProcedure
    .input(z.object({ id: ZId, container: ZContainerRef, action: z.enum(["start", "stop", "restart"]) }))
    .mutation(({ input, ctx }) => runContainerAction(input.id, input.container, input.action, ctx.actor)),
});
