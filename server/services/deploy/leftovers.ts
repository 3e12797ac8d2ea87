import { createSshDocker, type DockerConnector } from "@/server/adapters/docker";
import { AppError } from "@/server/errors";
import { getStackLock } from "@/server/jobs/stack-lock";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { getStackRow } from "@/server/services/inventory/stacks";
import { listAppContainers } from "./app-containers";
import { buildDeployPlan } from "./plan";

/**
 * Removes a candidate container (`<app>-next-…`) that a deploy the panel could not finish left on an
 * app host (DEPLOYER and up). Refused while a job holds the stack's lock, since that candidate may
 * be the running deploy's own. The live container and the retained ones are never touched: only a
 * `-next-` name of this stack's app service is accepted. Audited with the container's tag.
 */
export async function removeLeftoverCandidate(
  input: { stack: string; host: string; container: string },
  actor: Actor,
  docker: DockerConnector = createSshDocker(),
): Promise<{ removed: string; host: string; wasRunning: boolean }> {
  const stack = await getStackRow(input.stack);
  const lock = await getStackLock(stack.id);
  if (lock)
    throw new AppError(
      "CONFLICT",
      `A ${lock.purpose} job holds ${stack.name}'s lock (since ${lock.acquiredAt.toISOString().slice(0, 19).replace("T", " ")} UTC): its candidate container may be in use. Wait for the job to end.`,
    );
  const plan = await buildDeployPlan(stack);
  const app = plan.apps.find((a) => a.target.name === input.host);
  if (!app) throw new AppError("NOT_FOUND", `${input.host} is not an app host of ${stack.name}`, { host: input.host });
  if (!input.container.startsWith(`${app.containerName}-next-`))
    throw new AppError(
      "BAD_REQUEST",
      `Only a candidate left by a deploy (${app.containerName}-next-…) can be removed here; ${input.container} is not one`,
      { host: input.host },
    );
  const client = docker(app.target);
  const found = (await listAppContainers(client, app.containerName)).find((c) => c.name === input.container);
  if (!found) throw new AppError("NOT_FOUND", `${input.container} is no longer on ${app.target.name}`, { host: app.target.name });
  await client.removeContainer(found.id, { force: true }, { action: `remove ${found.name}` });
  await recordAuditEvent(actor, {
    action: "deploy.leftover.remove",
    target: stack.name,
    details: { host: app.target.name, container: found.name, tag: found.tag, wasRunning: found.running },
  });
  return { removed: found.name, host: app.target.name, wasRunning: found.running };
}
