import { z } from "zod";
import { ZImageTag } from "@/server/domain/fields";

export const ZStackParam = z.string().regex(/^[a-z0-9-]{1,63}$/, "A stack name");
export const ZJobIdParam = z.string().regex(/^[A-Za-z0-9]{8,40}$/, "A job id");
export const ZWaitSeconds = z.number().int().min(0, "At least 0").max(600, "At most 600").optional();

export const ZDeployBody = z.object({
  tag: ZImageTag,
  /** Wait up to this many seconds for a running deploy to finish instead of answering 409. */
  waitSeconds: ZWaitSeconds,
});

export const ZRollbackBody = z.object({
  deploymentId: z.string().regex(/^[a-z0-9]{8,40}$/, "A deployment id").optional(),
  waitSeconds: ZWaitSeconds,
});
