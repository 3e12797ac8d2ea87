import type { Role } from "@/server/domain/roles";

/** Only admins see credentials (webhook URLs, SMTP and registry usernames) in clear. */
export const seesCredentials = (role: Role) => role === "ADMIN";

/**
 * A webhook URL as a non-admin sees it: scheme and host (where alerts go), never the path or query,
 * which carry the webhook's token (Slack, Discord, Teams).
 */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…(masked)`;
  } catch {
    return "…(masked)";
  }
}

/** A username as a non-admin sees it: its first two characters, enough to tell two accounts apart. */
export function maskUsername(name: string): string {
  return name.length <= 3 ? "•••" : `${name.slice(0, 2)}•••`;
}

/** A stack as a non-admin sees it: the registry username masked (the password is never returned to anyone). */
export function stackViewFor<T extends { registryUsername: string | null }>(role: Role, view: T): T {
  return seesCredentials(role) || !view.registryUsername ? view : { ...view, registryUsername: maskUsername(view.registryUsername) };
}
