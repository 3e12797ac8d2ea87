/** The default storage pool as read from the database. */
export interface PoolRow {
  /** Digits only (BIGINT UNSIGNED). */
  id: string;
  name: string;
  publicBaseUrl: string;
  uploadApiUrl: string;
  nodeId: string;
  isActive: boolean;
}

export interface PoolFinding {
  field: "PUBLIC_DOMAIN" | "public_base_url" | "upload_api_url" | "is_active";
  /** "note": differs from the derived value but may be intended (shown, never fails the check). */
  status: "pass" | "fail" | "note";
  actual: string | null;
  expected?: string;
  message: string;
}

export interface PoolFix {
  /** In order, for the operator. */
  steps: string[];
  /** The exact statement to run as the app's database user, when the pool row must change. */
  sql?: string;
}

interface Context {
  publicDomain: string | null;
  publicUrl?: string;
  expected?: { publicBaseUrl: string; uploadApiUrl: string };
}

/** What setup.go's applyStoragePoolDefaults derives from PUBLIC_DOMAIN. */
export function expectedPoolUrls(publicDomain: string): { publicBaseUrl: string; uploadApiUrl: string } {
  return { publicBaseUrl: publicDomain, uploadApiUrl: `${publicDomain.replace(/\/$/, "")}/api/internal/upload` };
}

/** Equal as the app uses them: the app trims one trailing '/' before appending paths; scheme and host case do not matter. */
export function sameUrl(a: string, b: string): boolean {
  const norm = (u: string) => {
    const t = u.trim().replace(/\/+$/, "");
    const m = /^(https?:\/\/[^/]+)(.*)$/i.exec(t);
    return m ? m[1]!.toLowerCase() + m[2] : t;
  };
  return norm(a) === norm(b);
}

export function poolFindings(pool: PoolRow, ctx: Context): PoolFinding[] {
  const out: PoolFinding[] = [domainFinding(ctx)];
  if (ctx.expected) {
    const base = ctx.expected.publicBaseUrl;
    if (!pool.publicBaseUrl) {
      out.push(
        fail(
          "public_base_url",
          "",
          base,
          `The default pool's public_base_url is empty (the app fills it from PUBLIC_DOMAIN at its next start).`,
        ),
      );
    } else if (!sameUrl(pool.publicBaseUrl, base)) {
      out.push(
        fail(
          "public_base_url",
          pool.publicBaseUrl,
          base,
          `The default pool's public_base_url is ${pool.publicBaseUrl}, not ${base}: image and thumbnail URLs point there.`,
        ),
      );
    } else out.push({ field: "public_base_url", status: "pass", actual: pool.publicBaseUrl, expected: base, message: "matches" });
    out.push(uploadFinding(pool, ctx.expected.uploadApiUrl));
  }
  if (!pool.isActive) out.push(fail("is_active", "0", "1", "The default pool is not active: uploads go to another pool or fail."));
  return out;
}

function domainFinding(ctx: Context): PoolFinding {
  const want = ctx.publicUrl;
  if (!ctx.publicDomain) {
    return fail("PUBLIC_DOMAIN", null, want, "PUBLIC_DOMAIN is not set in the app's environment: the app cannot derive the pool's URLs.");
  }
  if (!/^https?:\/\//i.test(ctx.publicDomain)) {
    return fail(
      "PUBLIC_DOMAIN",
      ctx.publicDomain,
      want,
      `PUBLIC_DOMAIN "${ctx.publicDomain}" has no http:// or https://: the app builds image URLs from it.`,
    );
  }
  if (want && !sameUrl(ctx.publicDomain, want)) {
    return fail("PUBLIC_DOMAIN", ctx.publicDomain, want, `PUBLIC_DOMAIN is ${ctx.publicDomain}, but the stack's public URL is ${want}.`);
  }
  return { field: "PUBLIC_DOMAIN", status: "pass", actual: ctx.publicDomain, ...(want ? { expected: want } : {}), message: "set" };
}

