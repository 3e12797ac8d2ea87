import { randomBytes, randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { EnvEntry } from "@/server/services/env/env-format";
import { envAuditChecks } from "./env-audit-checks";
import { checkAppEnvRules, SECRET_MIN_BITS } from "./secret-rules";
import { estimateSecretBits, STRENGTH_INPUT_CAP } from "./secret-strength";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** What an operator pastes from `openssl rand -hex 32`, `openssl rand -base64 32`, or a password manager's 32 letters and digits. */
const GENERATORS = {
  "openssl rand -hex 32": () => randomBytes(32).toString("hex"),
  "openssl rand -base64 32": () => randomBytes(32).toString("base64"),
  "32 random letters and digits": () => Array.from({ length: 32 }, () => ALNUM[randomInt(ALNUM.length)]).join(""),
};
const strong = GENERATORS["openssl rand -hex 32"];
/** zxcvbn takes 10-40 ms a value, several times that on a loaded machine, and each env here holds four secrets. */
const SLOW = { timeout: 30_000 };

/** The plan's .env for separate hosts, with real secrets. */
const goodEnv = (): EnvEntry[] => [
  ["PUBLIC_DOMAIN", "https://pixelfox.cc"],
  ["APP_ENV", "prod"],
  ["APP_HOST", "0.0.0.0"],
  ["DB_NAME", "pixelfox_db"],
  ["DB_USER", "pixelfox"],
  ["DB_PASSWORD", randomBytes(24).toString("hex")],
  ["CACHE_PASSWORD", randomBytes(24).toString("base64url")],
  ["UPLOAD_TOKEN_SECRET", strong()],
  ["REPLICATION_SECRET", strong()],
];
const withValue = (env: EnvEntry[], key: string, value: string | null): EnvEntry[] =>
  value === null ? env.filter(([k]) => k !== key) : [...env.filter(([k]) => k !== key), [key, value]];
const rulesBroken = (env: EnvEntry[], ctx?: Parameters<typeof checkAppEnvRules>[1]) =>
  checkAppEnvRules(env, ctx).map((v) => `${v.rule} ${v.key}`);

describe("a secret's strength", SLOW, () => {
  it.each(Object.entries(GENERATORS))("accepts %s (10 samples)", (_name, generate) => {
    for (let i = 0; i < 10; i++) {
      const value = generate();
      expect(checkAppEnvRules(withValue(goodEnv(), "UPLOAD_TOKEN_SECRET", value)), `${value} should pass`).toEqual([]);
    }
  });

  it.each([
    ["change_this_secret_change_this_secret", "secret-placeholder"],
    ["a".repeat(40), "secret-weak"],
    ["abcdefghijklmnopqrstuvwxyz123456", "secret-weak"],
    ["correcthorsebatterystaplecorrecthorse", "secret-weak"],
    ["pixelfoxpixelfoxpixelfoxpixelfox", "secret-weak"],
    ["change_this_secret", "secret-placeholder"],
    [randomBytes(9).toString("hex"), "secret-min-length"],
  ])("refuses %s as UPLOAD_TOKEN_SECRET (rule %s), naming the key and never the value", (value, rule) => {
    const violations = checkAppEnvRules(withValue(goodEnv(), "UPLOAD_TOKEN_SECRET", value));
    expect(violations.map((v) => v.rule)).toEqual([rule]);
    expect(violations[0]!.key).toBe("UPLOAD_TOKEN_SECRET");
    expect(violations[0]!.message).toContain(`UPLOAD_TOKEN_SECRET`);
    expect(violations[0]!.message).toContain(`rule ${rule}`);
    expect(violations[0]!.message).not.toContain(value);
  });

  it("scores the guessable ones below the threshold, whatever rule catches them first", () => {
    for (const v of [
      "change_this_secret_change_this_secret",
      "a".repeat(40),
      "abcdefghijklmnopqrstuvwxyz123456",
      "correcthorsebatterystaplecorrecthorse",
    ])
      expect(estimateSecretBits(v), v).toBeLessThan(SECRET_MIN_BITS);
  });

  it("judges only the first 100 characters, so a long value stays fast", () => {
    const head = strong();
    const t = Date.now();
    expect(estimateSecretBits(head + "a".repeat(5000))).toBe(estimateSecretBits((head + "a".repeat(5000)).slice(0, STRENGTH_INPUT_CAP)));
    expect(Date.now() - t).toBeLessThan(5000);
  });
});

describe("the env rules", SLOW, () => {
  it("the plan's .env as published breaks every rule it can, each named by key", () => {
    const plan: EnvEntry[] = [
      ["PUBLIC_DOMAIN", "https://pixelfox.cc"],
      ["APP_HOST", "localhost"],
      ["DB_PASSWORD", "strong_db_password"],
      ["UPLOAD_TOKEN_SECRET", "change_this_secret"],
      ["REPLICATION_SECRET", "change_this_replication_secret"],
    ];
    expect(rulesBroken(plan, { inContainer: true })).toEqual([
      "app-host-container APP_HOST",
      "db-password-weak DB_PASSWORD",
      "secret-placeholder UPLOAD_TOKEN_SECRET",
      "secret-placeholder REPLICATION_SECRET",
    ]);
  });

  it("missing secrets and domain fail the audit but not a save that leaves them out on purpose", () => {
    const env = withValue(withValue(withValue(goodEnv(), "UPLOAD_TOKEN_SECRET", null), "REPLICATION_SECRET", ""), "PUBLIC_DOMAIN", null);
    expect(rulesBroken(env)).toEqual([
      "public-domain-https PUBLIC_DOMAIN",
      "secret-present UPLOAD_TOKEN_SECRET",
      "secret-present REPLICATION_SECRET",
    ]);
    expect(rulesBroken(env, { requireKeys: false })).toEqual([]);
  });

  it("wants two different secrets, and the same replication secret on every storage node", () => {
    const env = goodEnv();
    const replication = env.find(([k]) => k === "REPLICATION_SECRET")![1];
    expect(rulesBroken(withValue(env, "UPLOAD_TOKEN_SECRET", replication))).toEqual(["secrets-distinct REPLICATION_SECRET"]);
    const storageEnvs = [
      { host: "s01", entries: [["REPLICATION_SECRET", replication]] as EnvEntry[] },
      { host: "s02", entries: [["REPLICATION_SECRET", strong()]] as EnvEntry[] },
      { host: "s03", entries: [] as EnvEntry[] },
    ];
    const [v] = checkAppEnvRules(env, { storageEnvs });
    expect(v).toMatchObject({ rule: "replication-secret-same", key: "REPLICATION_SECRET" });
    expect(v!.message).toContain("storage nodes s02, s03");
    expect(v!.message).not.toContain(replication);
    expect(checkAppEnvRules(env, { storageEnvs: storageEnvs.slice(0, 1) })).toEqual([]);
  });

  it("wants APP_HOST=0.0.0.0 in a container with its own network, and says nothing of it otherwise", () => {
    expect(rulesBroken(withValue(goodEnv(), "APP_HOST", "127.0.0.1"), { inContainer: true })).toEqual(["app-host-container APP_HOST"]);
    expect(rulesBroken(withValue(goodEnv(), "APP_HOST", null), { inContainer: true })).toEqual(["app-host-container APP_HOST"]);
    expect(rulesBroken(withValue(goodEnv(), "APP_HOST", "127.0.0.1"), { inContainer: false })).toEqual([]);
    expect(rulesBroken(goodEnv(), { inContainer: true })).toEqual([]);
  });

  it("wants PUBLIC_DOMAIN on https:// and on the host the proxy serves", () => {
    const at = (v: string, ctx?: Parameters<typeof checkAppEnvRules>[1]) => checkAppEnvRules(withValue(goodEnv(), "PUBLIC_DOMAIN", v), ctx);
    expect(at("http://pixelfox.cc")[0]?.message).toMatch(/^PUBLIC_DOMAIN is not https:\/\/.*\(rule public-domain-https\)/);
    expect(at("http://pixelfox.cc", { requireHttps: false })).toEqual([]);
    expect(at("pixelfox.cc")[0]?.message).toMatch(/is not a URL/);
    expect(at("https://www.pixelfox.cc", { proxyDomain: "pixelfox.cc" })[0]?.message).toMatch(
      /names www\.pixelfox\.cc, the proxy serves pixelfox\.cc: set it to https:\/\/pixelfox\.cc/,
    );
    expect(at("https://PixelFox.cc/", { proxyDomain: "https://pixelfox.cc/" })).toEqual([]);
  });

  it("refuses placeholder and guessable database and cache passwords, not an absent cache password", () => {
    expect(rulesBroken(withValue(goodEnv(), "DB_PASSWORD", "strong_db_password"))).toEqual(["db-password-weak DB_PASSWORD"]);
    expect(rulesBroken(withValue(goodEnv(), "DB_PASSWORD", "s3cret-value"))).toEqual(["db-password-weak DB_PASSWORD"]);
    expect(rulesBroken(withValue(goodEnv(), "DB_PASSWORD", "pixelfox_db2024"))).toEqual(["db-password-weak DB_PASSWORD"]);
    expect(rulesBroken(withValue(goodEnv(), "CACHE_PASSWORD", "changeme"))).toEqual(["cache-password-weak CACHE_PASSWORD"]);
    for (const placeholder of ["PixelFox", "replace_me", "change-me-please", "...", "<your password>"])
      expect(checkAppEnvRules(withValue(goodEnv(), "CACHE_PASSWORD", placeholder))[0]?.message, placeholder).toMatch(
        /^CACHE_PASSWORD is a placeholder from the plan's template \(rule cache-password-weak\)/,
      );
    expect(rulesBroken(withValue(goodEnv(), "CACHE_PASSWORD", null))).toEqual([]);
    // The fleet's and the panel's generated passwords.
    expect(rulesBroken(withValue(goodEnv(), "DB_PASSWORD", randomBytes(18).toString("hex")))).toEqual([]);
    expect(rulesBroken(withValue(goodEnv(), "CACHE_PASSWORD", randomBytes(32).toString("base64url")))).toEqual([]);
  });
});

describe("envAuditChecks", SLOW, () => {
  it("shows every rule that held as a pass, with evidence that has no secret value", () => {
    const env = goodEnv();
    const checks = envAuditChecks(env, { inContainer: true, proxyDomain: "pixelfox.cc", storageEnvs: [] });
    expect(checks.every((c) => c.verdict === "pass" && c.area === "env" && c.fix === null && c.panelFix === null)).toBe(true);
    expect(checks.map((c) => c.id)).toEqual([
      "env:public-domain-https:PUBLIC_DOMAIN",
      "env:app-host-container:APP_HOST",
      "env:db-password-weak:DB_PASSWORD",
      "env:cache-password-weak:CACHE_PASSWORD",
      ...["UPLOAD_TOKEN_SECRET", "REPLICATION_SECRET"].flatMap((k) =>
        ["secret-present", "secret-placeholder", "secret-min-length", "secret-weak"].map((r) => `env:${r}:${k}`),
      ),
      "env:secrets-distinct:REPLICATION_SECRET",
    ]);
    const all = JSON.stringify(checks);
    for (const [k, v] of env) if (/PASSWORD|SECRET/.test(k)) expect(all).not.toContain(v);
  });

  it("fails a short secret with its length and estimate as evidence, and carries an accepted risk's reason", () => {
    const short = randomBytes(9).toString("hex");
    const at = new Date("2026-12-01T10:00:00Z");
    const risk = {
      id: "r1",
      rule: "secret-min-length",
      subject: "UPLOAD_TOKEN_SECRET",
      reason: "rotating it next week",
      acceptedBy: "admin",
      createdAt: at,
    };
    const checks = envAuditChecks(withValue(goodEnv(), "UPLOAD_TOKEN_SECRET", short), {}, [risk]);
    const failed = checks.filter((c) => c.verdict === "fail");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      id: "env:secret-min-length:UPLOAD_TOKEN_SECRET",
      label: "UPLOAD_TOKEN_SECRET has at least 32 characters",
      evidence: expect.stringMatching(/^UPLOAD_TOKEN_SECRET: 18 characters, estimated \d+ bits$/),
      fix: expect.stringContaining("openssl rand -hex 32"),
      acceptedRisk: { reason: "rotating it next week", by: "admin", at: at.toISOString() },
    });
    expect(JSON.stringify(checks)).not.toContain(short);
    expect(checks.some((c) => c.id === "env:secret-weak:UPLOAD_TOKEN_SECRET")).toBe(false);
  });
});
