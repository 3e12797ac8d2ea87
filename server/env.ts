import path from "node:path";
import { z } from "zod";

const ZEnv = z.object({
  PANEL_DATA_DIR: z.string().min(1).optional(),
  PANEL_SECRET: z.string().min(32, "PANEL_SECRET must be at least 32 characters (use `openssl rand -base64 32`)").optional(),
  DATABASE_URL: z.string().startsWith("file:", "DATABASE_URL must be a SQLite file: URL").optional(),
  SSH_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).optional(),
  PANEL_URL: z
    .string()
    .refine(isHttpOrigin, "PANEL_URL must be the panel's own http(s) origin as the browser sees it, like https://ops.example.com (no path)")
    .optional(),
  PANEL_TRUST_PROXY: z.enum(["0", "1", "true", "false"], "PANEL_TRUST_PROXY must be 1 or 0").optional(),
});

/** An http(s) URL with nothing after the host and port (a trailing "/" is allowed). */
function isHttpOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    const isBare = url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
    return (url.protocol === "https:" || url.protocol === "http:") && isBare;
  } catch {
    return false;
  }
}

export interface PanelEnv {
  dataDir: string;
  databaseUrl: string;
  panelSecret?: string;
  sshConnectTimeoutMs: number;
  /** The panel's public origin (PANEL_URL), e.g. `https://ops.example.com`; unset: the request's own Host. */
  panelUrl?: string;
  /** PANEL_TRUST_PROXY: a reverse proxy in front sets X-Forwarded-Proto/Host, and the panel believes them. */
  trustProxy: boolean;
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
    panelUrl: e.PANEL_URL ? new URL(e.PANEL_URL).origin : undefined,
    trustProxy: e.PANEL_TRUST_PROXY === "1" || e.PANEL_TRUST_PROXY === "true",
  };
  return cached;
}
