import { describe, expect, it } from "vitest";
import { checkStoragePool, type SqlQuery } from "./storage-pool";
import { sqlString } from "./storage-pool-rules";

const PUBLIC = "https://pixelfox.cc";

/** A database holding one default pool row (or none, or no table), answering only the check's SELECTs. */
function fakeDb(pool: Record<string, unknown> | null | "no table", opts: { missingTableError?: boolean } = {}) {
  const seen: string[] = [];
  const query: SqlQuery = async (sql) => {
    seen.push(sql);
    if (!/^SELECT /.test(sql)) throw new Error(`not read-only: ${sql}`);
    if (sql.includes("information_schema.TABLES")) {
      if (opts.missingTableError) throw Object.assign(new Error("no such table"), { code: "ER_NO_SUCH_TABLE" });
      return [{ n: pool === "no table" ? 0 : 1 }];
    }
    if (sql.includes("FROM storage_pools WHERE is_default = 1 ORDER BY id LIMIT 1")) return pool && pool !== "no table" ? [pool] : [];
    throw new Error(`unexpected SQL: ${sql}`);
  };
  return { query, seen };
}

const row = (over: Record<string, unknown> = {}) => ({
  id: 1,
  name: "Default Local Storage",
  public_base_url: PUBLIC,
  upload_api_url: `${PUBLIC}/api/internal/upload`,
  node_id: "local",
  is_active: 1,
  ...over,
});

describe("checkStoragePool", () => {
  it("passes when the default pool's URLs are what setup.go derives from PUBLIC_DOMAIN (trailing / ignored)", async () => {
    const db = fakeDb(row({ public_base_url: `${PUBLIC}/` }));
    const res = await checkStoragePool(db.query, { publicDomain: PUBLIC, publicUrl: `${PUBLIC}/` });
    expect(res.status).toBe("pass");
    expect(res.evidence).toMatchObject({
      publicDomain: PUBLIC,
      expected: { publicBaseUrl: `${PUBLIC}/`, uploadApiUrl: `${PUBLIC}/api/internal/upload` },
      pool: { id: "1", name: "Default Local Storage", isActive: true },
    });
    expect(res.fix).toBeUndefined();
    expect(db.seen.every((q) => q.startsWith("SELECT "))).toBe(true);
  });

  it("unknown while the table does not exist: the app never started", async () => {
    for (const db of [fakeDb("no table"), fakeDb(row(), { missingTableError: true })]) {
      const res = await checkStoragePool(db.query, { publicDomain: PUBLIC });
      expect(res.status).toBe("unknown");
      expect(res.summary).toMatch(/storage_pools does not exist yet: the app has not started/);
      expect(res.fix?.steps).toEqual(["Start the app once, then run this check again."]);
    }
  });

  it("fails without a default pool", async () => {
    const res = await checkStoragePool(fakeDb(null).query, { publicDomain: PUBLIC });
    expect(res).toMatchObject({ status: "fail", summary: expect.stringMatching(/no default storage pool/) });
    expect(res.fix?.steps[0]).toMatch(/Run the migrations \(000001 seeds the default pool\)/);
  });

  it("the first migration's seed (localhost:8080, app:4000): the exact UPDATE for public_base_url, upload_api_url noted", async () => {
    const db = fakeDb(row({ id: 7, public_base_url: "http://localhost:8080", upload_api_url: "http://app:4000/api/internal/upload" }));
    const res = await checkStoragePool(db.query, { publicDomain: PUBLIC, publicUrl: PUBLIC });
    expect(res.status).toBe("fail");
    expect(res.summary).toBe(
      "The default pool's public_base_url is http://localhost:8080, not https://pixelfox.cc: image and thumbnail URLs point there.",
    );
    expect(res.findings.map((f) => `${f.field} ${f.status}`)).toEqual([
      "PUBLIC_DOMAIN pass",
      "public_base_url fail",
      "upload_api_url note",
    ]);
    expect(res.fix?.sql).toBe("UPDATE storage_pools SET public_base_url = 'https://pixelfox.cc' WHERE id = 7 AND is_default = 1;");
    expect(res.fix?.steps).toHaveLength(1);
  });

  it("an upload_api_url derived from the wrong base is fixed in the same UPDATE", async () => {
    const res = await checkStoragePool(
      fakeDb(row({ public_base_url: "http://old.example", upload_api_url: "http://old.example/api/internal/upload" })).query,
      { publicDomain: PUBLIC },
    );
    expect(res.fix?.sql).toBe(
      "UPDATE storage_pools SET public_base_url = 'https://pixelfox.cc', upload_api_url = 'https://pixelfox.cc/api/internal/upload' WHERE id = 1 AND is_default = 1;",
    );
  });

  it("PUBLIC_DOMAIN unset or different from the stack's URL: set it and restart (plus the UPDATE a restart does not do)", async () => {
    const unset = await checkStoragePool(fakeDb(row({ public_base_url: "", upload_api_url: "" })).query, {
      publicDomain: "",
      publicUrl: PUBLIC,
    });
    expect(unset.status).toBe("fail");
    expect(unset.fix).toEqual({ steps: ["Set PUBLIC_DOMAIN to https://pixelfox.cc in the app's environment and restart the app."] });

    const other = await checkStoragePool(fakeDb(row({ public_base_url: "https://staging.pixelfox.cc" })).query, {
      publicDomain: "https://staging.pixelfox.cc",
      publicUrl: PUBLIC,
    });
    expect(other.findings[0]).toMatchObject({
      field: "PUBLIC_DOMAIN",
      status: "fail",
      actual: "https://staging.pixelfox.cc",
      expected: PUBLIC,
    });
    expect(other.fix?.steps[0]).toBe("Set PUBLIC_DOMAIN to https://pixelfox.cc in the app's environment and restart the app.");
    expect(other.fix?.sql).toMatch(/^UPDATE storage_pools SET public_base_url = 'https:\/\/pixelfox\.cc'/);

    const bare = await checkStoragePool(fakeDb(row({ public_base_url: "pixelfox.cc" })).query, { publicDomain: "pixelfox.cc" });
    expect(bare.summary).toMatch(/PUBLIC_DOMAIN "pixelfox.cc" has no http:\/\/ or https:\/\//);
    expect(bare.fix?.steps[0]).toMatch(/^Set PUBLIC_DOMAIN to the public URL \(e\.g\. https:\/\/pixelfox\.cc\)/);
  });

  it("empty pool URLs with a right PUBLIC_DOMAIN: a restart fills them, no SQL", async () => {
    const res = await checkStoragePool(fakeDb(row({ public_base_url: "", upload_api_url: "" })).query, { publicDomain: PUBLIC });
    expect(res.status).toBe("fail");
    expect(res.fix).toEqual({ steps: ["Restart the app: it fills the empty pool URLs from PUBLIC_DOMAIN when it starts."] });
  });

  it("quotes values for the statement an operator copies", () => {
    expect(sqlString("https://x.test/a'b\\c")).toBe("'https://x.test/a\\'b\\\\c'");
  });
});
