import { db } from "@/server/db";
import { getBackupHealth, type BackupHealth } from "@/server/services/db-ops/backup-health";
import { getLatestSweep } from "./latest";
import { loadStackTopology } from "./topology";
import type { SweepResult } from "./types";

/** What the dashboard draws: the stack's layout, the last sweep (null until one ran) and the last deploy. */
export interface HealthOverview {
  stack: { id: string; name: string; publicDomain: string };
  services: { kind: string; hostId: string; hostName: string; containerName: string; hostKeyState: string }[];
  sweep: SweepResult | null;
  lastDeployment: { tag: string; status: string; startedAt: Date; endedAt: Date | null; actorLabel: string } | null;
  /** Last good backup and last passing restore drill, with their staleness against the schedules. */
  backups: BackupHealth;
  firingAlerts: number;
}

/** Layout from the inventory, state from the last sweep: nothing is shown green without a check. */
export async function getHealthOverview(stackRef: string): Promise<HealthOverview> {
  const topo = await loadStackTopology(stackRef);
  const [last, firing, backups] = await Promise.all([
    db.deployment.findFirst({ where: { stackId: topo.stack.id }, orderBy: { startedAt: "desc" } }),
    db.alertEvent.count({ where: { stackId: topo.stack.id, status: "firing" } }),
    getBackupHealth(topo.stack.id),
  ]);
  return {
    stack: { id: topo.stack.id, name: topo.stack.name, publicDomain: topo.stack.publicDomain },
    services: topo.services.map((s) => ({ kind: s.kind, hostId: s.host.id, hostName: s.host.name, containerName: s.containerName, hostKeyState: s.host.hostKeyState })),
    sweep: getLatestSweep(topo.stack.id),
    lastDeployment: last ? { tag: last.tag, status: last.status, startedAt: last.startedAt, endedAt: last.endedAt, actorLabel: last.actorLabel } : null,
    backups,
    firingAlerts: firing,
  };
}
