/**
 * What only time or another caller could do to the e2e panel's store (run with PANEL_DATA_DIR set):
 *   node --import tsx e2e/7-privilege/store-fixtures.ts expire-token <name> <ISO time>   moves a token's expiry
 *   node --import tsx e2e/7-privilege/store-fixtures.ts seed-job                         prints the id of a finished job the CLI ran
 */
import { db } from "@/server/db";
import { startJob, waitForJob } from "@/server/jobs";
import { CLI_ACTOR } from "@/server/services/auth/actor";

async function expireToken(name: string, at: string): Promise<void> {
  const expiresAt = new Date(at);
  if (!name || Number.isNaN(expiresAt.getTime())) throw new Error("usage: expire-token <name> <ISO time>");
  const { count } = await db.apiToken.updateMany({ where: { name }, data: { expiresAt } });
  if (count !== 1) throw new Error(`expected one token named ${name}, updated ${count}`);
  console.log(expiresAt.toISOString());
}

async function seedJob(): Promise<void> {
  const { jobId } = await startJob(
    { kind: "audit", title: "Someone else's job (e2e)", actor: CLI_ACTOR, steps: [{ key: "write", label: "Write a line" }] },
    async (ctx) => {
      await ctx.step("write", () => ctx.log("a line of a job no token started"));
    },
  );
  const job = await waitForJob(jobId, { timeoutMs: 30_000 });
  if (job.status !== "succeeded") throw new Error(`seed job ${job.status}: ${job.error}`);
  console.log(jobId);
}

async function main(): Promise<void> {
  const [verb, ...args] = process.argv.slice(2);
  if (verb === "expire-token") await expireToken(args[0] ?? "", args[1] ?? "");
  else if (verb === "seed-job") await seedJob();
  else throw new Error("usage: store-fixtures.ts expire-token <name> <ISO time> | seed-job");
  await db.$disconnect();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
