import { describe, expect, it } from "vitest";
import { offsiteKeyFor, ZOffsiteSettingsInput } from "./offsite";

const good = {
  enabled: true,
  endpoint: "http://127.0.0.1:4569",
  region: "us-east-1",
  bucket: "pixelfox-backups",
  prefix: "db/",
  forcePathStyle: true,
  accessKeyId: "AKIA1",
  secretAccessKey: "s",
};

function errorsOf(input: unknown): Record<string, string> {
  const r = ZOffsiteSettingsInput.safeParse(input);
  const out: Record<string, string> = {};
  for (const i of r.success ? [] : r.error.issues) out[String(i.path[0])] ??= i.message;
  return out;
}

describe("off-site settings input", () => {
  it("accepts a plain S3 configuration", () => {
    expect(errorsOf(good)).toEqual({});
  });

  it("names the field and the rule for bad values", () => {
    expect(errorsOf({ ...good, endpoint: "ftp://x" }).endpoint).toMatch(/http:\/\/ or https:\/\//);
    expect(errorsOf({ ...good, endpoint: "http://user:pw@s3.example.com" }).endpoint).toMatch(/user or password/);
    expect(errorsOf({ ...good, endpoint: "not a url" }).endpoint).toMatch(/Not a URL/);
    expect(errorsOf({ ...good, bucket: "Bad_Bucket" }).bucket).toMatch(/lower-case/);
    expect(errorsOf({ ...good, bucket: "ab" }).bucket).toMatch(/3-63/);
    expect(errorsOf({ ...good, prefix: "../x" }).prefix).toMatch(/\.\./);
    expect(errorsOf({ ...good, prefix: "/abs" }).prefix).toMatch(/start with \//);
    expect(errorsOf({ ...good, accessKeyId: "" }).accessKeyId).toMatch(/required/);
  });

  it("builds object keys under the prefix", () => {
    expect(offsiteKeyFor("", "abc.sql.gz")).toBe("abc.sql.gz");
    expect(offsiteKeyFor("db", "abc.sql.gz")).toBe("db/abc.sql.gz");
    expect(offsiteKeyFor("db/", "abc.sql.gz")).toBe("db/abc.sql.gz");
  });
});
