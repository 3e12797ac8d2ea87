import { resolveRegistryEndpoint } from "./reference";
import type { RegistryCredentials } from "./types";

/** Docker's `authconfig` / `X-Registry-Auth` object, as dockerode's `pull(…, { authconfig })` takes it. */
export interface DockerAuthConfig {
  username: string;
  password: string;
  serveraddress: string;
}

/**
 * Build the auth object for a Docker Engine pull of `repository`, or undefined without credentials.
 * `serveraddress` is the registry host the engine will contact (Docker Hub's legacy index URL for Hub).
 */
export function buildDockerAuthConfig(options: {
  repository: string;
  registryUrl?: string;
  credentials?: RegistryCredentials;
}): DockerAuthConfig | undefined {
  if (!options.credentials?.username) return undefined;
  const { registryHost } = resolveRegistryEndpoint(options.repository, options.registryUrl);
  return {
    username: options.credentials.username,
    password: options.credentials.password,
    serveraddress: registryHost === "docker.io" ? "https://index.docker.io/v1/" : registryHost,
  };
}
