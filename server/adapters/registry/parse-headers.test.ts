import { describe, expect, it } from "vitest";
import { parseLinkNext, parseWwwAuthenticate, redactHeaders } from "./parse-headers";

describe("parseWwwAuthenticate", () => {
  it("reads a GHCR Bearer challenge, keeping commas inside quoted scopes", () => {
    expect(
      parseWwwAuthenticate('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:owner/pixelfox:pull,push"'),
    ).toEqual({
      scheme: "bearer",
      params: { realm: "https://ghcr.io/token", service: "ghcr.io", scope: "repository:owner/pixelfox:pull,push" },
    });
  });

  it("reads Basic, unquoted values, odd spacing and escaped quotes", () => {
    expect(parseWwwAuthenticate('Basic realm="pixelfox-fleet"')).toEqual({ scheme: "basic", params: { realm: "pixelfox-fleet" } });
    expect(parseWwwAuthenticate('bearer  Realm = https://x/token , error="invalid_token", x="a\\"b"')).toEqual({
      scheme: "bearer",
      params: { realm: "https://x/token", error: "invalid_token", x: 'a"b' },
    });
  });

  it("stops at a second challenge and rejects empty input", () => {
    expect(parseWwwAuthenticate('Bearer realm="https://r/t", Basic realm="x"')?.params).toEqual({ realm: "https://r/t" });
    expect(parseWwwAuthenticate(null)).toBeUndefined();
    expect(parseWwwAuthenticate("")).toBeUndefined();
  });
});

describe("parseLinkNext", () => {
  it("returns the rel=next target, relative or absolute", () => {
    expect(parseLinkNext('</v2/pixelfox/app/tags/list?n=100&last=v1.9.0>; rel="next"')).toBe(
      "/v2/pixelfox/app/tags/list?n=100&last=v1.9.0",
    );
    expect(parseLinkNext("<https://r.example/v2/a/tags/list?last=b>; rel=next")).toBe("https://r.example/v2/a/tags/list?last=b");
  });

  it("picks next among several links and ignores others", () => {
    expect(parseLinkNext('</first>; rel="first", </n?a=1,2>; rel="next"')).toBe("/n?a=1,2");
    expect(parseLinkNext('</p>; rel="prev"')).toBeUndefined();
    expect(parseLinkNext(undefined)).toBeUndefined();
  });
});

describe("redactHeaders", () => {
  it("keeps only the scheme of credential headers", () => {
    expect(
      redactHeaders({ Authorization: "Basic cHhmY2k6c2VjcmV0", Accept: "application/json", "X-Registry-Auth": "eyJ1c2VyIjp9" }),
    ).toEqual({
      Authorization: "Basic [REDACTED]",
      Accept: "application/json",
      "X-Registry-Auth": "[REDACTED]",
    });
    expect(redactHeaders({ authorization: "Bearer tok-123" }).authorization).toBe("Bearer [REDACTED]");
  });
});
