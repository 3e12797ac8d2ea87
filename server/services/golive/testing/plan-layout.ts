/**
 * Test fixtures: the go-live plan's layout (db, cache, app, proxy, storage each on a host of its own, the
 * plan's private addresses), with secrets shaped like the ones the panel generates. Not used by production code.
 */
import { ZGoLiveSettings, type GoLiveSettings } from "@/server/domain/golive";
import type { EnvEntry } from "@/server/services/env/env-format";
import type { StackLayout } from "../role-specs";

export const PLAN_ADDRESSES = { db: "10.0.0.10", cache: "10.0.0.20", app: "10.0.0.30", proxy: "10.0.0.40", storage: "10.0.0.50" } as const;

/** 43 characters, like randomBytes(32).toString("base64url"); distinct per name. */
export const fakeSecret = (name: string) => `${name}-${"x".repeat(43)}`.slice(0, 43);

export interface PlanLayoutOptions {
  settings?: Partial<GoLiveSettings>;
  /** The proxy on the app's host (the plan's App VPS) or on a host of its own. */
  proxyOnAppHost?: boolean;
  publicDomain?: string;
  secrets?: Partial<StackLayout["secrets"]>;
}

/** A layout as buildLayout makes it: the app's env carries the same hosts and passwords the db and cache get. */
export function planLayout(o: PlanLayoutOptions = {}): StackLayout {
  const secrets = { dbRootPassword: fakeSecret("root"), dbPassword: fakeSecret("db"), cachePassword: fakeSecret("cache"), ...o.secrets };
  const shared = o.proxyOnAppHost ?? true;
  const appEnv: EnvEntry[] = [
    ["PUBLIC_DOMAIN", (o.publicDomain ?? "https://pixelfox.cc").replace(/\/+$/, "")],
    ["APP_ENV", "prod"],
    ["APP_HOST", "localhost"],
    ["APP_PORT", "4000"],
    ["DB_HOST", PLAN_ADDRESSES.db],
    ["DB_PORT", "3306"],
    ["DB_NAME", "pixelfox_db"],
    ["DB_USER", "pixelfox"],
    ["DB_PASSWORD", secrets.dbPassword],
    ["CACHE_HOST", PLAN_ADDRESSES.cache],
    ["CACHE_PORT", "6379"],
    ["CACHE_PASSWORD", secrets.cachePassword],
    ["UPLOAD_TOKEN_SECRET", fakeSecret("upload")],
    ["REPLICATION_SECRET", fakeSecret("replication")],
    ["NODE_ID", "stale"],
  ];
  return {
    stack: "pixelfox",
    publicDomain: o.publicDomain ?? "https://pixelfox.cc",
    settings: ZGoLiveSettings.parse(o.settings ?? {}),
    hosts: {
      db: PLAN_ADDRESSES.db,
      cache: PLAN_ADDRESSES.cache,
      app: [PLAN_ADDRESSES.app],
      proxy: shared ? PLAN_ADDRESSES.app : PLAN_ADDRESSES.proxy,
      storage: [PLAN_ADDRESSES.storage],
    },
    hostNames: { app: ["app1"], proxy: shared ? "app1" : "edge1" },
    secrets,
    db: { name: "pixelfox_db", user: "pixelfox" },
    appImage: "ghcr.io/pixelfox/pixelfox:v1.4.0",
    appEnv,
  };
}
