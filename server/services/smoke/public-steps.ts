import { isHealthyAnswer } from "@/server/services/deploy/health-gate";
import { describeAnswer, header, mediaType, type HttpAnswer } from "./http";
import { displayUrl, type SmokeSession } from "./session";
import type { StepOutcome } from "./types";

function seen(res: HttpAnswer & { url: string }): Pick<StepOutcome, "status" | "url" | "version"> {
  return { status: res.status, url: displayUrl(res.url), version: header(res, "x-app-version") || null };
}

/** GET the health path through the proxy: PixelFox's ping must say {"ping":"pong"}. */
export async function checkPing(s: SmokeSession, healthPath: string): Promise<StepOutcome> {
  const res = await s.send({
    method: "GET",
    target: healthPath,
    headers: { accept: "application/json" },
    maxBodyBytes: 512,
    anonymous: true,
  });
  if (isHealthyAnswer(healthPath, res.status, res.truncated ? "" : res.body.toString("utf8"))) return { ok: true, ...seen(res) };
  const expected = healthPath === "/api/v1/ping" ? 'not {"ping":"pong"}' : "not a 2xx";
  return { ok: false, ...seen(res), error: `${describeAnswer(res)}, ${expected}: check the proxy and the app container's log` };
}

/** GET / as a browser would: a 200 HTML page. */
export async function checkHomePage(s: SmokeSession): Promise<StepOutcome> {
  const res = await s.send({ method: "GET", target: "/", headers: { accept: "text/html" }, maxBodyBytes: 1024, anonymous: true });
  if (res.status === 200 && mediaType(res) === "text/html") return { ok: true, ...seen(res) };
  return { ok: false, ...seen(res), error: `${describeAnswer(res)}, expected 200 with an HTML page` };
}

/** HEAD /api/internal/upload: the direct-to-storage endpoint answers 204 on app and storage nodes. */
export async function checkDirectUpload(s: SmokeSession): Promise<StepOutcome> {
  const res = await s.send({ method: "HEAD", target: "/api/internal/upload", anonymous: true });
  if (res.status === 204) return { ok: true, ...seen(res) };
  return {
    ok: false,
    ...seen(res),
    error: `${describeAnswer(res)}, expected 204: the proxy does not pass /api/internal/upload to the app, or this app version has no direct upload`,
  };
}
