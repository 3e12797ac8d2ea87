import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
// The panel listens one port up, behind the recorder on `port` (scripts/e2e-server.sh); specs that look
// for the panel's own process by its port (e2e/4-database/fault-fixtures.ts) read E2E_PANEL_PORT.
const panelPort = process.env.E2E_RECORD === "0" ? port : Number(process.env.E2E_PANEL_PORT ?? port + 1);
process.env.E2E_PANEL_PORT = String(panelPort);

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/support/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-quic",
        "--no-first-run",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: "bash scripts/e2e-server.sh",
    url: `http://127.0.0.1:${port}/api/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: {
      E2E_PORT: String(port),
      E2E_PANEL_PORT: String(panelPort),
      ...(process.env.PANEL_DIST_DIR ? { PANEL_DIST_DIR: process.env.PANEL_DIST_DIR } : {}),
    },
  },
});
