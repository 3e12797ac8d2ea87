import { db } from "@/server/db";
import type { CheckResult } from "@/server/services/health/types";
import { stackRedactor } from "@/server/services/secrets/stack-secrets";
import { formatNotification, notifyAllChannels, type Delivery } from "./notify";
import { observeSweep, type LastDeployment, type Observation } from "./observe";
import { listAlertRules, type RuleView } from "./rules";
import { INITIAL_STATE, stepAlert, type AlertState } from "./state-machine";

interface Tracked extends AlertState {
  eventId: string | null;
}

const KEY = Symbol.for("pixelfox.alerts.state");
type StateMap = Map<string, Map<string, Tracked>>;

/** Per stack: "rule|subject" → state. Open alerts are reloaded from the store after a restart. */
async function statesFor(stackId: string): Promise<Map<string, Tracked>> {
  const g = globalThis as unknown as Record<symbol, StateMap | undefined>;
  g[KEY] ??= new Map();
  let states = g[KEY].get(stackId);
  if (!states) {
    states = new Map();
    for (const e of await db.alertEvent.findMany({ where: { stackId, status: "firing" } })) {
      states.set(`${e.ruleKind}|${e.subject}`, {
        failing: 1,
        firing: true,
        lastNotifiedAt: (e.lastNotifiedAt ?? e.startedAt).getTime(),
        eventId: e.id,
      });
    }
    g[KEY].set(stackId, states);
  }
  return states;
}

/**
 * Feed one sweep into the alert rules: fire, remind and recover, notifying every enabled channel
 * and keeping the history in AlertEvent. Returns the actions taken (for tests and logs).
 */
export async function evaluateAlerts(
  stack: { id: string; name: string },
  checks: CheckResult[],
  now = new Date(),
): Promise<{ action: string; rule: string; subject: string }[]> {
  const rules = await listAlertRules();
  const last = await db.deployment.findFirst({
    where: { stackId: stack.id, status: { in: ["succeeded", "failed"] } },
    orderBy: { startedAt: "desc" },
  });
  const lastDeploy: LastDeployment | null = last ? { id: last.id, tag: last.tag, status: last.status, error: last.error } : null;
  const backup = await db.backup.findFirst({
    where: { stackId: stack.id, status: "good", verified: true },
    orderBy: { createdAt: "desc" },
  });
  const observations = [
    ...observeSweep(checks, rules, lastDeploy, backup?.createdAt ?? null, now),
    ...vanishedMounts(await statesFor(stack.id), checks),
  ];
  return applyObservations(stack, observations, now, rules);
}

/**
 * Steps each observation's alert (fire, remind, recover), notifying every enabled channel. Used by the
 * health sweep and by the security audit (rule audit_regressed).
 */
export async function applyObservations(
  stack: { id: string; name: string },
  observations: readonly Observation[],
  now = new Date(),
  rules?: RuleView[],
): Promise<{ action: string; rule: string; subject: string }[]> {
  rules ??= await listAlertRules();
  const byRule = new Map(rules.map((r) => [r.kind, r]));
  const states = await statesFor(stack.id);
  const taken: { action: string; rule: string; subject: string }[] = [];
  for (const o of observations) {
    const rule = byRule.get(o.rule);
    if (!rule) continue;
    const key = `${o.rule}|${o.subject}`;
    const before = states.get(key) ?? { ...INITIAL_STATE, eventId: null };
    const { state, action } = stepAlert(before, o.isBad, rule, now.getTime());
    const tracked: Tracked = { ...state, eventId: before.eventId };
    if (action) {
      tracked.eventId = await applyAction(action, stack, o, tracked.eventId, now);
      taken.push({ action, rule: o.rule, subject: o.subject });
    }
    if (!tracked.firing) tracked.eventId = null;
    if (tracked.failing === 0 && !tracked.firing) states.delete(key);
    else states.set(key, tracked);
  }
  return taken;
}

async function applyAction(
  action: "fire" | "repeat" | "recover",
  stack: { id: string; name: string },
  o: Observation,
  eventId: string | null,
  now: Date,
): Promise<string | null> {
  // Security: a message can quote a failed deploy's error or a host's answer: redacted like a job log
  // before it is stored or sent to a channel.
  const clean = await stackRedactor(stack.id);
  const message = clean(o.message);
  const event = eventId
    ? await db.alertEvent.findUnique({ where: { id: eventId } })
    : action === "fire"
      ? await db.alertEvent.create({
          data: { stackId: stack.id, ruleKind: o.rule, subject: o.subject, message, startedAt: now },
        })
      : null;
  if (!event) return null;
  const notification = formatNotification(
    action,
    stack.name,
    action === "recover" ? `${event.message.split(":")[0]}: recovered — ${message}` : message,
    event.startedAt,
    now,
  );
  const subject = clean(notification.subject);
  const text = clean(notification.text);
  const deliveries: Delivery[] = await notifyAllChannels(action, subject, text);
  const previous = JSON.parse(event.deliveries) as Delivery[];
  await db.alertEvent.update({
    where: { id: event.id },
    data: {
      lastNotifiedAt: now,
      deliveries: JSON.stringify([...previous, ...deliveries].slice(-50)),
      ...(action === "recover" ? { status: "resolved", resolvedAt: now } : { message }),
    },
  });
  return event.id;
}

/** A firing disk/inode alert whose mount disappeared (unmounted) recovers once its host answers again. */
function vanishedMounts(states: Map<string, Tracked>, checks: CheckResult[]): Observation[] {
  const out: Observation[] = [];
  for (const key of states.keys()) {
    const [rule, subject] = key.split("|") as [RuleView["kind"], string];
    if (rule !== "disk" && rule !== "inodes") continue;
    const host = checks.find((c) => c.kind === "host" && subject.startsWith(`${c.subject}:`));
    const mounts = (host?.details.mounts as { mount: string }[] | undefined) ?? null;
    if (!host || host.status === "down" || !mounts) continue;
    if (!mounts.some((m) => `${host.subject}:${m.mount}` === subject))
      out.push({ rule, subject, isBad: false, message: `${subject.slice(host.subject.length + 1)} is no longer mounted` });
  }
  return out;
}

/** Alert history, newest first; redacted again as it is read (rows stored before the panel knew a secret). */
export async function listAlertHistory(limit = 100) {
  const rows = await db.alertEvent.findMany({ orderBy: { startedAt: "desc" }, take: limit });
  const clean = await stackRedactor(null);
  return rows.map((r) => ({
    ...r,
    message: clean(r.message),
    deliveries: (JSON.parse(r.deliveries) as Delivery[]).map((d) => ({ ...d, error: d.error === null ? null : clean(d.error) })),
  }));
}
