/** npm run fleet -- up [--extra N] | down | status [--json] | rekey <host> [--restore] */
import { ensureAptPackages } from "./lib/apt.js";
import { down, formatStatus, readFleetStatus, rekeyHost, resetBare, resetPlan, restoreHostKey, up } from "./lib/index.js";

const USAGE =
  "usage: npm run fleet -- up [--extra N] [--bare N] | down | status [--json] | rekey <host> [--restore] | reset-bare | reset-plan | deps";

async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  if (process.getuid && process.getuid() !== 0 && cmd !== "status") throw new Error("the fleet needs root (netns, dockerd, sshd)");
  switch (cmd) {
    case "up": {
      const flag = (name: string) => (rest.includes(name) ? Number(rest[rest.indexOf(name) + 1]) : undefined);
      await up({ extra: flag("--extra"), bare: flag("--bare") });
      break;
    }
    case "deps":
      await ensureAptPackages();
      break;
    case "reset-bare":
      await resetBare();
      break;
    case "reset-plan":
      await resetPlan();
      break;
    case "down":
      await down();
      break;
    case "status": {
      const st = await readFleetStatus();
      process.stdout.write(rest.includes("--json") ? JSON.stringify(st, null, 2) + "\n" : formatStatus(st) + "\n");
      break;
    }
    case "rekey": {
      const host = rest.find((a) => !a.startsWith("--"));
      if (!host) throw new Error(USAGE);
      const fp = rest.includes("--restore") ? await restoreHostKey(host) : await rekeyHost(host);
      process.stdout.write(`${host}: host key now ${fp}\n`);
      break;
    }
    default:
      throw new Error(USAGE);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`fleet: error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
