import type { Stack } from "@prisma/client";
import { httpRequest } from "@/server/adapters/http/http-request";
import { decryptSecret, encryptSecret } from "@/server/crypto";
import { db } from "@/server/db";
import { parseGoLiveSettings } from "@/server/domain/golive";
import { AppError } from "@/server/errors";
import type { JobContext } from "@/server/jobs/types";
import { generateSmokePassword, smokeAccountEmail } from "./account";
import { describeSmokeFailure, firstFailedStep, formatSmokeLine } from "./format";
import type { SmokeHttp } from "./http";
import { runSmoke } from "./run-smoke";
import type { SmokeStepResult } from "./types";

const PASSWORD_AAD = (stackId: string) => `stack:${stackId}:smokePassword`;

/** The stack's dedicated smoke account: its password is generated once and kept encrypted. */
async function smokeAccount(stack: Stack) {
  if (stack.smokePasswordEnc)
    return { email: smokeAccountEmail(stack.name), password: decryptSecret(stack.smokePasswordEnc, PASSWORD_AAD(stack.id)) };
  const password = generateSmokePassword();
  await db.stack.update({ where: { id: stack.id }, data: { smokePasswordEnc: encryptSecret(password, PASSWORD_AAD(stack.id)) } });
  return { email: smokeAccountEmail(stack.name), password };
}

/**
 * The plan's smoke tests for a stack, as its settings choose them, logged one line per step with its
 * timing. A failing step throws, naming the step (the caller says what that means for the deployment).
 */
export async function runStackSmoke(job: JobContext, stack: Stack, http: SmokeHttp = httpRequest): Promise<SmokeStepResult[]> {
  const steps = parseGoLiveSettings(stack.goLiveSettings).smokeSteps;
  const account = steps.includes("account") ? await smokeAccount(stack) : undefined;
  if (account) job.addSecret(account.password);
  const run = await runSmoke(http, { publicUrl: stack.publicDomain, healthPath: stack.healthPath, steps, account, signal: job.signal });
  for (const s of run.steps) job.log(formatSmokeLine(s), s.ok ? "info" : s.skipped ? "warn" : "error");
  if (run.account?.created) job.log(`smoke account ${run.account.email} created now (its password is kept encrypted in the panel)`);
  const failure = describeSmokeFailure(run);
  if (failure) throw new AppError("REMOTE_FAILED", failure, { data: { step: firstFailedStep(run)?.name ?? null } });
  return run.steps;
}
