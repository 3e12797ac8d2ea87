import { probeFailure, probeGet, type ProbeGetOptions } from "@/server/adapters/http/probe-get";

/** One HTTP health answer. */
export interface HttpProbe {
  ok: boolean;
  status: number | null;
  ms: number;
  /** For judging the answer only. Security: never shown (see describeProbeAnswer). */
  body: string;
  contentType: string | null;
  length: number;
  version: string | null;
  error: string | null;
}

/**
 * GET `url` with a timeout; never throws. `ok` means 2xx (the caller judges the body). `guard` for
 * a URL an admin typed: a refusal by the outbound guard comes back as `error`, nothing is sent.
 */
export async function probeHttp(url: string, timeoutMs = 5000, guard?: ProbeGetOptions["guard"]): Promise<HttpProbe> {
  const started = performance.now();
  try {
    const res = await probeGet(url, { timeoutMs, userAgent: "pixelfox-ops/health", guard });
    return {
      ok: res.status >= 200 && res.status < 300,
      status: res.status,
      ms: res.ms,
      body: res.body,
      contentType: res.contentType,
      length: res.length,
      version: res.version,
      error: null,
    };
  } catch (err) {
    return {
      ok: false,
      status: null,
      ms: Math.round(performance.now() - started),
      body: "",
      contentType: null,
      length: 0,
      version: null,
      error: probeFailure(err),
    };
  }
}
