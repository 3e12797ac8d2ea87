import type { Stack } from "@prisma/client";
import { AppError } from "@/server/errors";
import type { Actor } from "@/server/services/auth/actor";
import { findAcceptedRisk } from "@/server/services/security-audit/accepted-risks";
import { checkAppEnvRules, type SecretRuleContext, type SecretViolation } from "@/server/services/security-audit/secret-rules";
import type { EnvEntry } from "./env-format";

/** An admin's decision to save although the env breaks `rule` for `key`, with the reason they typed. */
export interface EnvRuleOverride {
  rule: string;
  key: string;
  reason: string;
}

export const MIN_OVERRIDE_REASON = 10;

/**
 * The rules as a save applies them. Only what the env says is judged: a key it leaves out (no
 * UPLOAD_TOKEN_SECRET: direct uploads off; no PUBLIC_DOMAIN) is the operator's choice, which the audit
 * reports. APP_HOST is not judged here: the deploy keeps the live container's network, and with
 * network_mode host (the sandbox fleet's) 127.0.0.1 is right and 0.0.0.0 would publish port 4000; the
 * audit, which sees the network, judges it. PUBLIC_DOMAIN must name the stack's domain, on https://
 * unless the stack itself is declared on http:// (a stack without TLS yet; the audit still fails it).
 */
export function saveRuleContext(stack: Pick<Stack, "publicDomain">): SecretRuleContext {
  return {
    proxyDomain: stack.publicDomain || null,
    requireHttps: !/^http:\/\//i.test(stack.publicDomain),
    requireKeys: false,
  };
}

export interface EnvSaveRules {
  /** Broken, overridden on this save: each becomes an accepted risk. */
  overridden: (SecretViolation & { reason: string })[];
  /** Broken, but an admin accepted that rule for that key before (still listed on the audit page). */
  standing: SecretViolation[];
}

/**
 * Judges an env about to be saved. Refuses (BAD_REQUEST, field "content", `data.violations`) when a rule
 * is broken that neither an override of this save nor an accepted risk of the stack covers. An override
 * for a rule the env does not break is ignored.
 * Security: only an admin overrides, and only with a reason; the messages never carry a value.
 */
export async function judgeEnvSave(
  stack: Pick<Stack, "id" | "publicDomain">,
  entries: EnvEntry[],
  overrides: EnvRuleOverride[],
  actor: Actor,
): Promise<EnvSaveRules> {
  const out: EnvSaveRules = { overridden: [], standing: [] };
  const refused: SecretViolation[] = [];
  for (const v of checkAppEnvRules(entries, saveRuleContext(stack))) {
    const override = overrides.find((o) => o.rule === v.rule && o.key === v.key);
    if (override) out.overridden.push({ ...v, reason: override.reason.trim() });
    else if (await findAcceptedRisk(stack.id, v.rule, v.key)) out.standing.push(v);
    else refused.push(v);
  }
  if (out.overridden.length && actor.role !== "ADMIN")
    throw new AppError("FORBIDDEN", "Only an admin can accept a risk: fix the environment instead.");
  const short = out.overridden.find((o) => o.reason.length < MIN_OVERRIDE_REASON);
  if (short)
    throw new AppError(
      "BAD_REQUEST",
      `overrides: say why ${short.key} may break ${short.rule}, in at least ${MIN_OVERRIDE_REASON} characters`,
      {
        data: { field: "overrides" },
      },
    );
  if (refused.length) {
    throw new AppError(
      "BAD_REQUEST",
      `${refused.map((v) => v.message).join(" ")} Nothing was saved: fix ${refused.length > 1 ? "them" : "it"}, or (admins) accept the risk with a reason when saving in the environment editor.`,
      { data: { field: "content", violations: refused } },
    );
  }
  return out;
}
