#!/usr/bin/env node
/**
 * The fleet's S3-compatible server: s3rver (pure npm) on 127.0.0.1, data on disk, one bucket, one key pair.
 * s3rver does not check SigV4 signatures (any secret passes), so this wrapper verifies them itself:
 * a wrong secret gets SignatureDoesNotMatch like a real S3 would answer.
 * usage: node fleet/s3/s3-server.cjs <config.json>   (config: port, directory, bucket, accessKeyId, secretAccessKey)
 */
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const S3rver = require("s3rver");
const AWSAccount = require("s3rver/lib/models/account");
const S3Error = require("s3rver/lib/models/error");

const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));

const hmac = (key, text) => crypto.createHmac("sha256", key).update(text, "utf8").digest();
const sha256Hex = (text) => crypto.createHash("sha256").update(text, "utf8").digest("hex");
const rfc3986 = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function canonicalQuery(raw) {
  if (!raw) return "";
  return raw
    .split("&")
    .filter(Boolean)
    .map((pair) => {
      const i = pair.indexOf("=");
      const k = decodeURIComponent((i < 0 ? pair : pair.slice(0, i)).replace(/\+/g, " "));
      const v = i < 0 ? "" : decodeURIComponent(pair.slice(i + 1).replace(/\+/g, " "));
      return [rfc3986(k), rfc3986(v)];
    })
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

/** Checks an `Authorization: AWS4-HMAC-SHA256 …` header against the configured secret. */
function verifySigV4(req) {
  const auth = req.headers.authorization;
  if (!auth) throw new S3Error("AccessDenied", "Anonymous access is not allowed on this server: sign the request.");
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!m) throw new S3Error("AccessDenied", "Only AWS Signature Version 4 (Authorization header) is accepted here.");
  const [, accessKeyId, date, region, service, signedHeaders, signature] = m;
  if (accessKeyId !== config.accessKeyId) {
    throw new S3Error("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", {
      AWSAccessKeyId: accessKeyId,
    });
  }
  const [rawPath, rawQuery = ""] = req.url.split("?", 2);
  const names = signedHeaders.split(";");
  const headers = names
    .map(
      (n) =>
        `${n}:${String(req.headers[n] ?? "")
          .trim()
          .replace(/\s+/g, " ")}\n`,
    )
    .join("");
  const canonical = [
    req.method,
    rawPath,
    canonicalQuery(rawQuery),
    headers,
    signedHeaders,
    req.headers["x-amz-content-sha256"] ?? "UNSIGNED-PAYLOAD",
  ].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", req.headers["x-amz-date"] ?? "", scope, sha256Hex(canonical)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${config.secretAccessKey}`, date), region), service), "aws4_request");
  const expected = hmac(key, toSign).toString("hex");
  if (!crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
    throw new S3Error(
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
      { AWSAccessKeyId: accessKeyId },
    );
  }
}

async function main() {
  // Security: only the generated key pair is valid, not s3rver's well-known S3RVER/S3RVER.
  AWSAccount.DUMMY_ACCOUNT.revokeAccessKey("S3RVER");
  AWSAccount.DUMMY_ACCOUNT.createKeyPair(config.accessKeyId, config.secretAccessKey);
  const server = new S3rver({
    address: "127.0.0.1",
    port: config.port,
    directory: config.directory,
    silent: false,
    vhostBuckets: false,
    configureBuckets: [{ name: config.bucket }],
  });
  // right after the logger, before any routing: errors thrown here render as S3 XML errors
  server.middleware.splice(1, 0, (ctx, next) => {
    verifySigV4(ctx.req);
    return next();
  });
  await server.run();
  process.stdout.write(`s3: listening on http://127.0.0.1:${config.port}, bucket ${config.bucket}, data ${config.directory}\n`);
  const stop = () => {
    server.close().finally(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((err) => {
  process.stderr.write(`s3: could not start: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
