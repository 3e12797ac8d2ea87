import type { AuditCheck } from "@/server/domain/security-audit";
import type { EnvEntry } from "@/server/services/env/env-format";
import { judgeAppEnvRules, type SecretRuleContext, type SecretRuleId } from "./secret-rules";
import type { AcceptedRiskView } from "./views";

interface RuleText {
  label: (key: string) => string;
  why: string;
  fix: (key: string) => string;
}

const RANDOM_SECRET_FIX = (key: string) =>
  `Generate one (openssl rand -hex 32), set ${key} under Stack → App environment (and on every storage node for REPLICATION_SECRET), then deploy.`;

const TEXT: Record<SecretRuleId, RuleText> = {
  "secret-present": {
    label: (k) => `${k} is set`,
    why: "Without it the app turns the feature off: no signed direct uploads (UPLOAD_TOKEN_SECRET), no replication to storage nodes (REPLICATION_SECRET).",
    fix: RANDOM_SECRET_FIX,
  },
  "secret-placeholder": {
    label: (k) => `${k} is not a template placeholder`,
    why: "The plan's .env example ships placeholder secrets that everyone can read: anyone who read it can sign upload tokens or push files to storage nodes.",
    fix: RANDOM_SECRET_FIX,
  },
  "secret-min-length": {
    label: (k) => `${k} has at least 32 characters`,
    why: "A signed token lets an attacker try guesses offline, as fast as their hardware allows: a short secret falls to that.",
    fix: RANDOM_SECRET_FIX,
  },
  "secret-weak": {
    label: (k) => `${k} is random (at least 80 estimated bits)`,
    why: "Words, repeats and sequences are what guessing tools try first, whatever the length (strength estimated by zxcvbn on the first 100 characters).",
    fix: RANDOM_SECRET_FIX,
  },
  "secrets-distinct": {
    label: () => "UPLOAD_TOKEN_SECRET and REPLICATION_SECRET differ",
    why: "The plan asks for two different secrets: with one value, whoever learns either can do both.",
    fix: () => "Generate a new REPLICATION_SECRET (openssl rand -hex 32), set it on the app and every storage node, then deploy.",
  },
  "replication-secret-same": {
    label: () => "REPLICATION_SECRET is the same on the app and every storage node",
    why: "A storage node refuses PUT /api/internal/replicate with a secret other than its own: replicas silently stop.",
    fix: () => "Copy the app's REPLICATION_SECRET into each storage node's env and restart them.",
  },
  "app-host-container": {
    label: () => "APP_HOST is 0.0.0.0 in the container",
    why: "The app defaults to localhost, which inside a container with its own network nobody else can reach: the proxy gets connection refused.",
    fix: () => "Set APP_HOST=0.0.0.0 under Stack → App environment and deploy.",
  },
  "public-domain-https": {
    label: () => "PUBLIC_DOMAIN is the https:// address the proxy serves",
    why: "The app builds its links and the storage pool's upload URLs from PUBLIC_DOMAIN: http sends sessions and uploads in clear, another host breaks them.",
    fix: () =>
      "Set PUBLIC_DOMAIN=https://<the proxy's domain> under Stack → App environment and deploy (existing storage pools keep their URLs: edit them in the app).",
  },
  "db-password-weak": {
    label: () => "DB_PASSWORD is not a placeholder or guessable",
    why: "strong_db_password is in the plan for everyone to read; a guessable password opens the database to anyone on its network.",
    fix: () =>
      "Generate one (openssl rand -hex 24), give it to the app's database user (DB_USER) with ALTER USER … IDENTIFIED BY on the database, set DB_PASSWORD to it, then deploy.",
  },
  "cache-password-weak": {
    label: () => "CACHE_PASSWORD is not a placeholder or guessable",
    why: "The cache holds the app's sessions: a known or guessable password lets anyone on its network read and forge them.",
    fix: () =>
      "Generate one (openssl rand -hex 24), set it as the cache's --requirepass and as CACHE_PASSWORD, restart the cache, then deploy.",
  },
};

/**
 * The plan's env rules as audit checks for one host's env (area "env", id `env:<rule>:<key>`): a pass for
 * every rule that held and a fail for every rule broken, each with evidence that carries no secret value.
 * A failure an admin accepted (rule and key, see accepted-risks.ts) carries its reason.
 */
export function envAuditChecks(entries: EnvEntry[], ctx: SecretRuleContext = {}, acceptedRisks: AcceptedRiskView[] = []): AuditCheck[] {
  return judgeAppEnvRules(entries, ctx).map((r) => {
    const text = TEXT[r.rule];
    const accepted = r.isHeld ? undefined : acceptedRisks.find((a) => a.rule === r.rule && a.subject === r.key);
    return {
      id: `env:${r.rule}:${r.key}`,
      area: "env",
      label: text.label(r.key),
      verdict: r.isHeld ? "pass" : "fail",
      evidence: r.evidence,
      why: text.why,
      fix: r.isHeld ? null : text.fix(r.key),
      panelFix: null,
      acceptedRisk: accepted ? { reason: accepted.reason, by: accepted.acceptedBy, at: accepted.createdAt.toISOString() } : null,
    };
  });
}
