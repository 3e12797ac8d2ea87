import { db } from "@/server/db";
import { getBackupHealth, type BackupHealth } from "@/server/services/backups/backup-health";
import { isSweepStale, loadLatestSweep } from "./latest";
import { loadStackTopology } from "./topology";
import type { SweepResult } from "./types";

/** What the dashboard draws: the stack's layout, the last sweep (null until one ran) and the last deploy. */
export interface HealthOverview {
  stack: { id: string; name: string; publicDomain: string };
  services: { id: string; kind: string; hostId: string; hostName: string; containerName: string; hostKeyState: string }[];
  sweep: SweepResult | null;
  /** The sweep was read back after a panel restart, or is old: the last known state, not a live one. */
  isStale: boolean;
  lastDeployment: { tag: string; status: string; startedAt: Date; endedAt: Date | null; actorLabel: string } | null;
  /** Last good backup and last passing restore drill, with their staleness against the schedules. */
  backups: BackupHealth;
  firingAlerts: number;
}

/** Layout from the inventory, state from the last sweep: nothing is shown green without a check. */
export async function getHealthOverview(stackRef: string): Promise<HealthOverview> {
  const topo = await loadStackTopology(stackRef);
  const [last, firing, backups, latest] = await Promise.all([
    db.deployment.findFirst({ where: { stackId: topo.stack.id }, orderBy: { startedAt: "desc" } }),
    db.alertEvent.count({ where: { stackId: topo.stack.id, status: "firing" } }),
    getBackupHealth(topo.stack.id),
    loadLatestSweep(topo.stack.id),
  ]);
  return {
    stack: { id: topo.stack.id, name: topo.stack.name, publicDomain: topo.stack.publicDomain },
    services: topo.services.map((s) => ({
      id: s.id,
      kind: s.kind,
      hostId: s.host.id,
      hostName: s.host.name,
      containerName: s.containerName,
      hostKeyState: s.host.hostKeyState,
    })),
    sweep: latest?.sweep ?? null,
    isStale: latest ? isSweepStale(latest) : false,
    lastDeployment: last
      ? { tag: last.tag, status: last.status, startedAt: last.startedAt, endedAt: last.endedAt, actorLabel: last.actorLabel }
      : null,
    backups,
    firingAlerts: firing,
  };
}
