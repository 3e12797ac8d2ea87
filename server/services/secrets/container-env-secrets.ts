import type { DockerClient } from "@/server/adapters/docker";
import { envListEntries, secretValuesOfEnv } from "./env-secrets";
import { rememberStackSecrets } from "./secret-cache";

/**
 * Reads the env a container was created with (one inspect, done by the job that created it) and makes its
 * secret values known: to the job (its log lines) and to the stack (the deployment's stored error and
 * evidence, audit details, alerts). Security: a broken app may print its env; this is how the panel knows
 * those values even when the env was copied from the live container rather than managed in the panel.
 * Never fails the caller: an unreadable env only means the pattern redaction has to do.
 */
export async function rememberContainerEnvSecrets(
  docker: DockerClient,
  containerId: string,
  stackId: string,
  addSecret: (secret: string) => void,
): Promise<void> {
  const info = await docker.inspectContainer(containerId, { action: "read the new container's env to redact it" }).catch(() => null);
  if (!info) return;
  const values = secretValuesOfEnv(envListEntries(info.Config.Env ?? []));
  rememberStackSecrets(stackId, values);
  for (const v of values) addSecret(v);
}
