import type { BackupSchedule } from "@prisma/client";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { getStackRow } from "@/server/services/inventory/stacks";
import { explainCronError, findNextRun, listNextRuns, measureCronInterval } from "@/server/domain/cron";
import type { TScheduleInput } from "@/server/domain/schedules";

export { SCHEDULE_KINDS } from "@/server/domain/schedules";
export type ScheduleInput = TScheduleInput;

export interface ScheduleView extends Omit<BackupSchedule, "kind"> {
  kind: ScheduleInput["kind"];
  nextRuns: Date[];
  /** Longest gap between runs, ms (what "late" means for this schedule). */
  intervalMs: number | null;
}

// Security: ids are cuids; anything else is NOT_FOUND without a query.
const SCHEDULE_ID = /^[a-z0-9]{8,40}$/;

export function toScheduleView(s: BackupSchedule): ScheduleView {
  const valid = explainCronError(s.cron, s.timezone) === null;
  return {
    ...s,
    kind: s.kind as ScheduleInput["kind"],
    nextRuns: valid && s.enabled ? listNextRuns(s.cron, 3, s.timezone) : [],
    intervalMs: valid ? measureCronInterval(s.cron, s.timezone) : null,
  };
}

function checkCron(cron: string): void {
  const problem = explainCronError(cron);
  if (problem) throw new AppError("BAD_REQUEST", `cron: ${problem}`, { data: { field: "cron" } });
}

/** A stack's schedules, oldest first, with their next runs. */
export async function listSchedules(stackRef: string): Promise<ScheduleView[]> {
  const stack = await getStackRow(stackRef);
  const rows = await db.backupSchedule.findMany({ where: { stackId: stack.id }, orderBy: { createdAt: "asc" } });
  return rows.map(toScheduleView);
}

async function getScheduleRow(id: string): Promise<BackupSchedule> {
  const row = SCHEDULE_ID.test(id) ? await db.backupSchedule.findUnique({ where: { id } }) : null;
  if (!row) throw new AppError("NOT_FOUND", "Schedule not found. It may have been deleted; refresh the page.");
  return row;
}

/** Adds a schedule (cron in UTC). Audited. */
export async function createSchedule(stackRef: string, input: ScheduleInput, actor: Actor): Promise<ScheduleView> {
  checkCron(input.cron);
  const stack = await getStackRow(stackRef);
  const row = await db.backupSchedule.create({
    data: { stackId: stack.id, ...input, timezone: "UTC", nextRunAt: input.enabled ? findNextRun(input.cron) : null },
  });
  await recordAuditEvent(actor, { action: "backup.schedule.create", target: stack.name, details: { scheduleId: row.id, ...input } });
  return toScheduleView(row);
}

/** Changes a schedule; the next run is recomputed from now. Audited. */
export async function updateSchedule(id: string, input: ScheduleInput, actor: Actor): Promise<ScheduleView> {
  checkCron(input.cron);
  await getScheduleRow(id);
  const row = await db.backupSchedule.update({
    where: { id },
    data: { ...input, nextRunAt: input.enabled ? findNextRun(input.cron) : null },
  });
  await recordAuditEvent(actor, { action: "backup.schedule.update", target: `schedule:${id}`, details: { ...input } });
  return toScheduleView(row);
}

/** Removes a schedule (its backups stay). Audited. */
export async function deleteSchedule(id: string, actor: Actor): Promise<void> {
  const row = await getScheduleRow(id);
  await db.backupSchedule.delete({ where: { id } });
  await recordAuditEvent(actor, {
    action: "backup.schedule.delete",
    target: `schedule:${id}`,
    details: { kind: row.kind, cron: row.cron },
  });
}
