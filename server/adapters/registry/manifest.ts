import { createHash } from "node:crypto";
import { AppError, isAppError } from "@/server/errors";
import { isDigest } from "./reference";
import type { RegistrySession } from "./registry-session";
import type { RegistryTag } from "./types";

export const MEDIA_TYPES = {
  ociIndex: "application/vnd.oci.image.index.v1+json",
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  dockerList: "application/vnd.docker.distribution.manifest.list.v2+json",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
} as const;

/** Every manifest shape we understand; the registry picks the one the image was pushed as. */
export const MANIFEST_ACCEPT = Object.values(MEDIA_TYPES).join(", ");

interface Descriptor {
  mediaType?: string;
  digest?: string;
  size?: number;
  platform?: { os?: string; architecture?: string; variant?: string };
}

interface Manifest {
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
}

/** What a manifest (GET) answered: the digest and the parsed JSON. */
export interface FetchedManifest {
  digest: string;
  manifest: Manifest;
}

/** GET a manifest by tag or digest; the digest comes from `Docker-Content-Digest` (or is computed). */
export async function fetchManifest(session: RegistrySession, reference: string, subject: string): Promise<FetchedManifest> {
  const action = `read the manifest of ${subject}`;
  assertSafeReference(session, reference, action);
  const res = await session.request(`manifests/${reference}`, { accept: MANIFEST_ACCEPT, action });
  if (!res.ok) throw await session.fail(res, action, subject);
  const bytes = await session.readBytes(res, action);
  const digest = res.headers.get("docker-content-digest") ?? `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
  let manifest: Manifest;
  try {
    manifest = JSON.parse(bytes.toString("utf8")) as Manifest;
  } catch (err) {
    throw new AppError("REMOTE_FAILED", `registry ${session.endpoint.registryHost} sent a manifest for ${subject} that is not JSON.`, {
      action,
      cause: err,
    });
  }
  if (!manifest.mediaType) manifest.mediaType = res.headers.get("content-type")?.split(";")[0]?.trim();
  return { digest, manifest };
}

function isIndex(manifest: Manifest): boolean {
  return manifest.mediaType === MEDIA_TYPES.ociIndex || manifest.mediaType === MEDIA_TYPES.dockerList || Array.isArray(manifest.manifests);
}

/** linux/amd64 (the fleet's and the VPSs' platform), else the first real linux image (not an attestation). */
export function pickPlatform(manifests: readonly Descriptor[]): Descriptor | undefined {
  const real = manifests.filter((m) => m.digest && m.platform?.os !== "unknown");
  return (
    real.find((m) => m.platform?.os === "linux" && m.platform.architecture === "amd64") ??
    real.find((m) => m.platform?.os === "linux") ??
    real[0]
  );
}

/**
 * Digest, creation date and size of one tag. A tag that vanished meanwhile (unless
 * `isMissingAnError`), or a platform manifest / config blob the registry lacks, yields the tag
 * without those details rather than failing the whole list.
 */
export async function fetchTagDetails(
  session: RegistrySession,
  tag: string,
  opts: { isMissingAnError?: boolean } = {},
): Promise<RegistryTag> {
  const subject = `tag ${tag} of ${session.endpoint.name}`;
  let digest: string | undefined;
  try {
    const top = await fetchManifest(session, tag, subject);
    digest = top.digest;
    let image = top.manifest;
    if (isIndex(image)) {
      const chosen = pickPlatform(image.manifests ?? []);
      if (!chosen?.digest) return { tag, digest };
      image = (
        await fetchManifest(session, chosen.digest, `${subject} (${chosen.platform?.os ?? "?"}/${chosen.platform?.architecture ?? "?"})`)
      ).manifest;
    }
    const sizeBytes = image.layers?.reduce((sum, layer) => sum + (typeof layer.size === "number" ? layer.size : 0), 0);
    const createdAt = image.config?.digest ? await fetchCreatedAt(session, image.config.digest, subject) : undefined;
    return { tag, digest, createdAt, sizeBytes };
  } catch (err) {
    if (isAppError(err) && err.code === "NOT_FOUND" && !(opts.isMissingAnError && digest === undefined))
      return digest ? { tag, digest } : { tag };
    throw err;
  }
}

async function fetchCreatedAt(session: RegistrySession, configDigest: string, subject: string): Promise<Date | undefined> {
  const action = `read the image config of ${subject}`;
  assertSafeReference(session, configDigest, action);
  const res = await session.request(`blobs/${configDigest}`, { action });
  if (!res.ok) throw await session.fail(res, action, `the image config of ${subject}`);
  const text = await session.readText(res, action);
  try {
    const created = (JSON.parse(text) as { created?: unknown }).created;
    const date = typeof created === "string" ? new Date(created) : undefined;
    return date && !Number.isNaN(date.getTime()) ? date : undefined;
  } catch {
    return undefined;
  }
}

/** Security: digests come from the registry and go into URL paths; accept only the digest grammar. */
function assertSafeReference(session: RegistrySession, reference: string, action: string): void {
  if (reference.includes(":") && !isDigest(reference)) {
    throw new AppError(
      "REMOTE_FAILED",
      `registry ${session.endpoint.registryHost} referenced an invalid digest "${reference.slice(0, 80)}".`,
      { action },
    );
  }
}
