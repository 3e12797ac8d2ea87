import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { readFleetStatus, type FleetStatus } from "@/fleet/lib/index";
import { isAppError, type AppError } from "@/server/errors";
import { createS3Target } from "./client";
import { deleteObject, headObject, listObjects, openObjectStream, putSmallObject, uploadObject } from "./objects";
import type { S3Settings } from "./types";

let s3: FleetStatus["s3"];
let settings: S3Settings;
const prefix = `int-test-${randomBytes(4).toString("hex")}/`;

beforeAll(async () => {
  s3 = (await readFleetStatus()).s3;
  if (!s3.running || !s3.secretAccessKey) throw new Error("The fleet's S3 server is not running: `npm run fleet -- up` starts it.");
  settings = {
    endpoint: s3.endpoint,
    region: s3.region,
    bucket: s3.bucket,
    forcePathStyle: true,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
  };
});

/** `total` bytes of random data in 1 MiB chunks, generated only when pulled (never held whole), with its sha256. */
function randomStream(total: number): { stream: Readable; digest: Promise<string>; produced: () => number } {
  const hash = createHash("sha256");
  let resolveDigest: (d: string) => void = () => undefined;
  const digest = new Promise<string>((r) => (resolveDigest = r));
  let produced = 0;
  async function* gen() {
    while (produced < total) {
      const chunk = randomBytes(Math.min(1 << 20, total - produced));
      hash.update(chunk);
      produced += chunk.length;
      yield chunk;
    }
    resolveDigest(hash.digest("hex"));
  }
  return { stream: Readable.from(gen(), { highWaterMark: 1 }), digest, produced: () => produced };
}

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash("sha256");
  for await (const c of stream) hash.update(c as Buffer);
  return hash.digest("hex");
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isAppError(err)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

describe("S3 adapter against the fleet's S3 server", () => {
  it("streams a 96 MB upload in parts with flat memory, then heads, reads back (same sha256), lists and deletes it", async () => {
    const t = createS3Target(settings);
    const key = `${prefix}big.sql.gz`;
    const size = 96 * 1024 * 1024;
    const { stream, digest, produced } = randomStream(size);
    const progress: number[] = [];
    let maxAhead = 0; // bytes read from the source but not yet acknowledged by the server
    const t0 = Date.now();
    await uploadObject(t, {
      key,
      body: stream,
      metadata: { sha256: "pending" },
      onProgress: (n) => {
        progress.push(n);
        maxAhead = Math.max(maxAhead, produced() - n);
      },
    });
    console.log(
      `uploaded ${size / 1e6} MB in ${Date.now() - t0} ms; at most ${(maxAhead / 1e6).toFixed(1)} MB read ahead of the acknowledged parts`,
    );
    // Streaming: the source is read a few parts ahead of the server, never whole (memory stays flat).
    expect(maxAhead).toBeLessThanOrEqual(4 * 8 * 1024 * 1024);
    expect(progress.at(-1)).toBe(size);
    expect(progress.length).toBeGreaterThanOrEqual(12); // 8 MiB parts

    const head = await headObject(t, key);
    expect(head?.size).toBe(size);
    expect(head?.metadata.sha256).toBe("pending");
    expect(await sha256Of(await openObjectStream(t, key))).toBe(await digest);
    expect(await listObjects(t, prefix)).toEqual([{ key, size }]);

    await deleteObject(t, key);
    expect(await headObject(t, key)).toBeNull();
    expect(await listObjects(t, prefix)).toEqual([]);
  });

  it("a wrong secret is refused with an auth error naming the endpoint and bucket, never the secret", async () => {
    const wrong = "definitely-not-the-secret-key";
    const err = await failure(putSmallObject(createS3Target({ ...settings, secretAccessKey: wrong }), `${prefix}x`, Buffer.from("x")));
    expect(err.code).toBe("HOST_AUTH_FAILED");
    expect(err.data?.reason).toBe("auth");
    expect(err.message).toContain("SignatureDoesNotMatch");
    expect(err.message).toContain(settings.endpoint);
    expect(err.message).toContain(`bucket ${settings.bucket}`);
    expect(err.message).toMatch(/check the access key id and the secret key/);
    expect(err.message).not.toContain(wrong);
    // HEAD answers carry no error body: a 403 is still reported as refused credentials.
    const head = await failure(headObject(createS3Target({ ...settings, secretAccessKey: wrong }), `${prefix}x`));
    expect(head.data?.reason).toBe("auth");
  });

  it("an unknown access key id and a missing bucket are told apart", async () => {
    const key = await failure(putSmallObject(createS3Target({ ...settings, accessKeyId: "AKIDUNKNOWN" }), `${prefix}x`, Buffer.from("x")));
    expect(key.message).toContain("InvalidAccessKeyId");
    const bucket = await failure(
      putSmallObject(createS3Target({ ...settings, bucket: "no-such-bucket-here" }), `${prefix}x`, Buffer.from("x")),
    );
    expect(bucket.data?.reason).toBe("bucket-missing");
    expect(bucket.message).toContain("Bucket no-such-bucket-here does not exist at " + settings.endpoint);
  });

  it("an unreachable endpoint says so, naming it", async () => {
    const endpoint = "http://127.0.0.1:9";
    const err = await failure(putSmallObject(createS3Target({ ...settings, endpoint }), `${prefix}x`, Buffer.from("x")));
    expect(err.code).toBe("HOST_UNREACHABLE");
    expect(err.message).toContain(`Off-site storage endpoint ${endpoint} is unreachable (ECONNREFUSED)`);
  });
});
