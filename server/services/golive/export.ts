import { createSshDocker, type DockerConnector } from "@/server/adapters/docker";
import { AppError, isAppError } from "@/server/errors";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import type { EnvEntry } from "@/server/services/env/env-format";
import { getStackRow } from "@/server/services/inventory/stacks";
import { composeYaml, envFileText, type ExportedService } from "./compose-export";
import { readRunningConfig } from "./running-config";
import { readPlacementLoose } from "./stack-layout";

export interface HostExport {
  host: string;
  files: { name: string; text: string; secret: boolean }[];
}

/**
 * The compose file and env files that describe what the panel created on one host of a stack, read
 * from Docker (the truth, not the panel's intent). Admins only: the env files hold secrets (audited).
 */
export async function exportHost(
  stackRef: string,
  hostName: string,
  actor: Actor,
  docker: DockerConnector = createSshDocker(),
): Promise<HostExport> {
  const stack = await getStackRow(stackRef);
  const p = await readPlacementLoose(stack, "exporting its compose file");
  const services = p.services.filter((s) => s.host.name === hostName);
  if (!services.length)
    throw new AppError("NOT_FOUND", `Stack ${stack.name} has no service on a host named ${hostName}`, { data: { field: "host" } });
  const client = docker(p.targets.get(services[0]!.hostId)!);
  const exported: ExportedService[] = [];
  for (const s of services) {
    const info = await client
      .inspectContainer(s.containerName)
      .catch((err: unknown) => (isAppError(err) && err.code === "NOT_FOUND" ? null : Promise.reject(err)));
    if (!info) continue;
    const image = await client.findImage(info.Image).catch(() => null);
    const imageEnv = new Set(image?.Config.Env ?? []);
    const env: EnvEntry[] = (info.Config.Env ?? [])
      .filter((e) => !imageEnv.has(e))
      .map((e): EnvEntry => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]);
    const cmd = info.Config.Cmd ?? [];
    const imageCmd = image?.Config.Cmd ?? [];
    exported.push({
      service: s.kind,
      config: readRunningConfig(info),
      env,
      command: JSON.stringify(cmd) === JSON.stringify(imageCmd) ? null : cmd,
    });
  }
  if (!exported.length)
    throw new AppError("PRECONDITION_FAILED", `No container of ${stack.name} runs on ${hostName}: there is nothing to export.`, {
      host: hostName,
    });
  const when = new Date();
  const files = [
    { name: "docker-compose.yml", text: composeYaml(hostName, exported, when), secret: false },
    ...exported.filter((e) => e.env.length).map((e) => ({ name: `${e.service}.env`, text: envFileText(e), secret: true })),
  ];
  await recordAuditEvent(actor, {
    action: "golive.export",
    target: `${stack.name}/${hostName}`,
    details: { files: files.map((f) => f.name) },
  });
  return { host: hostName, files };
}
