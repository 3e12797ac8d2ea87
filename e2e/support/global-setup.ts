import path from "node:path";
import { build } from "esbuild";
import { resetFaultRows } from "./fault-table";

/** Where the operator CLI is bundled for this run (node_modules/.cache: ignored, and its packages resolve from there). */
export const PANEL_CLI_BUNDLE = path.resolve("node_modules/.cache/pxf-e2e/panel-cli.mjs");

/**
 * Bundles scripts/panel-cli.ts once per run: specs call the CLI ~70 times, and `node --import tsx`
 * spent ~1.2 s of each call compiling the same sources again (0.6 s bundled). Built from the sources
 * of this run, so it is never stale; its packages stay in node_modules.
 */
export default async function globalSetup() {
  resetFaultRows();
  await build({
    entryPoints: ["scripts/panel-cli.ts"],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile: PANEL_CLI_BUNDLE,
    logLevel: "warning",
  });
  process.env.PXF_PANEL_CLI = PANEL_CLI_BUNDLE;
  // fleet/lib finds its recipes next to its own file, which the bundle moved.
  process.env.PXF_FLEET_DIR = path.resolve("fleet");
}
