import { OUTBOUND } from "@/server/adapters/http/outbound-purposes";
import { probeOnce } from "./health-gate";

export interface SmokeResult {
  name: string;
  url: string;
  ok: boolean;
  status?: number;
  ms: number;
  version?: string | null;
  error?: string;
}

/** The plan's smoke tests, from the panel through the public proxy: ping, and the home page. */
export async function runSmokeChecks(publicDomain: string, healthPath: string): Promise<SmokeResult[]> {
  const base = publicDomain.replace(/\/+$/, "");
  const checks = [
    { name: "ping", url: `${base}${healthPath}`, path: healthPath },
    { name: "home page", url: `${base}/`, path: "/" },
  ];
  return Promise.all(
    checks.map(async (c) => {
      // Security: the public domain is admin input; the outbound guard refuses the panel itself and metadata.
      const p = await probeOnce(c.url, c.path, 5_000, 1, undefined, { purpose: OUTBOUND.publicDomain });
      return { name: c.name, url: c.url, ok: p.ok, status: p.status, ms: p.ms, version: p.version, error: p.error };
    }),
  );
}
