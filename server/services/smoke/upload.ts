import { randomBytes } from "node:crypto";
import { describeAnswer, header, jsonBody, mediaType, redirectPath, type HttpAnswer } from "./http";
import { makeSmokePng, sniffImage } from "./png";
import { displayUrl, formRequest, type SmokeSession } from "./session";
import type { StepOutcome } from "./types";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const SMOKE_FILE_NAME = "pixelfox-ops-smoke.png";

/** What the upload step learned: the image to remove afterwards and the thumbnail to fetch. */
export interface Uploaded {
  uuid: string | null;
  thumbnailUrl: string | null;
  /** The app answered like to a browser (302 to the image page): the thumbnail URL is read from that page. */
  viaPage?: boolean;
}

/** A multipart/form-data body: the text fields, then one file. */
export function multipartForm(
  fields: Record<string, string>,
  file: { field: string; name: string; type: string; data: Buffer },
): { body: Buffer; contentType: string } {
  const boundary = `pixelfox-ops-${randomBytes(12).toString("hex")}`;
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`;
  return {
    body: Buffer.concat([Buffer.from(parts.join("") + head), file.data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** POST /upload as the logged-in smoke account, asking for the JSON upload answer. */
export async function uploadSmokeImage(s: SmokeSession, timeoutMs: number): Promise<StepOutcome & Uploaded> {
  const png = makeSmokePng(32, 32);
  const form = multipartForm(s.csrfFields(), { field: "file", name: SMOKE_FILE_NAME, type: "image/png", data: png });
  const res = await s.send({
    method: "POST",
    target: "/upload",
    headers: { "content-type": form.contentType, accept: "application/json" },
    body: form.body,
    timeoutMs,
  });
  if (res.status === 200) {
    const answer = jsonBody(res) as { image_uuid?: unknown; thumbnail?: { url?: unknown } | null } | null;
    // Security: the id goes into the cleanup URL's path, so only a UUID is taken from the answer.
    const uuid = typeof answer?.image_uuid === "string" && UUID.test(answer.image_uuid) ? answer.image_uuid : null;
    if (!uuid) return { ...failed(res, "not the upload answer (no image_uuid)"), uuid: null, thumbnailUrl: null };
    const thumb = typeof answer?.thumbnail?.url === "string" ? answer.thumbnail.url : null;
    return { ok: true, status: 200, detail: `image ${uuid} (${png.length} bytes sent)`, uuid, thumbnailUrl: thumb };
  }
  const page = redirectPath(res)?.match(/^\/image\/([0-9a-f-]{36})$/i)?.[1] ?? null;
  if (page && UUID.test(page)) {
    return {
      ok: true,
      status: res.status,
      detail: `image ${page} (answered ${res.status} to its page)`,
      uuid: page,
      thumbnailUrl: null,
      viaPage: true,
    };
  }
  return { ...failed(res, uploadHint(res)), uuid: null, thumbnailUrl: null };
}

/** The thumbnail URL from the image page's JSON (GET /image/<uuid> as a JSON client). */
async function thumbnailFromPage(s: SmokeSession, uuid: string): Promise<{ url: string | null; error?: string }> {
  const res = await s.send({ method: "GET", target: `/image/${uuid}`, headers: { accept: "application/json" } });
  const answer = res.status === 200 ? (jsonBody(res) as { thumbnail?: { url?: unknown } | null } | null) : null;
  if (typeof answer?.thumbnail?.url === "string") return { url: answer.thumbnail.url };
  return { url: null, error: `the image page ${describeAnswer(res)} without a thumbnail URL (this app version answers no JSON there)` };
}

function uploadHint(res: HttpAnswer): string {
  if (res.status === 401 || redirectPath(res) === "/login") return "the app did not accept the smoke account's session";
  if (res.status === 413) return "a 32×32 PNG was refused as too large: check the proxy's request body limit";
  if (res.status === 415) return "the app refused a valid PNG";
  if (res.status === 429) return "upload rate limit reached";
  if (res.status >= 500) return "the app failed to store the image: see its log (uploads directory, database, storage pool)";
  return "unexpected answer to the upload";
}

/**
 * GET the thumbnail URL from the upload answer, as a visitor (no cookie): 200, an image/* type,
 * and bytes that start like an image. Only the public origin and the origins the caller allows
 * (storage nodes) are fetched.
 */
export async function fetchThumbnail(s: SmokeSession, uploaded: Uploaded, allowedOrigins: readonly string[]): Promise<StepOutcome> {
  let thumbnailUrl = uploaded.thumbnailUrl;
  if (!thumbnailUrl && uploaded.viaPage && uploaded.uuid) {
    const found = await thumbnailFromPage(s, uploaded.uuid);
    if (!found.url) return { ok: false, error: found.error };
    thumbnailUrl = found.url;
  }
  if (!thumbnailUrl) return { ok: false, error: "the upload answer has no thumbnail: the app could not make one (see its log)" };
  let url: URL;
  try {
    url = new URL(thumbnailUrl, s.base);
  } catch {
    return { ok: false, error: "the upload answer's thumbnail URL is not a URL" };
  }
  const origins = new Set([s.base.origin, ...allowedOrigins.map((o) => new URL(o).origin)]);
  // Security: the panel fetches only where visitors are meant to go; a URL elsewhere (a wrong
  // storage pool, an internal address) is reported, not requested.
  if (!/^https?:$/.test(url.protocol) || !origins.has(url.origin)) {
    return {
      ok: false,
      url: displayUrl(url.toString()),
      error: `the thumbnail URL points to ${url.origin}, not ${s.base.origin}: the default storage pool's public_base_url does not match PUBLIC_DOMAIN (see the storage pool check)`,
    };
  }
  const res = await s.send({ method: "GET", target: url.toString(), maxBodyBytes: 64, anonymous: true });
  const type = mediaType(res);
  const at = displayUrl(url.toString());
  if (res.status !== 200) return { ...failed(res, "the thumbnail is not served"), url: at };
  if (!type.startsWith("image/"))
    return { ...failed(res, "the thumbnail is not served as an image (check the proxy's file handling)"), url: at };
  const format = sniffImage(res.body);
  if (!format) return { ...failed(res, "the thumbnail's bytes are not a PNG, JPEG, GIF, WebP or AVIF image"), url: at };
  const size = header(res, "content-length");
  return { ok: true, status: 200, url: at, detail: `${type}, ${format} data${size ? `, ${size} bytes` : ""}` };
}

/** Removes the images this run uploaded (404: already gone), then ends the session. */
export async function deleteUploads(s: SmokeSession, uuids: readonly string[]): Promise<StepOutcome> {
  const problems: string[] = [];
  let status: number | undefined;
  for (const uuid of uuids) {
    const res = await s.send({
      method: "POST",
      target: `/user/images/delete/${uuid}`,
      ...formRequest(s.csrfFields()),
      evenIfCancelled: true,
    });
    status = res.status;
    if (res.status !== 200 && res.status !== 404) problems.push(`image ${uuid}: ${describeAnswer(res)}`);
  }
  await s.send({ method: "POST", target: "/logout", ...formRequest(s.csrfFields()), evenIfCancelled: true }).catch(() => undefined);
  if (problems.length) {
    return { ok: false, status, error: `${problems.join("; ")}: delete the smoke account's images in PixelFox's admin` };
  }
  return { ok: true, status, detail: `removed ${uuids.length} smoke upload${uuids.length === 1 ? "" : "s"}` };
}

function failed(res: HttpAnswer, why: string): StepOutcome {
  return { ok: false, status: res.status, error: `${describeAnswer(res)}: ${why}` };
}
