import http from "node:http";
import https from "node:https";
import { S3Client } from "@aws-sdk/client-s3";
import { assertOutboundLiteralAllowed, createGuardedLookup, type OutboundDeps } from "@/server/adapters/http/outbound-guard";
import { OUTBOUND } from "@/server/adapters/http/outbound-purposes";
import type { S3Settings, S3Target } from "./types";

// The SDK is pinned to a release that supports Node 20 (the panel's engine); its notice that later
// releases will need Node 22 would otherwise land in the server log on every start.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const CONNECT_TIMEOUT_MS = 5_000;
/** Idle socket time before a request is given up (a stalled upload part, a silent server). */
const REQUEST_TIMEOUT_MS = 60_000;
/** The SDK's own default socket cap per agent. */
const MAX_SOCKETS = 50;

/**
 * An S3 client for one bucket. Checksums only when an operation requires them: newer SDKs otherwise
 * send aws-chunked bodies with trailing CRC32s that several S3-compatible servers reject.
 * Security: the endpoint goes through the outbound guard: refused here when its host as written is
 * the panel's own port or a link-local / metadata address, and every connection the SDK opens checks
 * the address it resolves to (the agents' `lookup`). Throws BAD_REQUEST naming `endpoint`.
 */
export function createS3Target(s: S3Settings, deps: OutboundDeps = {}): S3Target {
  const { port } = assertOutboundLiteralAllowed(s.endpoint, OUTBOUND.s3Endpoint, deps);
  const lookup = createGuardedLookup(port, OUTBOUND.s3Endpoint, deps);
  const client = new S3Client({
    endpoint: s.endpoint,
    region: s.region || "us-east-1",
    forcePathStyle: s.forcePathStyle,
    credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: 2,
    requestHandler: {
      connectionTimeout: CONNECT_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, lookup }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, lookup }),
    },
  });
  return { client, endpoint: s.endpoint, bucket: s.bucket };
}
