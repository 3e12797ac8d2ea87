import { describe, expect, it } from "vitest";
import type { AuditedService } from "./gather-data";
import { cookieSecureCheck } from "./env-checks";

const service = (kind: string, containerName: string, host: string): AuditedService => ({
  kind,
  containerName,
  host: { id: host, name: host, address: "10.0.0.1", privateAddress: null },
  target: null,
  container: null,
  hostname: null,
  reachability: [],
});

describe("cookieSecureCheck (the plan's CookieSecure note)", () => {
  const app = service("app", "pxlfox-app", "app1");

  it("passes behind the stack's proxy, saying where TLS terminates", () => {
    const c = cookieSecureCheck(app, service("proxy", "pxlfox-proxy", "edge"));
    expect(c).toMatchObject({ id: "cookie-secure", verdict: "pass", fix: null });
    expect(c.evidence).toContain("TLS terminates on pxlfox-proxy on edge");
  });

  it("is unknown without a proxy: TLS would end on the app, whose code the panel cannot read", () => {
    const c = cookieSecureCheck(app, undefined);
    expect(c.verdict).toBe("unknown");
    expect(c.fix).toContain("CookieSecure: true");
  });
});
