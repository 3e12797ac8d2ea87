/** Roles, from least to most powerful. Procedures declare the least role they need. */
export const ROLES = ["VIEWER", "DEPLOYER", "ADMIN"] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { VIEWER: 0, DEPLOYER: 1, ADMIN: 2 };

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** True when `role` is at least `needed`. */
export function hasRole(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

export const HOST_ROLES = ["app", "db", "cache", "proxy", "storage"] as const;
export type HostRole = (typeof HOST_ROLES)[number];

export const SERVICE_KINDS = HOST_ROLES;
export type ServiceKind = HostRole;

/** Container names the go-live plan's compose files use. */
export const DEFAULT_CONTAINER_NAMES: Record<ServiceKind, string> = {
  app: "pxlfox-app",
  db: "pxlfox-db",
  cache: "pxlfox-cache",
  proxy: "pxlfox-proxy",
  storage: "pxlfox-storage",
};

export const HOST_KEY_STATES = ["UNPINNED", "PINNED", "CHANGED"] as const;
export type HostKeyState = (typeof HOST_KEY_STATES)[number];
