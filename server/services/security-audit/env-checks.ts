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
