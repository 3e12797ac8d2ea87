import type { Readable } from "node:stream";
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { mapS3Error } from "./map-s3-error";
import type { S3Target } from "./types";

/** Multipart part size: memory stays at about PART_SIZE × (QUEUE_SIZE + 1) whatever the file size. */
export const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;

export interface UploadInput {
  key: string;
  body: Readable;
  metadata?: Record<string, string>;
  onProgress?: (uploadedBytes: number) => void;
  signal?: AbortSignal;
}

/** Streams a body into the bucket (multipart above PART_SIZE); a cancelled or failed upload is aborted server-side. */
export async function uploadObject(t: S3Target, input: UploadInput): Promise<void> {
  const upload = new Upload({
    client: t.client,
    partSize: PART_SIZE,
    queueSize: QUEUE_SIZE,
    leavePartsOnError: false,
    params: { Bucket: t.bucket, Key: input.key, Body: input.body, Metadata: input.metadata, ContentType: "application/octet-stream" },
  });
  upload.on("httpUploadProgress", (p) => input.onProgress?.(p.loaded ?? 0));
  const onAbort = () => void upload.abort().catch(() => undefined);
  input.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await upload.done();
  } catch (err) {
    input.body.destroy();
    throw mapS3Error(err, { endpoint: t.endpoint, bucket: t.bucket, action: `uploading ${input.key}` });
  } finally {
    input.signal?.removeEventListener("abort", onAbort);
  }
}

export interface ObjectHead {
  size: number;
  etag: string | null;
  metadata: Record<string, string>;
}

/** Size, ETag and user metadata of an object, or null when there is no such object. */
export async function headObject(t: S3Target, key: string): Promise<ObjectHead | null> {
  try {
    const res = await t.client.send(new HeadObjectCommand({ Bucket: t.bucket, Key: key }));
    return { size: res.ContentLength ?? -1, etag: res.ETag?.replace(/"/g, "") ?? null, metadata: res.Metadata ?? {} };
  } catch (err) {
    const mapped = mapS3Error(err, { endpoint: t.endpoint, bucket: t.bucket, action: `checking ${key}` });
    if (mapped.data?.reason === "not-found") return null;
    throw mapped;
  }
}

/** Writes a small object in one request. */
export async function putSmallObject(t: S3Target, key: string, body: Buffer): Promise<void> {
  try {
    await t.client.send(new PutObjectCommand({ Bucket: t.bucket, Key: key, Body: body, ContentLength: body.length }));
  } catch (err) {
    throw mapS3Error(err, { endpoint: t.endpoint, bucket: t.bucket, action: `writing ${key}` });
  }
}

/** A readable stream of an object's bytes. */
export async function openObjectStream(t: S3Target, key: string): Promise<Readable> {
  try {
    const res = await t.client.send(new GetObjectCommand({ Bucket: t.bucket, Key: key }));
    return res.Body as Readable;
  } catch (err) {
    throw mapS3Error(err, { endpoint: t.endpoint, bucket: t.bucket, action: `reading ${key}` });
  }
}

/** Deletes an object; deleting a missing object succeeds (S3 semantics). */
export async function deleteObject(t: S3Target, key: string): Promise<void> {
  try {
    await t.client.send(new DeleteObjectCommand({ Bucket: t.bucket, Key: key }));
  } catch (err) {
    throw mapS3Error(err, { endpoint: t.endpoint, bucket: t.bucket, action: `deleting ${key}` });
  }
}

/** Keys and sizes under a prefix (at most `limit`). */
export async function listObjects(t: S3Target, prefix: string, limit = 1000): Promise<{ key: string; size: number }[]> {
  const out: { key: string; size: number }[] = [];
  let token: string | undefined;
  try {
    do {
      const res = await t.client.send(
        new ListObjectsV2Command({
          Bucket: t.bucket,
          Prefix: prefix,
          ContinuationToken: token,
          MaxKeys: Math.min(1000, limit - out.length),
        }),
      );
      for (const o of res.Contents ?? []) if (o.Key) out.push({ key: o.Key, size: o.Size ?? 0 });
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token && out.length < limit);
  } catch (err) {
    throw mapS3Error(err, { endpoint: t.endpoint, bucket: t.bucket, action: `listing ${prefix || "the bucket"}` });
  }
  return out;
}
