import path from "node:path";
import { z } from "zod";

const ZEnv = z.object({
  PANEL_DATA_DIR: z.string().min(1).optional(),
  PANEL_SECRET: z.string().min(32, "PANEL_SECRET must be at least 32 characters (use `openssl rand -base64 32`)").optional(),
  DATABASE_URL: z.string().startsWith("file:", "DATABASE_URL must be a SQLite file: URL").optional(),
  SSH_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).optional(),
});

export interface PanelEnv {
  dataDir: string;
  databaseUrl: string;
  panelSecret?: string;
  sshConnectTimeoutMs: number;
}

let cached: PanelEnv | undefined;

/** Reads and validates the panel's environment once; a bad value stops the server with the rule it broke. */
export function getEnv(): PanelEnv {
  if (cached) return cached;
  const parsed = ZEnv.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid panel environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(/*turbopackIgnore: true*/ e.PANEL_DATA_DIR ?? path.join(process.cwd(), "data"));
  cached = {
    dataDir,
    databaseUrl: e.DATABASE_URL ?? `file:${path.join(dataDir, "panel.db")}`,
    panelSecret: e.PANEL_SECRET,
    sshConnectTimeoutMs: e.SSH_CONNECT_TIMEOUT_MS ?? 10_000,
  };
  return cached;
}
