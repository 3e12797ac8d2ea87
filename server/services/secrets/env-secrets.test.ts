import { describe, expect, it } from "vitest";
import { envListEntries, looksRandom, secretValuesOfEnv, urlPasswordOf } from "./env-secrets";

describe("secretValuesOfEnv", () => {
  it("takes the values of secret-looking keys, PixelFox's own included", () => {
    const values = secretValuesOfEnv([
      ["DB_PASSWORD", "hunter22"],
      ["CACHE_PASSWORD", "cache-pass-1"],
      ["UPLOAD_TOKEN_SECRET", "upload-secret"],
      ["REPLICATION_SECRET", "repl-secret"],
      ["SMTP_PASSWORD", "smtp-pass"],
      ["HCAPTCHA_SECRET", "0x0000000000000000000000000000000000000000"],
      ["PROTECTED_ROUTE_METRICS_PW", "metrics-pw"],
    ]);
    expect(values).toEqual([
      "hunter22",
      "cache-pass-1",
      "upload-secret",
      "repl-secret",
      "smtp-pass",
      "0x0000000000000000000000000000000000000000",
      "metrics-pw",
    ]);
  });

  it("leaves plain settings, flags, numbers and short values alone (they would shred every log)", () => {
    expect(
      secretValuesOfEnv([
        ["APP_NAME", "pixelfox"],
        ["DB_HOST", "10.0.0.5"],
        ["TOKEN_TTL", "3600"],
        ["SECRET_ENABLED", "true"],
        ["DB_PASSWORD", "abc"],
        ["COOKIE_DOMAIN", "pixelfox.example"],
        ["PRIVATE_ADDRESS", "10.0.0.7"],
      ]),
    ).toEqual([]);
  });

  it("takes random-looking values under any key, and the password inside a URL", () => {
    expect(secretValuesOfEnv([["SESSION_SIG", "Zx81Kq0Lm3Np7Rt2Vw9Yb4Cd"]])).toEqual(["Zx81Kq0Lm3Np7Rt2Vw9Yb4Cd"]);
    expect(secretValuesOfEnv([["REDIS_URL", "redis://:p%40ss-word@cache:6379/0"]])).toEqual(["p@ss-word"]);
    expect(looksRandom("registry.example.test/pixelfox/app")).toBe(false);
    expect(urlPasswordOf("https://example.test/")).toBeNull();
  });

  it("reads Docker's KEY=value list", () => {
    expect(envListEntries(["A=1", "B=x=y", "broken"])).toEqual([
      ["A", "1"],
      ["B", "x=y"],
    ]);
  });
});