function uploadFinding(pool: PoolRow, expected: string): PoolFinding {
  if (!pool.uploadApiUrl) {
    return fail(
      "upload_api_url",
      "",
      expected,
      "The default pool's upload_api_url is empty: upload sessions answer 503 pool_misconfigured.",
    );
  }
  if (sameUrl(pool.uploadApiUrl, expected))
    return { field: "upload_api_url", status: "pass", actual: pool.uploadApiUrl, expected, message: "matches" };
  if (derivedFromStaleBase(pool)) {
    return fail(
      "upload_api_url",
      pool.uploadApiUrl,
      expected,
      `The default pool's upload_api_url is ${pool.uploadApiUrl}, derived from the wrong public_base_url.`,
    );
  }
  return {
    field: "upload_api_url",
    status: "note",
    actual: pool.uploadApiUrl,
    expected,
    message: `upload_api_url is ${pool.uploadApiUrl}, not ${expected}: fine when it is an address the app hosts reach (replication uses it); the seed value http://app:4000/… only resolves inside a compose network with a service named app.`,
  };
}

/** True when upload_api_url is the one setup.go would derive from the pool's own (wrong) public_base_url. */
function derivedFromStaleBase(pool: PoolRow): boolean {
  return pool.publicBaseUrl !== "" && sameUrl(pool.uploadApiUrl, expectedPoolUrls(pool.publicBaseUrl).uploadApiUrl);
}

/** The operator's fix: the env first (it is what setup.go reads), then the exact UPDATE for what a restart does not repair. */
export function poolFix(pool: PoolRow, ctx: Context): PoolFix {
  const steps: string[] = [];
  const target = ctx.expected?.publicBaseUrl ?? ctx.publicUrl;
  const domainOk =
    ctx.publicDomain && /^https?:\/\//i.test(ctx.publicDomain) && (!ctx.publicUrl || sameUrl(ctx.publicDomain, ctx.publicUrl));
  if (!domainOk) {
    steps.push(
      target
        ? `Set PUBLIC_DOMAIN to ${target} in the app's environment and restart the app.`
        : "Set PUBLIC_DOMAIN to the public URL (e.g. https://pixelfox.cc) in the app's environment and restart the app.",
    );
  }
  if (!pool.isActive) steps.push("Activate the default pool in PixelFox's admin (Storage).");
  if (!ctx.expected) return { steps };
  const base = ctx.expected.publicBaseUrl;
  const upload = ctx.expected.uploadApiUrl;
  // setup.go fills empty fields at every start but never replaces a value: a wrong one needs an UPDATE.
  const set: string[] = [];
  if (pool.publicBaseUrl && !sameUrl(pool.publicBaseUrl, base)) set.push(`public_base_url = ${sqlString(base)}`);
  const uploadWrong = pool.uploadApiUrl ? !sameUrl(pool.uploadApiUrl, upload) && derivedFromStaleBase(pool) : set.length > 0;
  if (uploadWrong) set.push(`upload_api_url = ${sqlString(upload)}`);
  const restartFills = !pool.publicBaseUrl || (!pool.uploadApiUrl && !set.length);
  if (restartFills && domainOk) steps.push("Restart the app: it fills the empty pool URLs from PUBLIC_DOMAIN when it starts.");
  if (!set.length) return { steps };
  const sql = `UPDATE storage_pools SET ${set.join(", ")} WHERE id = ${pool.id} AND is_default = 1;`;
  steps.push(`Run as the app's database user: ${sql} (the app reads pools from the database on every upload; no restart needed).`);
  return { steps, sql };
}

/**
 * A MySQL string literal. Security: the values are URLs the panel validated or read from the
 * database, but they end up in a statement an operator copies, so quotes and backslashes are escaped.
 */
export function sqlString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

function fail(field: PoolFinding["field"], actual: string | null, expected: string | undefined, message: string): PoolFinding {
  return { field, status: "fail", actual, ...(expected ? { expected } : {}), message };
}
