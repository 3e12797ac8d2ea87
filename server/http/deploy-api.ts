import { z } from "zod";
import { ZId, ZImageTag } from "@/server/domain/fields";

export const ZWaitSeconds = z.number().int().min(0, "At least 0").max(600, "At most 600").optional();

export const ZDeployBody = z.object({
  tag: ZImageTag,
  /** Wait up to this many seconds for a running deploy to finish instead of answering 409. */
  waitSeconds: ZWaitSeconds,
});

export const ZRollbackBody = z.object({
  deploymentId: ZId.optional(),
  waitSeconds: ZWaitSeconds,
});
