import { z } from "zod";
import { ZSmokeSteps } from "@/server/services/smoke/steps";
import { ZImageRef } from "./fields";

/** The roles the panel provisions, in the go-live plan's order. */
export const PROVISION_ROLES = ["db", "cache", "app", "proxy", "storage"] as const;
export type ProvisionRole = (typeof PROVISION_ROLES)[number];

/**
 * How the panel provisions a stack's roles and checks it afterwards. The defaults are the plan's
 * templates' images; a registry of one's own (or the sandbox fleet's) is set per stack.
 */
export const ZGoLiveSettings = z.object({
  images: z
    .object({
      db: ZImageRef.default("mysql:8.4"),
      cache: ZImageRef.default("docker.dragonflydb.io/dragonflydb/dragonfly"),
      caddy: ZImageRef.default("caddy:2"),
      nginx: ZImageRef.default("nginx:1.27"),
    })
    .default({ db: "mysql:8.4", cache: "docker.dragonflydb.io/dragonflydb/dragonfly", caddy: "caddy:2", nginx: "nginx:1.27" }),
  /** Dragonfly (the plan's cache) takes its password from DFLY_requirepass; Redis from its config. */
  cacheFlavor: z.enum(["dragonfly", "redis"], { error: "dragonfly or redis" }).default("dragonfly"),
  /** The proxy a go-live provisions: Caddy (automatic TLS) or Nginx. */
  proxy: z.enum(["caddy", "nginx"], { error: "caddy or nginx" }).default("caddy"),
  /** Caddy's ACME account email (the Caddyfile's global `email`). */
  acmeEmail: z.email("An email address").optional(),
  /** The plan's smoke tests after every deploy and go-live; ping and home page work for every app version. */
  smokeSteps: ZSmokeSteps.default(["ping", "home"]),
});
export type GoLiveSettings = z.infer<typeof ZGoLiveSettings>;

export function parseGoLiveSettings(json: string | null | undefined): GoLiveSettings {
  return ZGoLiveSettings.parse(JSON.parse(json || "{}"));
}
