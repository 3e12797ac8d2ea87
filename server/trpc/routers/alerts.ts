import { z } from "zod";
import { deleteChannel, listChannels, saveChannel, sendTestMessage } from "@/server/services/alerts/channels";
import { listAlertHistory } from "@/server/services/alerts/evaluate";
import { listAlertRules, updateAlertRule } from "@/server/services/alerts/rules";
import { ZChannelInput, ZRuleInput } from "@/server/domain/alerts";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../init";
import { ZId } from "@/server/domain/fields";

export const alertsRouter = createTRPCRouter({
  rules: viewerProcedure.query(() => listAlertRules()),
  updateRule: adminProcedure.input(ZRuleInput).mutation(({ input }) => updateAlertRule(input)),
  channels: viewerProcedure.query(({ ctx }) => listChannels(ctx.actor.role)),
  saveChannel: adminProcedure
    .input(z.object({ id: ZId.optional(), channel: ZChannelInput }))
    .mutation(({ input }) => saveChannel({ ...input.channel, id: input.id })),
  deleteChannel: adminProcedure.input(z.object({ id: ZId })).mutation(({ input }) => deleteChannel(input.id)),
  testChannel: adminProcedure.input(z.object({ id: ZId })).mutation(({ input }) => sendTestMessage(input.id)),
  history: viewerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100) }).default({ limit: 100 }))
    .query(({ input }) => listAlertHistory(input.limit)),
});
