/** Username and password (or a personal access token) for a container registry. */
export interface RegistryCredentials {
  username: string;
  password: string;
}

/** Which repository to talk to, and how. Shared by every registry adapter function. */
export interface RegistryRequestOptions {
  /**
   * Image repository, optionally with the registry host: `127.0.0.1:5000/pixelfox/app`,
   * `ghcr.io/owner/pixelfox`, `pixelfox/app` (Docker Hub).
   */
  repository: string;
  /** Registry base URL (`http://127.0.0.1:5000`, `https://ghcr.io`); derived from `repository` when absent. */
  registryUrl?: string;
  credentials?: RegistryCredentials;
  /** Cancels every request of the call. */
  signal?: AbortSignal;
  /** Per-request timeout (default 15 s); a request that takes longer throws HOST_TIMEOUT. */
  timeoutMs?: number;
}

/** One tag of a repository, with what the registry could tell about it. */
export interface RegistryTag {
  tag: string;
  /** Manifest digest (`sha256:…`), what `docker pull repo@digest` would fetch. */
  digest?: string;
  /** Image creation time from the config blob (linux/amd64 for multi-platform images). */
  createdAt?: Date;
  /** Sum of the compressed layer sizes. */
  sizeBytes?: number;
}

export interface ListTagsResult {
  /** Newest first: dated tags by date, then undated ones by version, descending. */
  tags: RegistryTag[];
  /** How many tags the registry lists in total (`tags` holds at most `limit`). */
  totalTags: number;
}
