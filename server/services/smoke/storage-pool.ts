import { expectedPoolUrls, poolFindings, poolFix, sameUrl, type PoolFinding, type PoolFix, type PoolRow } from "./storage-pool-rules";

/** Read-only SQL as the app's database user: rows as plain objects (the lead wires it to mysql2 through a tunnel). */
export type SqlQuery = (sql: string, params?: (string | number | null)[]) => Promise<Record<string, unknown>[]>;

export interface StoragePoolCheck {
  status: "pass" | "fail" | "unknown";
  /** One sentence for the check's row. */
  summary: string;
  evidence: {
    /** PUBLIC_DOMAIN as the app reads it (null: not set). */
    publicDomain: string | null;
    /** The stack's public URL in the panel, when given. */
    publicUrl?: string;
    /** What setup.go derives from the URL the pool should use. */
    expected?: { publicBaseUrl: string; uploadApiUrl: string };
    pool?: PoolRow;
  };
  findings: PoolFinding[];
  /** What to do, in order: change the env and restart, and/or the exact UPDATE to run. */
  fix?: PoolFix;
}

const TABLE_EXISTS = "SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'storage_pools'";
// GORM's First() in FindDefaultStoragePool: WHERE is_default = true ORDER BY id LIMIT 1.
const DEFAULT_POOL =
  "SELECT id, name, public_base_url, upload_api_url, node_id, is_active FROM storage_pools WHERE is_default = 1 ORDER BY id LIMIT 1";

/**
 * After the app's first start: reads the default storage pool (two SELECTs, nothing written) and
 * compares its URLs with what PixelFox's setup.go derives from PUBLIC_DOMAIN
 * (`public_base_url = PUBLIC_DOMAIN`, `upload_api_url = PUBLIC_DOMAIN without a trailing / +
 * /api/internal/upload`). setup.go only fills empty fields, so a pool seeded by the first
 * migration (`http://localhost:8080`) keeps a wrong URL until someone changes it: this check
 * shows it with the exact fix. Unknown while the table does not exist (the app never started).
 */
export async function checkStoragePool(
  query: SqlQuery,
  input: { publicDomain: string | null | undefined; publicUrl?: string },
): Promise<StoragePoolCheck> {
  const publicDomain = input.publicDomain?.trim() || null;
  const evidence: StoragePoolCheck["evidence"] = { publicDomain, ...(input.publicUrl ? { publicUrl: input.publicUrl } : {}) };
  if (!(await tableExists(query))) {
    return {
      status: "unknown",
      summary: "Table storage_pools does not exist yet: the app has not started on this database (its auto-migrate creates the tables).",
      evidence,
      findings: [],
      fix: { steps: ["Start the app once, then run this check again."] },
    };
  }
  const row = (await query(DEFAULT_POOL))[0];
  if (!row) {
    return {
      status: "fail",
      summary: "There is no default storage pool (is_default = 1): uploads have nowhere to go.",
      evidence,
      findings: [],
      fix: { steps: ["Run the migrations (000001 seeds the default pool), or mark a pool as default in PixelFox's admin (Storage)."] },
    };
  }
  const pool = toPoolRow(row);
  const target = input.publicUrl ?? publicDomain;
  const expected = target && /^https?:\/\//i.test(target) ? expectedPoolUrls(target) : undefined;
  const findings = poolFindings(pool, { publicDomain, publicUrl: input.publicUrl, expected });
  const failed = findings.filter((f) => f.status === "fail");
  const full = { ...evidence, pool, ...(expected ? { expected } : {}) };
  if (!failed.length) {
    return {
      status: "pass",
      summary: `The default pool "${pool.name}" serves from ${pool.publicBaseUrl}, as PUBLIC_DOMAIN says.`,
      evidence: full,
      findings,
    };
  }
  return {
    status: "fail",
    summary: failed.map((f) => f.message).join(" "),
    evidence: full,
    findings,
    fix: poolFix(pool, { publicDomain, publicUrl: input.publicUrl, expected }),
  };
}

async function tableExists(query: SqlQuery): Promise<boolean> {
  try {
    return Number((await query(TABLE_EXISTS))[0]?.n ?? 0) > 0;
  } catch (err) {
    if ((err as { code?: string }).code === "ER_NO_SUCH_TABLE") return false;
    throw err;
  }
}

function toPoolRow(r: Record<string, unknown>): PoolRow {
  const id = String(r.id);
  return {
    id: /^\d+$/.test(id) ? id : "0",
    name: String(r.name ?? ""),
    publicBaseUrl: String(r.public_base_url ?? ""),
    uploadApiUrl: String(r.upload_api_url ?? ""),
    nodeId: String(r.node_id ?? ""),
    isActive: Number(r.is_active) === 1 || r.is_active === true,
  };
}

export { sameUrl };
