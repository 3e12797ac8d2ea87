/**
 * Stores a finished job with a known log in the e2e panel's store (run with PANEL_DATA_DIR set):
 * `node --import tsx e2e/3-logs/seed-job.ts <lines>` prints the job id. Every 10th line is a warning.
 */
import { startJob, waitForJob } from "@/server/jobs";
import { CLI_ACTOR } from "@/server/services/auth/actor";

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 120);
  const { jobId } = await startJob(
    { kind: "audit", title: "Log viewer e2e job", actor: CLI_ACTOR, steps: [{ key: "write", label: "Write the known lines" }] },
    async (ctx) => {
      await ctx.step("write", () => {
        for (let i = 1; i <= count; i++)
          ctx.log(`job line ${String(i).padStart(4, "0")}${i % 10 === 0 ? " slow step warning" : ""}`, i % 10 === 0 ? "warn" : "info");
      });
    },
  );
  const job = await waitForJob(jobId, { timeoutMs: 30_000 });
  if (job.status !== "succeeded") throw new Error(`seed job ${job.status}: ${job.error}`);
  console.log(jobId);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
