import type { Stack } from "@prisma/client";
import { db } from "@/server/db";
import { scoreOf, type AuditCheck, type HostAuditResult } from "@/server/domain/security-audit";
import { isAppError } from "@/server/errors";
import type { JobContext } from "@/server/jobs/types";
import { usableTarget } from "@/server/services/inventory/host-target";
import { collectStackSecrets } from "@/server/services/secrets/stack-secrets";
import { redactLiterals } from "@/server/redact-literals";
import { isSecretKey } from "@/server/services/env/env-format";
import { listAcceptedRisks } from "./accepted-risks";
import { alertAuditRegressions } from "./audit-alerts";
import type { AuditPorts } from "./audit-ports";
import { diffRuns, markAcceptedRisks, redactResults } from "./assemble";
import { cacheChecks } from "./checks/cache-checks";
import { dbChecks } from "./checks/db-checks";
import { tlsChecks } from "./checks/tls-checks";
import { collectHost, type CollectedHost } from "./collect-host";
import { appEnvChecks, cookieSecureCheck } from "./env-checks";
import { findContainer, gatherCache, gatherDb, gatherTls, type AuditedService } from "./gather-data";
import { evaluateHostChecks } from "./host-checks";
import { latestFinishedRun } from "./runs";
import type { AuditPlan } from "./audit-plan";

const errorText = (err: unknown) => (isAppError(err) ? err.message : "internal error (see the panel's log)");

/**
 * The audit job: reads every host of the stack (in parallel, one SSH exec and a few Docker calls each),
 * probes the db, the cache and the public site, judges each check, and stores the run with what changed
 * since the one before. A host that cannot be read is reported with why; its checks are unknown.
 */
export async function runSecurityAudit(ctx: JobContext, stack: Stack, plan: AuditPlan, runId: string, ports: AuditPorts) {
  const started = Date.now();
  const collected = await ctx.step("hosts", () => collectAll(ctx, plan, ports));
  const results = await ctx.step("data", () => judgeAll(ctx, stack, plan, collected, ports));
  return ctx.step("save", async () => {
    const previous = await latestFinishedRun(stack.id);
    // Security: the stack's secrets and every secret-named value the containers carry are cut from the
    // evidence (literal matching: the patterns would eat "passwordauthentication: yes" and lengths).
    const secretsSeen = [...collected.values()].flatMap((c) =>
      "error" in c
        ? []
        : c.inspected.flatMap((i) =>
            (i.Config?.Env ?? []).flatMap((e) => {
              const at = e.indexOf("=");
              return at > 0 && isSecretKey(e.slice(0, at)) ? [e.slice(at + 1)] : [];
            }),
          ),
    );
    const literals = [...(await collectStackSecrets(stack.id)), ...secretsSeen];
    const clean = (text: string) => redactLiterals(text, literals);
    const final = markAcceptedRisks(redactResults(results, clean), await listAcceptedRisks(stack.id));
    const changes = diffRuns(previous ? (JSON.parse(previous.results) as HostAuditResult[]) : null, final);
    const score = scoreOf(final.flatMap((h) => h.checks));
    await db.securityAuditRun.update({
      where: { id: runId },
      data: { finishedAt: new Date(), runningFor: null, results: JSON.stringify(final), changes: JSON.stringify(changes), ...score },
    });
    ctx.log(
      `score ${score.score ?? "–"}%: ${score.passed} passed, ${score.failed} failed, ${score.unknown} unknown (${Date.now() - started} ms)`,
    );
    for (const ch of changes) ctx.log(`changed: ${ch.host} ${ch.label}: ${ch.from} → ${ch.to}`, ch.to === "fail" ? "warn" : "info");
    const alerts = await alertAuditRegressions(stack, changes, final).catch((err: unknown) => {
      ctx.log(`alerts could not be evaluated: ${errorText(err)}`, "warn");
      return [];
    });
    for (const a of alerts) ctx.log(`alert ${a.action}: ${a.subject}`, "warn");
    return { runId, ...score, changes: changes.length };
  });
}

type Collected = (CollectedHost | { error: string }) & { ms?: number };

async function collectAll(ctx: JobContext, plan: AuditPlan, ports: AuditPorts): Promise<Map<string, Collected>> {
  const out = new Map<string, Collected>();
  await Promise.all(
    plan.hosts.map(async (h) => {
      const t0 = Date.now();
      try {
        const target = usableTarget(h.row, "the security audit");
        const c = await collectHost(ports, target, h.audited, plan.appPrivateSources);
        out.set(h.row.id, { ...c, ms: Date.now() - t0 });
        ctx.log(`${h.row.name}: read in ${Date.now() - t0} ms (${c.inspected.length} containers)`);
      } catch (err) {
        out.set(h.row.id, { error: errorText(err), ms: Date.now() - t0 });
        ctx.log(`${h.row.name}: could not be read: ${errorText(err)}`, "warn");
      }
    }),
  );
  return out;
}

async function judgeAll(
  ctx: JobContext,
  stack: Stack,
  plan: AuditPlan,
  collected: Map<string, Collected>,
  ports: AuditPorts,
): Promise<HostAuditResult[]> {
  const services: AuditedService[] = plan.services.map((s) => {
    const c = collected.get(s.host.id);
    const ok = c && !("error" in c) ? c : null;
    return {
      kind: s.kind,
      containerName: s.containerName,
      host: { id: s.host.id, name: s.host.name, address: s.host.address, privateAddress: s.host.privateAddress },
      target: ok ? usableTarget(s.host, "the security audit") : null,
      container: ok ? findContainer(ok.inspected, s.containerName) : null,
      hostname: ok?.inspected.find((i) => i.Name.replace(/^\//, "") === s.containerName)?.Config?.Hostname ?? null,
      reachability: ok?.facts.reachability ?? [],
    };
  });
  const apps = services.filter((s) => s.kind === "app" || s.kind === "storage");
  const extra = new Map<string, AuditCheck[]>();
  const add = (hostId: string, checks: AuditCheck[]): void => void extra.set(hostId, [...(extra.get(hostId) ?? []), ...checks]);
  const tasks: Promise<void>[] = [];
  for (const s of services) {
    if (s.kind === "db") tasks.push(gatherDb(ports, s, apps).then((f) => add(s.host.id, dbChecks(f))));
    if (s.kind === "cache") tasks.push(gatherCache(ports, s, apps).then((f) => add(s.host.id, cacheChecks(f))));
  }
  const proxy = services.find((s) => s.kind === "proxy");
  for (const a of apps) add(a.host.id, appEnvChecks(a, apps, stack.publicDomain));
  for (const a of apps.filter((s) => s.kind === "app")) add(a.host.id, [cookieSecureCheck(a, proxy)]);
  const tlsHost = proxy ?? apps[0];
  if (tlsHost) tasks.push(gatherTls(ports, stack.publicDomain).then((f) => add(tlsHost.host.id, tlsChecks(f))));
  await Promise.all(
    tasks.map((t) =>
      t.catch((err: unknown) => {
        ctx.log(`a data check could not run: ${errorText(err)}`, "warn");
      }),
    ),
  );
  return plan.hosts.map((h) => {
    const c = collected.get(h.row.id);
    const base = c && !("error" in c) ? evaluateHostChecks(c.facts) : [];
    return {
      hostId: h.row.id,
      host: h.row.name,
      roles: h.audited.roles,
      checks: [...base, ...(extra.get(h.row.id) ?? [])],
      error: c && "error" in c ? c.error : null,
      durationMs: c?.ms ?? 0,
    };
  });
}
