import { z } from "zod";
import { ZEmail, ZPassword } from "@/server/domain/fields";
import { countUsers, createFirstAdmin } from "@/server/services/users/users";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { createTRPCRouter, publicProcedure } from "../init";

export const ZSetupInput = z.object({ email: ZEmail, password: ZPassword });

export const setupRouter = createTRPCRouter({
  status: publicProcedure.query(async () => ({ needsSetup: (await countUsers()) === 0 })),
  createFirstAdmin: publicProcedure.input(ZSetupInput).mutation(async ({ input }) => {
    const user = await createFirstAdmin(input);
    await recordAuditEvent(
      { kind: "user", id: user.id, label: user.email, role: "ADMIN" },
      { action: "setup.first-admin", target: user.email },
    );
    return { email: user.email };
  }),
});
