import { db } from "@/server/db";
import { getLatestSweep } from "./latest";
import { loadStackTopology } from "./topology";
import type { SweepResult } from "./types";

/** What the dashboard draws: the stack's layout, the last sweep (null until one ran) and the last deploy. */
export interface HealthOverview {
  stack: { id: string; name: string; publicDomain: string };
  services: { kind: string; hostId: string; hostName: string; containerName: string; hostKeyState: string }[];
  sweep: SweepResult | null;
  lastDeployment: { tag: string; status: string; startedAt: Date; endedAt: Date | null; actorLabel: string } | null;
  /** Newest verified backup; `isStale` when older than the expected interval (nightly, as the plan asks). */
  lastGoodBackup: { createdAt: Date; sizeBytes: number | null; isStale: boolean } | null;
  firingAlerts: number;
}

/** Until backup schedules exist, a good backup is expected at least every 24 h (the plan's nightly dump). */
const BACKUP_MAX_AGE_MS = 24 * 60 * 60_000;

/** Layout from the inventory, state from the last sweep: nothing is shown green without a check. */
export async function getHealthOverview(stackRef: string): Promise<HealthOverview> {
  const topo = await loadStackTopology(stackRef);
  const [last, firing, backup] = await Promise.all([
    db.deployment.findFirst({ where: { stackId: topo.stack.id }, orderBy: { startedAt: "desc" } }),
    db.alertEvent.count({ where: { stackId: topo.stack.id, status: "firing" } }),
    db.backup.findFirst({ where: { stackId: topo.stack.id, status: "good", verified: true }, orderBy: { createdAt: "desc" } }),
  ]);
  return {
    stack: { id: topo.stack.id, name: topo.stack.name, publicDomain: topo.stack.publicDomain },
    services: topo.services.map((s) => ({ kind: s.kind, hostId: s.host.id, hostName: s.host.name, containerName: s.containerName, hostKeyState: s.host.hostKeyState })),
    sweep: getLatestSweep(topo.stack.id),
    lastDeployment: last ? { tag: last.tag, status: last.status, startedAt: last.startedAt, endedAt: last.endedAt, actorLabel: last.actorLabel } : null,
    lastGoodBackup: backup ? { createdAt: backup.createdAt, sizeBytes: backup.sizeBytes, isStale: Date.now() - backup.createdAt.getTime() > BACKUP_MAX_AGE_MS } : null,
    firingAlerts: firing,
  };
}
