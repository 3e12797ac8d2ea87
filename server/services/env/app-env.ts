import type { EnvVersion } from "@prisma/client";
import { createSshDocker, type DockerConnector } from "@/server/adapters/docker";
import { encryptSecret } from "@/server/crypto";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { configuredEnv, findLive, listAppContainers } from "@/server/services/deploy/app-containers";
import { buildDeployPlan } from "@/server/services/deploy/plan";
import { getStackRow } from "@/server/services/inventory/stacks";
import { acceptRisk } from "@/server/services/security-audit/accepted-risks";
import { invalidateStackSecrets } from "@/server/services/secrets/secret-cache";
import { envAad, envEntriesOf, envTextOf } from "./deploy-env";
import { diffEnv, formatEnv, maskEntries, parseEnvText, type EnvChange, type EnvEntry } from "./env-format";
import { judgeEnvSave, type EnvRuleOverride } from "./env-save-rules";

export type { EnvRuleOverride } from "./env-save-rules";

export interface EnvVersionView {
  id: string;
  version: number;
  note: string;
  createdBy: string;
  createdAt: Date;
  keys: string[];
}

const toView = (r: EnvVersion): EnvVersionView => ({
  id: r.id,
  version: r.version,
  note: r.note,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  keys: JSON.parse(r.keys) as string[],
});

/** Newest first, keys only (no values leave the server here). */
export async function listEnvVersions(stackRef: string): Promise<EnvVersionView[]> {
  const stack = await getStackRow(stackRef);
  return (await db.envVersion.findMany({ where: { stackId: stack.id }, orderBy: { version: "desc" } })).map(toView);
}

async function versionRow(id: string): Promise<EnvVersion> {
  const row = await db.envVersion.findUnique({ where: { id } });
  if (!row) throw new AppError("NOT_FOUND", "Environment version not found");
  return row;
}

/** One version's entries, secrets masked; `reveal` (admins, audited by the caller) gives the text as saved. */
export async function readEnvVersion(id: string, reveal: boolean): Promise<EnvVersionView & { entries: EnvEntry[]; text: string | null }> {
  const row = await versionRow(id);
  return { ...toView(row), entries: reveal ? envEntriesOf(row) : maskEntries(envEntriesOf(row)), text: reveal ? envTextOf(row) : null };
}

/** What changed from the version before (or from nothing, for the first). */
export async function diffEnvVersion(id: string): Promise<EnvChange[]> {
  const row = await versionRow(id);
  const prev = await db.envVersion.findFirst({
    where: { stackId: row.stackId, version: { lt: row.version } },
    orderBy: { version: "desc" },
  });
  return diffEnv(prev ? envEntriesOf(prev) : [], envEntriesOf(row));
}

/**
 * Saves a new version of the app's environment (admins). Every line is checked first (a problem is a
 * BAD_REQUEST naming the line), then the plan's secret rules (see env-save-rules.ts): a broken rule is
 * a BAD_REQUEST naming key and rule, with the violations in `data`, unless an admin overrides it with a
 * reason (recorded as an accepted risk) or accepted it before. The text is stored as written, encrypted.
 * From now on deploys start new app containers with it. Audited with the keys that changed, never values.
 */
export async function saveEnvVersion(
  stackRef: string,
  text: string,
  note: string,
  actor: Actor,
  overrides: EnvRuleOverride[] = [],
): Promise<EnvVersionView> {
  const stack = await getStackRow(stackRef);
  const { entries, problems } = parseEnvText(text);
  if (problems.length) {
    throw new AppError(
      "BAD_REQUEST",
      problems
        .slice(0, 5)
        .map((p) => (p.line ? `Line ${p.line}: ${p.message}` : p.message))
        .join("; "),
      { data: { field: "content" } },
    );
  }
  if (entries.length === 0)
    throw new AppError("BAD_REQUEST", "The environment is empty: the app needs at least its DB_* settings.", {
      data: { field: "content" },
    });
  const rules = await judgeEnvSave(stack, entries, overrides, actor);
  const prev = await db.envVersion.findFirst({ where: { stackId: stack.id }, orderBy: { version: "desc" } });
  const version = (prev?.version ?? 0) + 1;
  const row = await db.envVersion.create({
    data: {
      stackId: stack.id,
      version,
      contentEnc: encryptSecret(text, envAad({ stackId: stack.id, version })),
      keys: JSON.stringify(entries.map(([k]) => k)),
      note: note.trim().slice(0, 200),
      createdBy: actor.label,
    },
  });
  // The new values are redacted from the stack's logs from now on.
  invalidateStackSecrets(stack.id);
  const changes = diffEnv(prev ? envEntriesOf(prev) : [], entries).map((c) => `${c.change} ${c.key}`);
  for (const o of rules.overridden) await acceptRisk({ stack: stack.name, rule: o.rule, subject: o.key, reason: o.reason }, actor);
  await recordAuditEvent(actor, {
    action: "env.save",
    target: stack.name,
    details: {
      version,
      changes,
      ...(rules.overridden.length ? { risksAccepted: rules.overridden.map(({ rule, key, reason }) => ({ rule, key, reason })) } : {}),
      ...(rules.standing.length ? { risksAcceptedBefore: rules.standing.map(({ rule, key }) => ({ rule, key })) } : {}),
    },
  });
  return toView(row);
}

/** Makes an older version the newest again, as a new version (history stays linear and complete). */
export async function restoreEnvVersion(id: string, actor: Actor): Promise<EnvVersionView> {
  const row = await versionRow(id);
  const stack = await getStackRow(row.stackId);
  return saveEnvVersion(stack.name, envTextOf(row), `restored from version ${row.version}`, actor);
}

/**
 * Seeds the managed environment from the running app container on the stack's first app host (its env
 * minus the image's defaults and APP_PORT, which the deploy sets), as a new version.
 */
export async function importEnvFromLive(
  stackRef: string,
  actor: Actor,
  dockerFor: DockerConnector = createSshDocker(),
): Promise<EnvVersionView> {
  const stack = await getStackRow(stackRef);
  const app = (await buildDeployPlan(stack)).apps[0]!;
  const docker = dockerFor(app.target);
  const live = findLive(await listAppContainers(docker, app.containerName), app.containerName);
  if (!live)
    throw new AppError("PRECONDITION_FAILED", `No running ${app.containerName} on ${app.target.name} to read the environment from.`, {
      host: app.target.name,
    });
  const info = await docker.inspectContainer(live.id, { action: `inspect ${live.name}` });
  const env = (await configuredEnv(docker, info)).filter((e) => !e.startsWith("APP_PORT="));
  const text = formatEnv(
    env.map((e): EnvEntry => {
      const i = e.indexOf("=");
      return [e.slice(0, i), e.slice(i + 1)];
    }),
  );
  return saveEnvVersion(stack.name, text, `imported from ${live.name} on ${app.target.name}`, actor);
}
