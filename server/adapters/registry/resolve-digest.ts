import { fetchManifest, fetchTagDetails, MANIFEST_ACCEPT } from "./manifest";
import { assertTagOrDigest } from "./reference";
import { openRegistrySession, type RegistrySessionDeps } from "./registry-session";
import type { RegistryRequestOptions, RegistryTag } from "./types";

export interface TagOptions extends RegistryRequestOptions {
  tag: string;
}

/**
 * The manifest digest a tag points to now (what a deploy records). A HEAD request, so it does
 * not count against pull rate limits; NOT_FOUND with the registry's own words when the tag is missing.
 */
export async function resolveDigest(options: TagOptions, deps: RegistrySessionDeps = {}): Promise<{ tag: string; digest: string }> {
  assertTagOrDigest(options.tag);
  const session = openRegistrySession(options, deps);
  const subject = `tag ${options.tag} of ${session.endpoint.registryHost}/${session.endpoint.name}`;
  const action = `resolve the digest of ${subject}`;
  const res = await session.request(`manifests/${options.tag}`, { method: "HEAD", accept: MANIFEST_ACCEPT, action });
  const digest = res.headers.get("docker-content-digest");
  await res.body?.cancel().catch(() => undefined);
  if (res.ok && digest) return { tag: options.tag, digest };
  // A HEAD answer has no body: GET for the registry's error text, or for a digest to compute.
  const fetched = await fetchManifest(session, options.tag, subject);
  return { tag: options.tag, digest: fetched.digest };
}

/** Throw NOT_FOUND (naming the tag, with the registry's error text) unless the tag exists. */
export async function checkTagExists(options: TagOptions, deps: RegistrySessionDeps = {}): Promise<void> {
  await resolveDigest(options, deps);
}

/** One tag with digest, creation date and size (as in `listTags`); NOT_FOUND when missing. */
export async function getTagDetails(options: TagOptions, deps: RegistrySessionDeps = {}): Promise<RegistryTag> {
  assertTagOrDigest(options.tag);
  return fetchTagDetails(openRegistrySession(options, deps), options.tag, { isMissingAnError: true });
}
