import { z } from "zod";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import {
  diffEnvVersion,
  importEnvFromLive,
  listEnvVersions,
  readEnvVersion,
  restoreEnvVersion,
  saveEnvVersion,
} from "@/server/services/env/app-env";
import { MAX_ENV_BYTES } from "@/server/services/env/env-format";
import { MIN_OVERRIDE_REASON } from "@/server/services/env/env-save-rules";
import { importHostEnvFile, listHostEnvFiles, overwriteHostEnvFile } from "@/server/services/env/host-env-files";
import { adminProcedure, createTRPCRouter, deployerProcedure, viewerProcedure } from "../init";
import { ZStackRef, ZId, ZName } from "@/server/domain/fields";

const ZHostFile = z.object({ stack: ZStackRef, host: ZName });

/** An admin saving although the env breaks a named rule for a key, with a typed reason (recorded as an accepted risk). */
const ZEnvRuleOverride = z.object({
  rule: z.string().min(1).max(64),
  key: z.string().min(1).max(128),
  reason: z
    .string()
    .trim()
    .min(MIN_OVERRIDE_REASON, `Say why, in at least ${MIN_OVERRIDE_REASON} characters`)
    .max(500, "At most 500 characters"),
});

/** The app's environment managed in the panel: versions, masked views, diffs; admins edit and reveal. */
export const envRouter = createTRPCRouter({
  list: viewerProcedure.input(z.object({ stack: ZStackRef })).query(({ input }) => listEnvVersions(input.stack)),
  /** One version with its secret values masked. */
  get: deployerProcedure.input(z.object({ id: ZId })).query(({ input }) => readEnvVersion(input.id, false)),
  /** One version in clear, for an admin to edit. A mutation, not a query: each reveal writes an audit event. */
  reveal: adminProcedure.input(z.object({ id: ZId })).mutation(async ({ input, ctx }) => {
    const v = await readEnvVersion(input.id, true);
    await recordAuditEvent(ctx.actor, { action: "env.reveal", target: `env v${v.version}` });
    return v;
  }),
  diff: deployerProcedure.input(z.object({ id: ZId })).query(({ input }) => diffEnvVersion(input.id)),
  save: adminProcedure
    .input(
      z.object({
        stack: ZStackRef,
        content: z.string().max(MAX_ENV_BYTES, `At most ${MAX_ENV_BYTES / 1024} KB`),
        note: z.string().max(200, "At most 200 characters").default(""),
        overrides: z.array(ZEnvRuleOverride).max(50, "At most 50 overrides").default([]),
      }),
    )
    .mutation(({ input, ctx }) => saveEnvVersion(input.stack, input.content, input.note, ctx.actor, input.overrides)),
  restore: adminProcedure.input(z.object({ id: ZId })).mutation(({ input, ctx }) => restoreEnvVersion(input.id, ctx.actor)),
  /** Each app host's /srv/pixelfox/.env against what the panel wrote there, read now over SSH (values of secrets never sent). */
  hostFiles: deployerProcedure.input(z.object({ stack: ZStackRef })).query(({ input }) => listHostEnvFiles(input.stack)),
  /** Writes the newest version over the host's file, after the caller saw what that undoes (.env.prev kept; audited). */
  overwriteHostFile: adminProcedure.input(ZHostFile).mutation(({ input, ctx }) => overwriteHostEnvFile(input.stack, input.host, ctx.actor)),
  /** Keeps the host's edits: its file becomes the newest version, through the same rules as a save. */
  importHostFile: adminProcedure.input(ZHostFile).mutation(({ input, ctx }) => importHostEnvFile(input.stack, input.host, ctx.actor)),
  importFromLive: adminProcedure
    .input(z.object({ stack: ZStackRef }))
    .mutation(({ input, ctx }) => importEnvFromLive(input.stack, ctx.actor)),
});
