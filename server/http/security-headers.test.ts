import { describe, expect, it } from "vitest";
import { buildPageCsp, createNonce, STATIC_SECURITY_HEADERS } from "./security-headers";

function directives(csp: string): Map<string, string> {
  return new Map(csp.split("; ").map((d) => [d.split(" ")[0]!, d.slice(d.indexOf(" ") + 1)]));
}

describe("buildPageCsp", () => {
  it("runs only nonced scripts, never inline or eval ones, and cannot be framed", () => {
    const csp = directives(buildPageCsp({ nonce: "abc123==", isDev: false, isTls: false }));
    expect(csp.get("script-src")).toBe("'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(csp.get("frame-ancestors")).toBe("'none'");
    expect(csp.get("object-src")).toBe("'none'");
    expect(csp.get("base-uri")).toBe("'none'");
    expect(csp.get("form-action")).toBe("'self'");
    // Styles may be inline (Tailwind's style attributes); a nonce there would switch 'unsafe-inline' off.
    expect(csp.get("style-src")).toBe("'self' 'unsafe-inline'");
    expect(csp.has("upgrade-insecure-requests")).toBe(false);
  });

  it("allows eval only in dev, and upgrades subresources only behind TLS", () => {
    expect(directives(buildPageCsp({ nonce: "n", isDev: true, isTls: false })).get("script-src")).toContain("'unsafe-eval'");
    expect(directives(buildPageCsp({ nonce: "n", isDev: false, isTls: true })).has("upgrade-insecure-requests")).toBe(true);
  });
});

describe("createNonce", () => {
  it("is 128 random bits, fresh each time", () => {
    const a = createNonce();
    expect(Buffer.from(a, "base64")).toHaveLength(16);
    expect(createNonce()).not.toBe(a);
  });
});

describe("STATIC_SECURITY_HEADERS", () => {
  it("has nosniff, a Referrer-Policy and a frame refusal", () => {
    const byKey = Object.fromEntries(STATIC_SECURITY_HEADERS.map((x) => [x.key, x.value]));
    expect(byKey).toMatchObject({ "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY" });
  });
});
