import { probeFailure, probeGet } from "@/server/adapters/http/probe-get";

/** One HTTP health answer. */
export interface HttpProbe {
  ok: boolean;
  status: number | null;
  ms: number;
  body: string;
  version: string | null;
  error: string | null;
}

/** GET `url` with a timeout; never throws. `ok` means 2xx (the caller judges the body). */
export async function probeHttp(url: string, timeoutMs = 5000): Promise<HttpProbe> {
  const started = performance.now();
  try {
    const res = await probeGet(url, { timeoutMs, userAgent: "pixelfox-ops/health" });
    return { ok: res.status >= 200 && res.status < 300, status: res.status, ms: res.ms, body: res.body, version: res.version, error: null };
  } catch (err) {
    return { ok: false, status: null, ms: Math.round(performance.now() - started), body: "", version: null, error: probeFailure(err) };
  }
}
