import type { DockerClient } from "./types";

/** The container's configured environment as a map (the db image keeps its credentials there). */
export async function readContainerEnv(docker: DockerClient, container: string): Promise<Record<string, string>> {
  const info = await docker.inspectContainer(container, { action: `inspect container ${container}`, subject: `container ${container}` });
  const env: Record<string, string> = {};
  for (const line of info.Config.Env ?? []) {
    const i = line.indexOf("=");
    if (i > 0) env[line.slice(0, i)] = line.slice(i + 1);
  }
  return env;
}
