import { z } from "zod";
import { ZImageTag, ZStackRef } from "@/server/domain/fields";
import { getMigrationStatus, startMigration } from "@/server/services/migrations/migrations";
import { adminProcedure, createTRPCRouter, deployerProcedure, viewerProcedure } from "../init";

const ZVersion = z.number().int().min(-1).max(Number.MAX_SAFE_INTEGER);

export const migrationsRouter = createTRPCRouter({
  /**
   * A mutation, not a query, though it only reads: reading an image's migrations creates (and removes) a
   * stopped container on the app host, and no query may touch a host that way.
   */
  status: viewerProcedure
    .input(z.object({ stack: ZStackRef, tag: ZImageTag.optional() }))
    .mutation(({ input }) => getMigrationStatus(input.stack, input.tag)),
  up: deployerProcedure
    .input(z.object({ stack: ZStackRef, tag: ZImageTag.optional() }))
    .mutation(({ input, ctx }) => startMigration({ stack: input.stack, command: { kind: "up" }, source: { tag: input.tag } }, ctx.actor)),
  // Security: stepping back or rewriting the version can lose data: admins only (the UI asks for typed confirmation).
  down: adminProcedure
    .input(z.object({ stack: ZStackRef, tag: ZImageTag.optional() }))
    .mutation(({ input, ctx }) => startMigration({ stack: input.stack, command: { kind: "down" }, source: { tag: input.tag } }, ctx.actor)),
  goto: adminProcedure
    .input(z.object({ stack: ZStackRef, tag: ZImageTag.optional(), version: ZVersion.min(0) }))
    .mutation(({ input, ctx }) =>
      startMigration({ stack: input.stack, command: { kind: "goto", version: input.version }, source: { tag: input.tag } }, ctx.actor),
    ),
  force: adminProcedure
    .input(z.object({ stack: ZStackRef, version: ZVersion }))
    .mutation(({ input, ctx }) => startMigration({ stack: input.stack, command: { kind: "force", version: input.version } }, ctx.actor)),
});
