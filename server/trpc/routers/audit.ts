import { z } from "zod";
import { listAuditEvents } from "@/server/services/audit/record-audit-event";
import { createTRPCRouter, viewerProcedure } from "../init";

export const auditRouter = createTRPCRouter({
  list: viewerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(1000).default(200) }).default({ limit: 200 }))
    .query(({ input }) => listAuditEvents(input.limit)),
});
