/**
 * `npm run bench -- <name>`: runs one benchmark; each prints its figures (never asserts timings).
 * Benchmarks run against the local sandbox fleet, which must be up (`npm run fleet -- up`).
 */
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
load()
  .then((m) => m.main())
  .then(() => process.exit(0))
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
