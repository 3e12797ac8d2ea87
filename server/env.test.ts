import { afterEach, describe, expect, it, vi } from "vitest";

async function loadEnv(vars: Record<string, string | undefined>) {
  vi.resetModules();
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
  const { getEnv } = await import("./env");
  return getEnv;
}

afterEach(() => vi.unstubAllEnvs());

describe("PANEL_URL and PANEL_TRUST_PROXY", () => {
  it("keeps PANEL_URL as a bare origin", async () => {
    const getEnv = await loadEnv({ PANEL_URL: "https://Ops.Example.com/", PANEL_TRUST_PROXY: "1" });
    expect(getEnv()).toMatchObject({ panelUrl: "https://ops.example.com", trustProxy: true });
  });

  it("is unset by default: the request's own Host, no proxy trusted", async () => {
    const getEnv = await loadEnv({ PANEL_URL: undefined, PANEL_TRUST_PROXY: undefined });
    expect(getEnv()).toMatchObject({ panelUrl: undefined, trustProxy: false });
  });

  it("refuses a URL with a path, another scheme or no scheme, naming the rule", async () => {
    for (const bad of ["https://ops.example.com/panel", "ftp://ops.example.com", "ops.example.com", "https://u:p@ops.example.com"]) {
      const getEnv = await loadEnv({ PANEL_URL: bad });
      expect(() => getEnv(), bad).toThrow(/PANEL_URL: PANEL_URL must be the panel's own http\(s\) origin/);
    }
  });

  it("refuses a PANEL_TRUST_PROXY that is not 1 or 0", async () => {
    const getEnv = await loadEnv({ PANEL_TRUST_PROXY: "yes" });
    expect(() => getEnv()).toThrow(/PANEL_TRUST_PROXY must be 1 or 0/);
  });
});
