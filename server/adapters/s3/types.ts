import type { S3Client } from "@aws-sdk/client-s3";

/** Where and how to reach an S3-compatible bucket. Security: the secret stays server-side. */
export interface S3Settings {
  /** http(s) URL of the S3 API, e.g. https://s3.eu-central-1.amazonaws.com or http://127.0.0.1:4569 */
  endpoint: string;
  region: string;
  bucket: string;
  /** Path-style addressing (endpoint/bucket/key), needed by most self-hosted servers. */
  forcePathStyle: boolean;
  accessKeyId: string;
  secretAccessKey: string;
}

/** A client bound to one bucket; every error names the endpoint and the bucket. */
export interface S3Target {
  client: S3Client;
  endpoint: string;
  bucket: string;
}

/** Why an S3 call failed, for the UI and tests (the message says it in words). */
export type S3FailureReason = "unreachable" | "timeout" | "auth" | "bucket-missing" | "not-found" | "other";
