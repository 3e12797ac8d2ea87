import type { CheckResult, MountUsage } from "@/server/services/health/types";
import type { RuleKind, RuleView } from "./rules";

/** One rule's verdict about one subject in one sweep. */
export interface Observation {
  rule: RuleKind;
  subject: string;
  isBad: boolean;
  message: string;
}

/** The last finished deployment of the stack, for the deploy_failed rule. */
export interface LastDeployment {
  id: string;
  tag: string;
  status: string;
  error: string | null;
}

/**
 * What each enabled rule says about a sweep. A check that could not run says nothing about disk
 * or certificates (no observation), so those alerts neither fire nor recover on missing data.
 */
export function observeSweep(
  checks: CheckResult[],
  rules: RuleView[],
  lastDeploy: LastDeployment | null,
  lastGoodBackupAt: Date | null = null,
  now = new Date(),
): Observation[] {
  const on = new Map(rules.filter((r) => r.enabled).map((r) => [r.kind, r]));
  const out: Observation[] = [];
  for (const c of checks) {
    if (on.has("down") && c.status !== "unknown") {
      out.push({
        rule: "down",
        subject: c.subject,
        isBad: c.status === "down",
        message: c.status === "down" ? `${label(c)} is down: ${c.reason ?? "no reason given"}` : `${label(c)} is back`,
      });
    }
    if (c.kind === "host") {
      const hostKeyBad = c.failure?.category === "hostkey" && c.failure.code === "HOST_KEY_MISMATCH";
      if (on.has("hostkey") && (hostKeyBad || c.status !== "down")) {
        out.push({
          rule: "hostkey",
          subject: c.subject,
          isBad: hostKeyBad,
          message: hostKeyBad ? `${c.hostName}: SSH host key changed. ${c.reason ?? ""}` : `${c.hostName}: host key verified again`,
        });
      }
      const mounts = (c.details.mounts as MountUsage[] | undefined) ?? [];
      for (const m of mounts) {
        const disk = on.get("disk");
        if (disk)
          out.push({
            rule: "disk",
            subject: `${c.subject}:${m.mount}`,
            isBad: m.usedPct > disk.threshold,
            message: `${c.hostName} ${m.mount} is ${m.usedPct} % full (alert above ${disk.threshold} %)`,
          });
        const inodes = on.get("inodes");
        if (inodes && m.inodesUsedPct !== null)
          out.push({
            rule: "inodes",
            subject: `${c.subject}:${m.mount}`,
            isBad: m.inodesUsedPct > inodes.threshold,
            message: `${c.hostName} ${m.mount} uses ${m.inodesUsedPct} % of its inodes (alert above ${inodes.threshold} %)`,
          });
      }
    }
    const cert = on.get("cert");
    const days = c.metrics.certDays;
    if (cert && c.kind === "proxy" && typeof days === "number") {
      out.push({
        rule: "cert",
        subject: "tls",
        isBad: days < cert.threshold,
        message: `TLS certificate of the public domain expires in ${days} days (alert under ${cert.threshold})`,
      });
    }
  }
  if (on.has("deploy_failed") && lastDeploy) {
    const failed = lastDeploy.status === "failed";
    out.push({
      rule: "deploy_failed",
      subject: "deploy",
      isBad: failed,
      message: failed
        ? `Deployment of ${lastDeploy.tag} failed: ${lastDeploy.error ?? "see its job log"}`
        : `Deployment of ${lastDeploy.tag} succeeded`,
    });
  }
  const stale = on.get("backup_stale");
  // Only once a verified backup exists: a stack never backed up shows red on the dashboard instead.
  if (stale && lastGoodBackupAt) {
    const hours = (now.getTime() - lastGoodBackupAt.getTime()) / 3_600_000;
    const isBad = hours > stale.threshold;
    out.push({
      rule: "backup_stale",
      subject: "backup",
      isBad,
      message: isBad
        ? `The last good database backup is ${Math.floor(hours)} h old (alert above ${stale.threshold} h): back up now and check the schedule`
        : `A fresh database backup exists (${Math.max(0, Math.round(hours))} h old)`,
    });
  }
  return out;
}

function label(c: CheckResult): string {
  if (c.kind === "host") return `host ${c.hostName}`;
  if (c.kind === "external") return "the public URL";
  return `${c.kind} on ${c.hostName}`;
}
