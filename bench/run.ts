/**
 * `npm run bench -- <name>`: runs one benchmark; each prints its figures (never asserts timings).
 * Benchmarks run against the local sandbox fleet, which must be up (`npm run fleet -- up`).
 */
import { wanStatus } from "@/fleet/lib/wan/wan";

const BENCHES: Record<string, () => Promise<{ main(): Promise<void> }>> = {
  deploy: () => import("./deploy"),
  logs: () => import("./logs"),
  health: () => import("./health"),
  backup: () => import("./backup"),
  golive: () => import("./golive"),
  audit: () => import("./audit"),
};

const benchName = process.argv[2];
const load = benchName ? BENCHES[benchName] : undefined;
if (!load) {
  console.error(`usage: npm run bench -- <${Object.keys(BENCHES).join("|")}>`);
  process.exit(2);
}
// Every figure says which link it crossed: loopback, or the fleet's emulated WAN (`fleet up --wan`).
const wan = wanStatus();
console.log(
  wan.on
    ? `link: emulated WAN, ${wan.delayMs} ms each way, ${wan.rateBytesPerSec ? `${((wan.rateBytesPerSec * 8) / 1e6).toFixed(1)} Mbit/s` : "no rate limit"}`
    : "link: direct (loopback bridge; `npm run fleet -- up --wan` for a WAN)",
);
load()
  .then((m) => m.main())
  .then(() => process.exit(0))
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
