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
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { "user-agent": "pixelfox-ops/health" }, redirect: "manual" });
    const body = (await res.text()).slice(0, 512);
    return { ok: res.status >= 200 && res.status < 300, status: res.status, ms: Math.round(performance.now() - started), body, version: res.headers.get("x-app-version"), error: null };
  } catch (err) {
    const e = err as { name?: string; message?: string; cause?: { code?: string } };
    const error = e.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message ?? "failed");
    return { ok: false, status: null, ms: Math.round(performance.now() - started), body: "", version: null, error };
  }
}
