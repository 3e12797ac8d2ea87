/**
 * Test helper: a tiny Docker Registry v2 on 127.0.0.1 (node:http) for unit tests. Emulates GHCR's
 * Bearer challenge + token endpoint (or plain Basic), paginated tag lists with Link headers,
 * Docker v2 manifests, OCI indexes (amd64 + arm64 + an attestation) and config blobs, optionally
 * redirected to a second "CDN" server on another origin. Records every request it sees.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeImage {
  created?: string;
  layers: number[];
  /** Serve as an OCI index whose linux/amd64 entry is this image (plus an arm64 decoy). */
  isMultiPlatform?: boolean;
}

export interface FakeRegistryOptions {
  auth: "bearer" | "basic";
  username: string;
  password: string;
  /** Bearer mode: hand out anonymous tokens (a public repository). */
  allowAnonymous?: boolean;
  name: string;
  images: Record<string, FakeImage>;
  pageSize?: number;
  /** Serve config blobs as a 307 to the CDN server (another origin). */
  redirectBlobs?: boolean;
  /** Delay every /v2/ answer by this long. */
  delayMs?: number;
  tokenExpiresIn?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization?: string;
  server: "registry" | "cdn";
}

export interface FakeRegistry {
  url: string;
  cdnUrl: string;
  requests: RecordedRequest[];
  tokensIssued: number;
  digestOf(tag: string): string;
  close(): Promise<void>;
}

const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const DOCKER_V2 = "application/vnd.docker.distribution.manifest.v2+json";

function sha(text: string): string {
  return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}

