import { z } from "zod";
import { ZImageTag } from "./fields";

/** Health gate and blue/green settings of a stack; every field has an operator-sane default. */
export const ZDeploySettings = z
  .object({
    /** Wait before the first probe, like Docker's healthcheck start_period (PixelFox retries MySQL for up to 25 s). */
    healthStartPeriodMs: z.coerce.number().int().min(0).max(300_000, "At most 5 minutes").default(0),
    /** Probes of the new container before it may take traffic. */
    healthAttempts: z.coerce.number().int().min(1, "At least 1").max(120, "At most 120").default(15),
    healthIntervalMs: z.coerce.number().int().min(100, "At least 100 ms").max(60_000, "At most 60 s").default(1_000),
    healthTimeoutMs: z.coerce.number().int().min(200, "At least 200 ms").max(60_000, "At most 60 s").default(2_000),
    /** Time the old container keeps serving in-flight requests after the proxy switched. */
    drainMs: z.coerce.number().int().min(0).max(300_000, "At most 5 minutes").default(2_000),
    /** Grace period for the old container's SIGTERM before Docker kills it. */
    stopTimeoutSec: z.coerce.number().int().min(1).max(300).default(10),
    /** The two loopback ports blue/green alternate between. */
    bluePort: z.coerce.number().int().min(1).max(65535).default(4000),
    greenPort: z.coerce.number().int().min(1).max(65535).default(4001),
    /** Stopped previous containers kept per app host for instant rollback. */
    keepPrevious: z.coerce.number().int().min(0).max(20).default(5),
    /** Caddy admin API port on the proxy host's loopback, and the @id of the reverse_proxy handler. */
    caddyAdminPort: z.coerce.number().int().min(1).max(65535).default(2019),
    caddyUpstreamId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, "Letters, digits, '_' and '-'")
      .default("pixelfox_upstream"),
  })
  .refine((s) => s.bluePort !== s.greenPort, { message: "Blue and green ports must differ", path: ["greenPort"] });
export type DeploySettings = z.infer<typeof ZDeploySettings>;

export function parseDeploySettings(json: string): DeploySettings {
  return ZDeploySettings.parse(JSON.parse(json || "{}"));
}

export const ZDeployInput = z.object({ tag: ZImageTag });
export type TDeployInput = z.infer<typeof ZDeployInput>;

export const DEPLOYMENT_STATUSES = ["running", "succeeded", "failed", "cancelled", "interrupted"] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/** `repo:tag`, or `repo@sha256:…` for a digest. */
export function imageReference(repository: string, tagOrDigest: string): string {
  return tagOrDigest.startsWith("sha256:") ? `${repository}@${tagOrDigest}` : `${repository}:${tagOrDigest}`;
}
