import type { EnvEntry } from "@/server/services/env/env-format";
import { estimateSecretBits, isPlaceholder } from "./secret-strength";

/** The plan's rules for the app's env, by stable id (accepted risks and audit checks name them). */
export const SECRET_RULES = [
  "secret-present",
  "secret-placeholder",
  "secret-min-length",
  "secret-weak",
  "secrets-distinct",
  "replication-secret-same",
  "app-host-container",
  "public-domain-https",
  "db-password-weak",
  "cache-password-weak",
] as const;
export type SecretRuleId = (typeof SECRET_RULES)[number];

/** A rule the env breaks. The message names the key and the rule, never the value. */
export interface SecretViolation {
  key: string;
  rule: SecretRuleId;
  message: string;
}

/** One rule judged for one key: held or broken, with evidence that never carries a secret value. */
export interface SecretRuleResult extends SecretViolation {
  isHeld: boolean;
  evidence: string;
}

export interface SecretRuleContext {
  /** The env of each storage node, for replication-secret-same (not judged without them). */
  storageEnvs?: { host: string; entries: EnvEntry[] }[];
  /** The domain the proxy serves ("pixelfox.cc" or a URL): PUBLIC_DOMAIN must name the same host. */
  proxyDomain?: string | null;
  /** The app runs in a container with a network of its own (not network_mode host); app-host-container is judged only then. */
  inContainer?: boolean;
  /** false: a key the env leaves out is not judged (its feature is off, the operator's choice). Default true. */
  requireKeys?: boolean;
  /** false: an http:// PUBLIC_DOMAIN is not refused (a stack served without TLS, e.g. a sandbox). Default true. */
  requireHttps?: boolean;
}

/** UPLOAD_TOKEN_SECRET and REPLICATION_SECRET sign and guard: an attacker can try guesses offline against a signed token. */
export const SECRET_KEYS = ["UPLOAD_TOKEN_SECRET", "REPLICATION_SECRET"] as const;
export const SECRET_MIN_LENGTH = 32;
/**
 * Security: zxcvbn's estimate for a secret must reach 80 bits. `openssl rand -hex 32` scores about 200,
 * `-base64 32` about 140, 32 random letters and digits at least ~100; words, repeats and sequences score
 * far less (correcthorsebatterystaplecorrecthorse: 73, change_this_secret twice: 27).
 */
export const SECRET_MIN_BITS = 80;
/** Database and cache passwords are only reachable from the app's network: 56 bits is ~17 random characters. */
export const PASSWORD_MIN_BITS = 56;

const GENERATE = "openssl rand -hex 32";
const FEATURE: Record<(typeof SECRET_KEYS)[number], string> = {
  UPLOAD_TOKEN_SECRET: "signed direct uploads",
  REPLICATION_SECRET: "replication to storage nodes",
};

const valueOf = (entries: EnvEntry[], key: string): string => entries.find(([k]) => k === key)?.[1] ?? "";

const result = (rule: SecretRuleId, key: string, isHeld: boolean, evidence: string, message = ""): SecretRuleResult => ({
  rule,
  key,
  isHeld,
  evidence,
  message: isHeld ? `${key}: rule ${rule} holds` : message,
});

/** Words that make a secret weaker when it contains them: the stack's domain and database names. */
function relatedWords(entries: EnvEntry[], ctx: SecretRuleContext): string[] {
  const hosts = [valueOf(entries, "PUBLIC_DOMAIN"), ctx.proxyDomain ?? ""].map(hostOf).filter((h): h is string => !!h);
  return [...hosts.flatMap((h) => [h, ...h.split(".")]), valueOf(entries, "DB_NAME"), valueOf(entries, "DB_USER")].filter(
    (w) => w.length >= 3,
  );
}