/** Build manifests and blobs: content-addressed maps plus tag → top-level digest. */
function buildContent(opts: FakeRegistryOptions) {
  const manifests = new Map<string, { body: string; type: string }>();
  const blobs = new Map<string, string>();
  const tags = new Map<string, string>();
  for (const [tag, image] of Object.entries(opts.images)) {
    const config = JSON.stringify({ architecture: "amd64", os: "linux", ...(image.created ? { created: image.created } : {}), tag });
    blobs.set(sha(config), config);
    const single = JSON.stringify({
      schemaVersion: 2,
      mediaType: DOCKER_V2,
      config: { mediaType: "application/vnd.docker.container.image.v1+json", size: config.length, digest: sha(config) },
      layers: image.layers.map((size, i) => ({
        mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip",
        size,
        digest: sha(`${tag}-layer-${i}`),
      })),
    });
    manifests.set(sha(single), { body: single, type: DOCKER_V2 });
    if (!image.isMultiPlatform) {
      tags.set(tag, sha(single));
      continue;
    }
    const armConfig = JSON.stringify({ architecture: "arm64", os: "linux", created: "2001-01-01T00:00:00Z" });
    blobs.set(sha(armConfig), armConfig);
    const arm = JSON.stringify({
      schemaVersion: 2,
      mediaType: DOCKER_V2,
      config: { size: 1, digest: sha(armConfig) },
      layers: [{ size: 999_999, digest: sha("arm") }],
    });
    manifests.set(sha(arm), { body: arm, type: DOCKER_V2 });
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        { mediaType: DOCKER_V2, digest: sha(arm), size: arm.length, platform: { os: "linux", architecture: "arm64" } },
        { mediaType: DOCKER_V2, digest: sha("attestation"), size: 1, platform: { os: "unknown", architecture: "unknown" } },
        { mediaType: DOCKER_V2, digest: sha(single), size: single.length, platform: { os: "linux", architecture: "amd64" } },
      ],
    });
    manifests.set(sha(index), { body: index, type: OCI_INDEX });
    tags.set(tag, sha(index));
  }
  return { manifests, blobs, tags };
}

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** Start the fake registry and its CDN. */
export async function startFakeRegistry(opts: FakeRegistryOptions): Promise<FakeRegistry> {
  const { manifests, blobs, tags } = buildContent(opts);
  const requests: RecordedRequest[] = [];
  const validTokens = new Set<string>();
  const basic = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString("base64")}`;
  let tokensIssued = 0;
  let url = "";
  let cdnUrl = "";

  const cdn = http.createServer((req, res) => {
    requests.push({ method: req.method ?? "", path: req.url ?? "", authorization: req.headers.authorization, server: "cdn" });
    const blob = blobs.get((req.url ?? "").replace("/cdn/", ""));
    if (!blob) return sendJson(res, 404, { errors: [{ code: "BLOB_UNKNOWN", message: "blob unknown to registry" }] });
    res.writeHead(200, { "Content-Type": "application/octet-stream" }).end(blob);
  });

  const challenge = () =>
    opts.auth === "bearer"
      ? `Bearer realm="${url}/token",service="fake-registry",scope="repository:${opts.name}:pull"`
      : 'Basic realm="fake-registry"';

  const isAuthorized = (authorization: string | undefined) => {
    if (opts.auth === "basic") return authorization === basic;
    return authorization?.startsWith("Bearer ") === true && validTokens.has(authorization.slice(7));
  };

  const handleToken = (req: http.IncomingMessage, res: http.ServerResponse, query: URLSearchParams) => {
    const authorization = req.headers.authorization;
    if (authorization !== undefined && authorization !== basic) {
      return sendJson(res, 401, { errors: [{ code: "UNAUTHORIZED", message: "bad credentials" }] });
    }
    if (authorization === undefined && !opts.allowAnonymous) {
      return sendJson(res, 401, { errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] });
    }
    if (query.get("service") !== "fake-registry" || query.get("scope") !== `repository:${opts.name}:pull`) {
      return sendJson(res, 400, { errors: [{ code: "DENIED", message: "wrong service or scope" }] });
    }
    tokensIssued++;
    const token = `tok-${tokensIssued}-${authorization ? "user" : "anon"}`;
    validTokens.add(token);
    // GHCR answers `token`; Docker Hub both. Alternate to cover `access_token`.
    sendJson(
      res,
      200,
      tokensIssued % 2
        ? { token, expires_in: opts.tokenExpiresIn ?? 300 }
        : { access_token: token, expires_in: opts.tokenExpiresIn ?? 300 },
    );
  };

  const handleV2 = (req: http.IncomingMessage, res: http.ServerResponse, path: string, query: URLSearchParams) => {
    if (!isAuthorized(req.headers.authorization)) {
      return sendJson(
        res,
        401,
        { errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] },
        { "WWW-Authenticate": challenge() },
      );
    }
    const prefix = `/v2/${opts.name}/`;
    if (!path.startsWith(prefix))
      return sendJson(res, 404, { errors: [{ code: "NAME_UNKNOWN", message: "repository name not known to registry" }] });
    const rest = path.slice(prefix.length);
    if (rest === "tags/list") {
      const all = [...tags.keys()].sort();
      const n = Math.min(Number(query.get("n") ?? 1000), opts.pageSize ?? 1000);
      const last = query.get("last");
      const start = last ? all.indexOf(last) + 1 : 0;
      const page = all.slice(start, start + n);
      const headers: Record<string, string> = {};
      if (start + n < all.length)
        headers.Link = `</v2/${opts.name}/tags/list?n=${n}&last=${encodeURIComponent(page.at(-1) ?? "")}>; rel="next"`;
      return sendJson(res, 200, { name: opts.name, tags: page }, headers);
    }
    const manifestMatch = rest.match(/^manifests\/(.+)$/);
    if (manifestMatch) {
      const ref = decodeURIComponent(manifestMatch[1] ?? "");
      const digest = ref.startsWith("sha256:") ? ref : tags.get(ref);
      const manifest = digest ? manifests.get(digest) : undefined;
      if (!digest || !manifest)
        return sendJson(res, 404, { errors: [{ code: "MANIFEST_UNKNOWN", message: "manifest unknown", detail: { Tag: ref } }] });
      res.writeHead(200, {
        "Content-Type": manifest.type,
        "Docker-Content-Digest": digest,
        "Content-Length": Buffer.byteLength(manifest.body),
      });
      return res.end(req.method === "HEAD" ? undefined : manifest.body);
    }
    const blobMatch = rest.match(/^blobs\/(.+)$/);
    if (blobMatch) {
      const blob = blobs.get(blobMatch[1] ?? "");
      if (!blob) return sendJson(res, 404, { errors: [{ code: "BLOB_UNKNOWN", message: "blob unknown to registry" }] });
      if (opts.redirectBlobs) return res.writeHead(307, { Location: `${cdnUrl}/cdn/${blobMatch[1]}` }).end();
      return res.writeHead(200, { "Content-Type": "application/octet-stream" }).end(blob);
    }
    sendJson(res, 404, { errors: [{ code: "NOT_FOUND", message: "no route" }] });
  };

  const server = http.createServer((req, res) => {
    const parsed = new URL(req.url ?? "/", url);
    requests.push({
      method: req.method ?? "",
      path: `${parsed.pathname}${parsed.search}`,
      authorization: req.headers.authorization,
      server: "registry",
    });
    if (parsed.pathname === "/token") return handleToken(req, res, parsed.searchParams);
    const answer = () => handleV2(req, res, parsed.pathname, parsed.searchParams);
    if (opts.delayMs) setTimeout(answer, opts.delayMs);
    else answer();
  });

  url = await listen(server);
  cdnUrl = await listen(cdn);
  return {
    url,
    cdnUrl,
    requests,
    get tokensIssued() {
      return tokensIssued;
    },
    digestOf: (tag) => tags.get(tag) ?? "",
    async close() {
      server.closeAllConnections();
      cdn.closeAllConnections();
      await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => cdn.close(r))]);
    },
  };
}
