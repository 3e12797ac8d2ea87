import { AppError } from "@/server/errors";
import { fetchTagDetails } from "./manifest";
import { mapConcurrent } from "./map-concurrent";
import { parseLinkNext } from "./parse-headers";
import { openRegistrySession, type RegistrySession, type RegistrySessionDeps } from "./registry-session";
import { compareTagNames, compareTagsNewestFirst } from "./sort-tags";
import type { ListTagsResult, RegistryRequestOptions } from "./types";

const PAGE_SIZE = 100;
const MAX_PAGES = 200;
const DEFAULT_LIMIT = 50;
const DETAIL_CONCURRENCY = 6;

export interface ListTagsOptions extends RegistryRequestOptions {
  /** Return (and fetch details for) at most this many tags, default 50. */
  limit?: number;
}

/**
 * List a repository's tags, newest first, with digest, creation date and size. All pages of
 * `/v2/<name>/tags/list` are read; the `limit` highest versions get details (manifest + config,
 * six at a time) and are returned sorted by creation date.
 */
export async function listTags(options: ListTagsOptions, deps: RegistrySessionDeps = {}): Promise<ListTagsResult> {
  const limit = options.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new AppError("BAD_REQUEST", `The tag limit must be a whole number between 1 and 1000, got ${String(limit)}.`);
  }
  const session = openRegistrySession(options, deps);
  const names = await listTagNames(session);
  const candidates = [...names].sort((a, b) => compareTagNames(b, a)).slice(0, limit);
  const tags = await mapConcurrent(candidates, DETAIL_CONCURRENCY, (tag) => fetchTagDetails(session, tag));
  return { tags: tags.sort(compareTagsNewestFirst), totalTags: names.length };
}

/** Every tag name of the repository, following `Link: <…>; rel="next"` pagination. */
export async function listTagNames(session: RegistrySession): Promise<string[]> {
  const { name } = session.endpoint;
  const action = `list the tags of ${name}`;
  const seen = new Set<string>();
  let next: string | undefined = `tags/list?n=${PAGE_SIZE}`;
  for (let page = 0; next !== undefined; page++) {
    if (page >= MAX_PAGES) {
      throw new AppError(
        "REMOTE_FAILED",
        `registry ${session.endpoint.registryHost} kept paginating past ${MAX_PAGES * PAGE_SIZE} tags of ${name}; prune old tags.`,
        { action },
      );
    }
    const res = await session.request(next, { accept: "application/json", action });
    if (!res.ok) throw await session.fail(res, action, `repository ${name}`);
    const text = await session.readText(res, action);
    let body: { tags?: unknown };
    try {
      body = JSON.parse(text) as { tags?: unknown };
    } catch (err) {
      throw new AppError(
        "REMOTE_FAILED",
        `registry ${session.endpoint.registryHost} answered the tag list of ${name} with something that is not JSON.`,
        { action, cause: err },
      );
    }
    const before = seen.size;
    for (const tag of Array.isArray(body.tags) ? body.tags : []) if (typeof tag === "string") seen.add(tag);
    const link = parseLinkNext(res.headers.get("link"));
    // A next link that adds nothing would loop forever on a buggy registry.
    next = link !== undefined && seen.size > before ? link : undefined;
  }
  return [...seen];
}
