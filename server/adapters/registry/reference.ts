import { AppError } from "@/server/errors";

/** Where the registry's API lives and which repository to ask it about. */
export interface RegistryEndpoint {
  /** `http://127.0.0.1:5000`, `https://ghcr.io` (no trailing slash). */
  baseUrl: string;
  /** `host[:port]` as operators write it, used in every message. */
  registryHost: string;
  /** Repository path inside the registry: `pixelfox/app`. */
  name: string;
}

const DOCKER_HUB_HOSTS = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);
const DOCKER_HUB_API = "https://registry-1.docker.io";
// Security: the repository and the tag end up in URL paths; the reference grammar of the
// distribution spec admits neither "..", "%", "?" nor "#".
const NAME_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

/** Whether a host (with or without port) is this machine's loopback, where plain http is the norm. */
export function isLoopbackHost(host: string): boolean {
  const bracketed = host.match(/^\[(.*)\](?::\d+)?$/);
  const bare = bracketed ? (bracketed[1] ?? "") : host.replace(/:\d+$/, "");
  return bare === "localhost" || bare === "::1" || /^127(?:\.\d{1,3}){3}$/.test(bare);
}

/** Docker's rule: the first path component is a registry host if it has a dot, a colon or is localhost. */
function splitHost(repository: string): { host?: string; path: string } {
  const slash = repository.indexOf("/");
  if (slash === -1) return { path: repository };
  const first = repository.slice(0, slash);
  if (first.includes(".") || first.includes(":") || first === "localhost") {
    return { host: first, path: repository.slice(slash + 1) };
  }
  return { path: repository };
}

function toBaseUrl(registryUrl: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(registryUrl)
    ? registryUrl
    : `${isLoopbackHost(registryUrl.split("/")[0] ?? "") ? "http" : "https"}://${registryUrl}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new AppError("BAD_REQUEST", `"${registryUrl}" is not a valid registry URL: use e.g. https://ghcr.io or http://127.0.0.1:5000.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new AppError("BAD_REQUEST", `Registry URL "${registryUrl}" must use http or https.`);
  }
  if (url.username || url.password) {
    throw new AppError(
      "BAD_REQUEST",
      "Put the registry username and password in the stack's registry credentials, not in the registry URL.",
    );
  }
  if (DOCKER_HUB_HOSTS.has(url.hostname)) return DOCKER_HUB_API;
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/**
 * Work out the API base URL and the repository name from a stack's image repository and optional
 * registry URL. https unless the registry is on the loopback (or the URL says http).
 */
export function resolveRegistryEndpoint(repository: string, registryUrl?: string): RegistryEndpoint {
  const trimmed = repository.trim();
  const { host, path } = splitHost(trimmed);
  let baseUrl: string;
  if (registryUrl?.trim()) baseUrl = toBaseUrl(registryUrl.trim());
  else if (host) baseUrl = toBaseUrl(host);
  else baseUrl = DOCKER_HUB_API;

  const isHub = baseUrl === DOCKER_HUB_API;
  const name = isHub && !path.includes("/") ? `library/${path}` : path;
  if (!name || !name.split("/").every((c) => NAME_COMPONENT.test(c))) {
    throw new AppError(
      "BAD_REQUEST",
      `"${repository}" is not a valid image repository: use lowercase path components like 127.0.0.1:5000/pixelfox/app or ghcr.io/owner/pixelfox (no tag).`,
    );
  }
  const registryHost = isHub ? "docker.io" : new URL(baseUrl).host;
  return { baseUrl, registryHost, name };
}

/** Whether `text` is a content digest (`sha256:<hex>`). */
export function isDigest(text: string): boolean {
  return DIGEST.test(text);
}

/** Throw BAD_REQUEST unless `tag` is a valid image tag or digest. */
export function assertTagOrDigest(reference: string): void {
  if (!TAG.test(reference) && !DIGEST.test(reference)) {
    throw new AppError(
      "BAD_REQUEST",
      `"${reference}" is not a valid image tag: use letters, digits, "_", "." and "-" (at most 128, not starting with "." or "-").`,
    );
  }
}
