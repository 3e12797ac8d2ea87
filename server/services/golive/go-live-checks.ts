import { withMysql } from "@/server/adapters/mysql/mysql-connection";
import type { GoLiveSettings } from "@/server/domain/golive";
import { AppError } from "@/server/errors";
import type { JobContext } from "@/server/jobs/types";
import { resolveDbTarget } from "@/server/services/database/db-target";
import { runStackSmoke } from "@/server/services/smoke/stack-smoke";
import { checkStoragePool } from "@/server/services/smoke/storage-pool";
import type { StackLayout } from "./role-specs";
import type { Placement } from "./stack-layout";

/**
 * After the first start: the plan's smoke tests through the public proxy, then the default storage
 * pool read (read-only) against PUBLIC_DOMAIN. A pool that does not match is a failure with its fix.
 */
export async function runGoLiveChecks(job: JobContext, p: Placement, layout: StackLayout, settings: GoLiveSettings): Promise<void> {
  await job.step("smoke", async () => {
    job.log(`smoke steps: ${settings.smokeSteps.join(", ")}`);
    const steps = await runStackSmoke(job, p.stack);
    return steps;
  });
  await job.step("storage-pool", async () => {
    const t = await resolveDbTarget(p.stack);
    const publicDomain = layout.appEnv.find(([k]) => k === "PUBLIC_DOMAIN")?.[1] ?? null;
    const check = await withMysql(t.target, t.app, async (conn) => {
      await conn.query("START TRANSACTION READ ONLY");
      try {
        return await checkStoragePool(async (sql, params) => (await conn.query(sql, params))[0] as Record<string, unknown>[], {
          publicDomain,
          publicUrl: p.stack.publicDomain,
        });
      } finally {
        await conn.query("ROLLBACK");
      }
    });
    job.log(`storage pool: ${check.status}: ${check.summary}`, check.status === "pass" ? "info" : "warn");
    for (const f of check.findings.filter((x) => x.status !== "pass")) job.log(`  - ${f.field}: ${f.message}`, "warn");
    if (check.status === "fail") {
      const fix = check.fix ? ` Fix: ${check.fix.steps.join(" ")}${check.fix.sql ? ` (${check.fix.sql})` : ""}` : "";
      throw new AppError("REMOTE_FAILED", `The default storage pool does not match PUBLIC_DOMAIN: ${check.summary}${fix}`, {
        data: { check },
      });
    }
    return check;
  });
}
