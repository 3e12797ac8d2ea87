/** The WAN emulator daemon: `node --import tsx emulator-main.ts <config.json>` (started by `fleet up --wan`). */
import fs from "node:fs";
import { startEmulator, type WanConfig } from "./emulator.js";

const file = process.argv[2];
if (!file) throw new Error("usage: emulator-main.ts <config.json>");
const config = JSON.parse(fs.readFileSync(file, "utf8")) as WanConfig;
const emu = await startEmulator(config);
process.stdout.write(
  `wan emulator: ${config.routes.length} routes, ${config.delayMs} ms each way, ${config.rateBytesPerSec ? `${config.rateBytesPerSec} B/s` : "no rate limit"}\n`,
);
for (const signal of ["SIGTERM", "SIGINT"] as const)
  process.on(signal, () => {
    void emu.close().then(() => process.exit(0));
  });
