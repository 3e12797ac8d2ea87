import { createSshDocker, type DockerConnector } from "@/server/adapters/docker";
import { execCommand } from "@/server/adapters/ssh/exec";
import { db } from "@/server/db";
import { AppError, isAppError } from "@/server/errors";
import { startLockedJob } from "@/server/jobs/stack-lock";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { takeMysqlBackup } from "@/server/services/backups/backup-dump";
import { resolveDbTarget } from "@/server/services/database/db-target";
import { copyBackupOffsite } from "@/server/services/offsite/offsite-copy";
import { usableTarget } from "@/server/services/inventory/host-target";
import type { ProvisionRole } from "@/server/domain/golive";
import { ROLE_NEEDS } from "./preflight-checks";

export interface DecommissionInput {
  serviceId: string;
  /** The host's name, typed by the operator: the confirmation. */
  confirm: string;
  /** Also delete the role's data directories on the host (default: keep them). */
  deleteData: boolean;
}

/**
 * Takes a role out of service on its host, as a job: a final backup first for the db (it must be good
 * before anything is removed, and copied off-site when that is on), then the role's containers removed
 * (an app's retained rollback containers too) and the service removed from the stack. Data directories
 * stay unless asked. Admins only, typed confirmation, audited.
 */
export async function startDecommission(
  input: DecommissionInput,
  actor: Actor,
  docker: DockerConnector = createSshDocker(),
): Promise<{ jobId: string }> {
  const service = await db.service.findUnique({ where: { id: input.serviceId }, include: { host: true, stack: true } });
  if (!service) throw new AppError("NOT_FOUND", "Service not found", { data: { field: "serviceId" } });
  if (input.confirm !== service.host.name) {
    throw new AppError("BAD_REQUEST", `Type the host's name (${service.host.name}) to confirm removing the ${service.kind} from it.`, {
      data: { field: "confirm" },
    });
  }
  const role = service.kind as ProvisionRole;
  const target = usableTarget(service.host, `decommissioning its ${role}`);
  const steps = [
    ...(role === "db"
      ? [
          { key: "backup", label: "Final backup", weight: 3 },
          { key: "offsite", label: "Copy the final backup off-site" },
        ]
      : []),
    { key: "remove", label: `Remove the ${role} containers on ${service.host.name}` },
    { key: "data", label: input.deleteData ? "Delete the role's data directories" : "Keep the role's data directories" },
  ];
  const { jobId } = await startLockedJob(
    {
      kind: "decommission",
      title: `Decommission ${role} of ${service.stack.name} on ${service.host.name}`,
      stackId: service.stackId,
      actor,
      steps,
      purpose: "decommission",
    },
    async (job) => {
      let backupId: string | null = null;
      if (role === "db") {
        const t = await resolveDbTarget(service.stack);
        backupId = await job.step("backup", () =>
          takeMysqlBackup(job, t, { reason: "final backup before decommission", actorLabel: actor.label, stepKey: "backup" }),
        );
        job.log(`final backup ${backupId} is good (verified); the database may now go`);
        await copyBackupOffsite(job, backupId, "offsite");
      }
      const removed = await job.step("remove", async () => {
        const client = docker(target);
        const all = await client.listContainers({ all: true });
        const name = service.containerName;
        const ours = all.filter((c) =>
          c.Names.some((n) => {
            const b = n.replace(/^\//, "");
            return b === name || b.startsWith(`${name}-prev-`) || b.startsWith(`${name}-next-`);
          }),
        );
        for (const c of ours) {
          await client.removeContainer(c.Id, { force: true });
          job.log(`removed ${c.Names[0]?.replace(/^\//, "")} (${c.Image})`);
        }
        if (!ours.length) job.log(`no ${name} container on ${service.host.name}: nothing to remove`);
        await db.service.delete({ where: { id: service.id } });
        job.log(`the ${role} of ${service.stack.name} is no longer placed on ${service.host.name}`);
        return ours.map((c) => c.Names[0]);
      });
      await job.step("data", async () => {
        const dirs = ROLE_NEEDS[role].dirs;
        if (!input.deleteData)
          return job.log(`kept ${dirs.join(", ")} on ${service.host.name} (delete them by hand, or decommission again with "delete data")`);
        for (const d of dirs) {
          // Security: fixed paths of the role, never input; rm -rf only below /srv.
          if (!/^\/srv\/[a-z]+\/[a-z]+$/.test(d)) throw new AppError("INTERNAL", `refusing to delete ${d}`);
          await execCommand(target, ["rm", "-rf", "--", d], { action: `delete ${d}` });
          job.log(`deleted ${d} on ${service.host.name}`);
        }
      });
      await recordAuditEvent(actor, {
        action: "golive.decommission",
        target: `${service.stack.name}/${service.host.name}/${role}`,
        details: { jobId: job.jobId, backupId, removed, deletedData: input.deleteData },
      });
      return { backupId, removed };
    },
  ).catch((err: unknown) => {
    throw isAppError(err) ? err : new AppError("INTERNAL", "could not start the decommission", { cause: err });
  });
  await recordAuditEvent(actor, {
    action: "golive.decommission.start",
    target: `${service.stack.name}/${service.host.name}/${service.kind}`,
    details: { jobId },
  });
  return { jobId };
}
