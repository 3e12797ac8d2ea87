import type { AuditCheck } from "@/server/domain/security-audit";
import type { EnvEntry } from "@/server/services/env/env-format";
import { envAuditChecks } from "./env-audit-checks";
import type { AuditedService } from "./gather-data";
import { check } from "./checks/check";

const entriesOf = (s: AuditedService): EnvEntry[] => Object.entries(s.container?.env ?? {});

/**
 * The plan's env rules on what the app container on this host really runs with (its env as Docker
 * reports it, env_file included), with REPLICATION_SECRET compared against every other app/storage node.
 */
export function appEnvChecks(app: AuditedService, apps: readonly AuditedService[], publicDomain: string): AuditCheck[] {
  if (!app.container)
    return [
      check(
        "env",
        "env-readable",
        `The app's env on ${app.host.name} could be read`,
        "unknown",
        `${app.containerName} was not found or ${app.host.name} could not be read`,
        "The secrets rules judge the env the app really runs with.",
      ),
    ];
  const storageEnvs = apps.filter((a) => a !== app && a.container).map((a) => ({ host: a.host.name, entries: entriesOf(a) }));
  // APP_HOST=0.0.0.0 is needed only when the container has a network of its own (not the host's).
  const inContainer = app.container.networkMode !== "host";
  return envAuditChecks(entriesOf(app), { inContainer, proxyDomain: publicDomain, storageEnvs });
}

/**
 * The plan's note: set CookieSecure in the session middleware if TLS terminates on the app itself.
 * Behind the stack's proxy the app serves plain HTTP to it and the note does not apply (pass, with where
 * TLS ends); without a proxy TLS would end on the app, and whether the app's code sets CookieSecure is
 * not something the panel can read: unknown, never a pass.
 */
export function cookieSecureCheck(app: AuditedService, proxy: AuditedService | undefined): AuditCheck {
  const label = "Session cookies are marked Secure where TLS terminates (the plan's CookieSecure note)";
  const why =
    "A session cookie without the Secure flag is also sent over plain HTTP, where anyone on the path can read it and take over the session.";
  if (proxy)
    return check(
      "env",
      "cookie-secure",
      label,
      "pass",
      `TLS terminates on ${proxy.containerName} on ${proxy.host.name}; ${app.containerName} on ${app.host.name} serves HTTP to it only, so CookieSecure is not needed on the app`,
      why,
    );
  return check(
    "env",
    "cookie-secure",
    label,
    "unknown",
    `The stack has no proxy service: TLS would terminate on ${app.containerName} on ${app.host.name}, and whether its session middleware sets CookieSecure is in the app's code, which the panel cannot read`,
    why,
    "Put the plan's proxy (Caddy or Nginx) in front of the app and place it as the stack's proxy service, or set CookieSecure: true in the app's session middleware before terminating TLS on it.",
  );
}
