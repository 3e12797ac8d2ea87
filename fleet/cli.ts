/** npm run fleet -- up [--extra N] [--wan …] | down | status [--json] | rekey <host> [--restore] | link cut|restore <host> */
import { ensureAptPackages } from "./lib/apt.js";
import { linkCut, linkRestore, measureWanOverhead, parseDuration, parseRate, wanOff, wanOn, wanStatus } from "./lib/wan/wan.js";
import { down, formatStatus, readFleetStatus, rekeyHost, resetBare, resetPlan, restoreHostKey, up } from "./lib/index.js";

const USAGE =
  "usage: npm run fleet -- up [--extra N] [--bare N] [--wan [--delay 40ms] [--rate 20mbit]] | down | status [--json] | rekey <host> [--restore] | reset-bare | reset-plan | deps | link [cut <host> [--for 20s] | restore <host>]";

async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  if (process.getuid && process.getuid() !== 0 && cmd !== "status") throw new Error("the fleet needs root (netns, dockerd, sshd)");
  switch (cmd) {
    case "up": {
      const flag = (name: string) => (rest.includes(name) ? Number(rest[rest.indexOf(name) + 1]) : undefined);
      await up({ extra: flag("--extra"), bare: flag("--bare") });
      // Without --wan the hosts are reached directly (npm test's default), whatever an earlier run left.
      if (!rest.includes("--wan")) {
        await wanOff();
        break;
      }
      const text = (name: string, fallback: string) => (rest.includes(name) ? (rest[rest.indexOf(name) + 1] ?? "") : fallback);
      await wanOn({
        delayMs: parseDuration(text("--delay", "40ms"), "--delay"),
        rateBytesPerSec: parseRate(text("--rate", "20mbit"), "--rate"),
      });
      const o = await measureWanOverhead();
      process.stdout.write(
        `wan: connect → SSH banner on host app: ${o.directMs.toFixed(2)} ms direct, ${o.throughMs.toFixed(2)} ms through the emulator; its own overhead ${o.overheadMs.toFixed(2)} ms beyond the delay asked for\n`,
      );
      break;
    }
    case "link": {
      const [action, host] = rest;
      if (action === "cut" && host)
        await linkCut(host, rest.includes("--for") ? parseDuration(rest[rest.indexOf("--for") + 1] ?? "", "--for") : undefined);
      else if (action === "restore" && host) await linkRestore(host);
      else if (action === undefined) process.stdout.write(JSON.stringify(wanStatus(), null, 2) + "\n");
      else throw new Error(USAGE);
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
      await wanOff();
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
