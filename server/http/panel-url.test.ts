import { describe, expect, it } from "vitest";
import { isServedOverTls, resolvePanelOrigin, secureCookieMode } from "./panel-url";

const h = (headers: Record<string, string>) => new Headers(headers);
const forwarded = { host: "127.0.0.1:3000", "x-forwarded-host": "ops.example.com", "x-forwarded-proto": "https" };

describe("resolvePanelOrigin", () => {
  it("is PANEL_URL when set, whatever the request says", () => {
    expect(resolvePanelOrigin(h(forwarded), { panelUrl: "https://ops.example.com", trustProxy: false })).toBe("https://ops.example.com");
  });

  it("is http://<Host> otherwise, and ignores X-Forwarded-* unless the proxy is trusted", () => {
    expect(resolvePanelOrigin(h({ host: "127.0.0.1:3100" }), { trustProxy: false })).toBe("http://127.0.0.1:3100");
    expect(resolvePanelOrigin(h(forwarded), { trustProxy: false })).toBe("http://127.0.0.1:3000");
    expect(resolvePanelOrigin(h({ ...forwarded, "x-forwarded-proto": "https, http" }), { trustProxy: true })).toBe(
      "https://ops.example.com",
    );
  });

  it("is null without a usable Host", () => {
    expect(resolvePanelOrigin(h({}), { trustProxy: false })).toBeNull();
    expect(resolvePanelOrigin(h({ host: "bad host/" }), { trustProxy: false })).toBeNull();
  });
});

describe("isServedOverTls and secureCookieMode", () => {
  it("follow PANEL_URL's scheme", () => {
    expect(isServedOverTls(h(forwarded), { panelUrl: "http://10.0.0.5:3000", trustProxy: true })).toBe(false);
    expect(isServedOverTls(h({}), { panelUrl: "https://ops.example.com", trustProxy: false })).toBe(true);
    expect(secureCookieMode({ panelUrl: "https://ops.example.com", trustProxy: false })).toBe(true);
    expect(secureCookieMode({ panelUrl: "http://10.0.0.5:3000", trustProxy: true })).toBe(false);
  });

  it("believe X-Forwarded-Proto only from a trusted proxy", () => {
    expect(isServedOverTls(h(forwarded), { trustProxy: false })).toBe(false);
    expect(isServedOverTls(h(forwarded), { trustProxy: true })).toBe(true);
    expect(secureCookieMode({ trustProxy: true })).toBe("per-request");
    expect(secureCookieMode({ trustProxy: false })).toBe(false);
  });
});
