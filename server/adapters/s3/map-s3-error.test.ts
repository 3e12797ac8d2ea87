import { describe, expect, it } from "vitest";
import { mapS3Error } from "./map-s3-error";

const ctx = { endpoint: "https://s3.example.test", bucket: "backups", action: "uploading db/x.sql.gz" };
const sdk = (name: string, status: number, message = "") =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

describe("mapS3Error", () => {
  it("tells refused credentials, a missing bucket, an unreachable endpoint and a timeout apart", () => {
    expect(mapS3Error(sdk("SignatureDoesNotMatch", 403), ctx).data?.reason).toBe("auth");
    expect(mapS3Error(sdk("Unknown", 403), ctx).data?.reason).toBe("auth");
    expect(mapS3Error(sdk("NoSuchBucket", 404), ctx).message).toBe(
      "Bucket backups does not exist at https://s3.example.test (NoSuchBucket) while uploading db/x.sql.gz: create the bucket or correct its name in the off-site settings.",
    );
    const refused = mapS3Error(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), ctx);
    expect(refused.code).toBe("HOST_UNREACHABLE");
    expect(refused.host).toBe("s3.example.test");
    expect(mapS3Error(Object.assign(new Error("t"), { name: "TimeoutError" }), ctx).code).toBe("HOST_TIMEOUT");
  });

  it("keeps the provider's words for anything else", () => {
    const err = mapS3Error(sdk("SlowDown", 503, "Please reduce your request rate."), ctx);
    expect(err.code).toBe("REMOTE_FAILED");
    expect(err.message).toContain("(SlowDown, HTTP 503): Please reduce your request rate.");
  });
});
