import { afterEach, describe, expect, it } from "vitest";
import { clientAddress, normalizeAddress } from "./client-address";

const from = (xff?: string) => clientAddress(new Headers(xff === undefined ? {} : { "x-forwarded-for": xff }));

afterEach(() => {
  delete process.env.PANEL_TRUST_PROXY;
});

describe("clientAddress", () => {
  it("without a trusted proxy: the single address Next.js recorded; a forwarded chain is not believed", () => {
    expect(from("192.0.2.7")).toBe("192.0.2.7");
    expect(from("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(from("203.0.113.1, 192.0.2.7")).toBe("unknown");
    expect(from()).toBe("unknown");
    expect(from("not-an-address")).toBe("unknown");
  });

  it("behind a trusted proxy (PANEL_TRUST_PROXY=1): the rightmost entry, the one the proxy added", () => {
    process.env.PANEL_TRUST_PROXY = "1";
    expect(from("203.0.113.1, 192.0.2.7")).toBe("192.0.2.7");
    expect(from("spoofed, 2001:db8::1")).toBe("2001:db8::1");
  });

  it("normalizes ports, brackets and IPv4-mapped IPv6", () => {
    expect(normalizeAddress("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(normalizeAddress("192.0.2.1:5678")).toBe("192.0.2.1");
    expect(normalizeAddress("<script>")).toBeNull();
  });
});