function hostOf(domain: string): string | null {
  if (!domain) return null;
  try {
    return new URL(/^[a-z]+:\/\//i.test(domain) ? domain : `https://${domain}`).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** present → not a placeholder → long enough → random enough; the first rule broken ends the chain (one fix per key). */
function judgeSecret(key: (typeof SECRET_KEYS)[number], value: string, ctx: SecretRuleContext, related: string[]): SecretRuleResult[] {
  if (!value) {
    if (ctx.requireKeys === false) return [];
    const message = `${key} is not set (rule secret-present): the app turns ${FEATURE[key]} off without it. Set a random value (${GENERATE}).`;
    return [result("secret-present", key, false, `${key}: not set`, message)];
  }
  const bits = estimateSecretBits(value, related);
  const evidence = `${key}: ${value.length} characters, estimated ${bits} bits`;
  const out = [result("secret-present", key, true, `${key}: set, ${value.length} characters`)];
  if (isPlaceholder(value)) {
    const message = `${key} is a placeholder from the plan's template (rule secret-placeholder): anyone who read the template knows it. Set a random value (${GENERATE}).`;
    return [...out, result("secret-placeholder", key, false, `${key}: a template placeholder, ${value.length} characters`, message)];
  }
  out.push(result("secret-placeholder", key, true, `${key}: not a known placeholder`));
  if (value.length < SECRET_MIN_LENGTH) {
    const message = `${key} has ${value.length} characters, fewer than ${SECRET_MIN_LENGTH} (rule secret-min-length). Set a random value (${GENERATE}).`;
    return [...out, result("secret-min-length", key, false, evidence, message)];
  }
  out.push(result("secret-min-length", key, true, evidence));
  const message = `${key} looks guessable (rule secret-weak): an estimated ${bits} bits, at least ${SECRET_MIN_BITS} needed; it is made of words, repeats or sequences rather than randomness. Set a random value (${GENERATE}).`;
  return [...out, result("secret-weak", key, bits >= SECRET_MIN_BITS, evidence, message)];
}

function judgePassword(key: "DB_PASSWORD" | "CACHE_PASSWORD", value: string, related: string[]): SecretRuleResult[] {
  if (!value) return [];
  const rule = key === "DB_PASSWORD" ? "db-password-weak" : "cache-password-weak";
  const change = key === "DB_PASSWORD" ? "change the database user's password with it" : "set the cache's --requirepass to it";
  if (isPlaceholder(value)) {
    const message = `${key} is a placeholder from the plan's template (rule ${rule}): anyone who read the template knows it. Generate one (openssl rand -hex 24) and ${change}.`;
    return [result(rule, key, false, `${key}: a template placeholder, ${value.length} characters`, message)];
  }
  const bits = estimateSecretBits(value, related);
  const message = `${key} looks guessable (rule ${rule}): an estimated ${bits} bits, at least ${PASSWORD_MIN_BITS} needed. Generate one (openssl rand -hex 24) and ${change}.`;
  return [result(rule, key, bits >= PASSWORD_MIN_BITS, `${key}: ${value.length} characters, estimated ${bits} bits`, message)];
}

function judgeDistinct(entries: EnvEntry[]): SecretRuleResult[] {
  const [upload, replication] = SECRET_KEYS.map((k) => valueOf(entries, k));
  if (!upload || !replication) return [];
  const isSame = upload === replication;
  const message =
    "REPLICATION_SECRET has the same value as UPLOAD_TOKEN_SECRET (rule secrets-distinct): whoever learns one holds both. Give each its own random value.";
  return [
    result(
      "secrets-distinct",
      "REPLICATION_SECRET",
      !isSame,
      `UPLOAD_TOKEN_SECRET and REPLICATION_SECRET: ${isSame ? "the same" : "different"} values`,
      message,
    ),
  ];
}

function judgeReplicationSame(entries: EnvEntry[], storageEnvs: NonNullable<SecretRuleContext["storageEnvs"]>): SecretRuleResult[] {
  if (!storageEnvs.length) return [];
  const app = valueOf(entries, "REPLICATION_SECRET");
  const differ = storageEnvs.filter((s) => valueOf(s.entries, "REPLICATION_SECRET") !== app).map((s) => s.host);
  const same = storageEnvs.filter((s) => !differ.includes(s.host)).map((s) => s.host);
  const evidence = `REPLICATION_SECRET: ${[same.length ? `the app's value on ${same.join(", ")}` : "", differ.length ? `another value (or none) on ${differ.join(", ")}` : ""].filter(Boolean).join("; ")}`;
  const message = `REPLICATION_SECRET differs between the app and storage node${differ.length > 1 ? "s" : ""} ${differ.join(", ")} (rule replication-secret-same): those nodes refuse what the app replicates to them. Set the same value on the app and every storage node.`;
  return [result("replication-secret-same", "REPLICATION_SECRET", differ.length === 0, evidence, message)];
}

function judgeAppHost(entries: EnvEntry[], inContainer: boolean | undefined): SecretRuleResult[] {
  if (inContainer !== true) return [];
  const value = valueOf(entries, "APP_HOST");
  const isHeld = ["0.0.0.0", "::", "[::]"].includes(value);
  const shown = value ? `APP_HOST is ${value}` : "APP_HOST is not set (the app then listens on localhost)";
  const message = `${shown} (rule app-host-container): inside its container the app must listen on 0.0.0.0, or nothing outside the container reaches it. Set APP_HOST=0.0.0.0.`;
  return [
    result("app-host-container", "APP_HOST", isHeld, `${value ? `APP_HOST=${value}` : "APP_HOST: not set"}, in a container`, message),
  ];
}

function judgePublicDomain(entries: EnvEntry[], ctx: SecretRuleContext): SecretRuleResult[] {
  const value = valueOf(entries, "PUBLIC_DOMAIN");
  const fail = (evidence: string, what: string) => [
    result("public-domain-https", "PUBLIC_DOMAIN", false, evidence, `PUBLIC_DOMAIN ${what} (rule public-domain-https).`),
  ];
  if (!value) {
    if (ctx.requireKeys === false) return [];
    return fail(
      "PUBLIC_DOMAIN: not set",
      "is not set: the storage pool's public and upload URLs start empty. Set it to https://<your domain>",
    );
  }
  // Not a secret: shown as written, so the operator sees the typo.
  const shown = value.slice(0, 200);
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (!url || !/^https?:$/.test(url.protocol)) return fail(`PUBLIC_DOMAIN=${shown}`, "is not a URL: write it as https://<your domain>");
  if (ctx.requireHttps !== false && url.protocol !== "https:")
    return fail(
      `PUBLIC_DOMAIN=${shown}`,
      "is not https://: links and upload URLs the app builds from it would travel in clear. Use https://",
    );
  const proxyHost = hostOf(ctx.proxyDomain ?? "");
  if (proxyHost && url.hostname.toLowerCase() !== proxyHost)
    return fail(
      `PUBLIC_DOMAIN=${shown}, the proxy serves ${proxyHost}`,
      `names ${url.hostname}, the proxy serves ${proxyHost}: set it to https://${proxyHost}`,
    );
  return [result("public-domain-https", "PUBLIC_DOMAIN", true, `PUBLIC_DOMAIN=${shown}${proxyHost ? `, the host the proxy serves` : ""}`)];
}

/** Every rule that applies to this env, held or broken, in the plan's order. */
export function judgeAppEnvRules(entries: EnvEntry[], ctx: SecretRuleContext = {}): SecretRuleResult[] {
  const related = relatedWords(entries, ctx);
  return [
    ...judgePublicDomain(entries, ctx),
    ...judgeAppHost(entries, ctx.inContainer),
    ...judgePassword("DB_PASSWORD", valueOf(entries, "DB_PASSWORD"), related),
    ...judgePassword("CACHE_PASSWORD", valueOf(entries, "CACHE_PASSWORD"), related),
    ...SECRET_KEYS.flatMap((k) => judgeSecret(k, valueOf(entries, k), ctx, related)),
    ...judgeDistinct(entries),
    ...judgeReplicationSame(entries, ctx.storageEnvs ?? []),
  ];
}

/** The plan's rules this env breaks (empty when it keeps them all). Messages name key and rule, never a value. */
export function checkAppEnvRules(entries: EnvEntry[], ctx: SecretRuleContext = {}): SecretViolation[] {
  return judgeAppEnvRules(entries, ctx)
    .filter((r) => !r.isHeld)
    .map(({ key, rule, message }) => ({ key, rule, message }));
}
