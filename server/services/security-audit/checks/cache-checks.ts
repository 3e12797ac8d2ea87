import type { AuditCheck } from "@/server/domain/security-audit";
import { check } from "./check";

export interface CacheFacts {
  host: string;
  container: string;
  /** Where the probe connected, as the cache host sees it. */
  endpoint: string;
  /** PING without a password: "PONG", or the error (NOAUTH…); null when the cache could not be reached at all. */
  anonymous: string | null;
  /** Per app host: PING with that app's CACHE_PASSWORD (null when the app sets none). */
  apps: { host: string; password: boolean; answer: string | null }[];
  probeError: string | null;
}

const refused = (answer: string) => /NOAUTH|authentication required|WRONGPASS|invalid password/i.test(answer);

export function cacheChecks(f: CacheFacts): AuditCheck[] {
  const why = "A cache without a password serves its sessions and queue to anyone who reaches 6379; Docker-published ports bypass ufw.";
  const authId = "cache-auth-required";
  const authLabel = "An unauthenticated PING is refused";
  if (f.anonymous === null)
    return [
      check("cache", authId, authLabel, "unknown", `could not reach ${f.container} at ${f.endpoint}: ${f.probeError ?? "no answer"}`, why),
    ];
  const open = f.anonymous === "PONG";
  const out: AuditCheck[] = [
    check(
      "cache",
      authId,
      authLabel,
      open ? "fail" : refused(f.anonymous) ? "pass" : "unknown",
      `PING without a password at ${f.endpoint} (${f.container}): ${f.anonymous}`,
      why,
      "Start the cache with --requirepass <long random> (Dragonfly: DFLY_requirepass) and give the app the same value as CACHE_PASSWORD.",
    ),
  ];
  for (const a of f.apps) {
    const id = `cache-app-password:${a.host}`;
    const label = `The app on ${a.host} uses the password the cache requires`;
    const pwWhy = "CACHE_PASSWORD must be the cache's password, or the app cannot keep sessions or queue jobs.";
    if (open) {
      out.push(check("cache", id, label, "fail", "the cache requires no password at all", pwWhy, "Set a password on the cache first."));
      continue;
    }
    if (!a.password) {
      out.push(
        check("cache", id, label, "fail", "the app sets no CACHE_PASSWORD", pwWhy, "Set CACHE_PASSWORD in Stack → App environment."),
      );
      continue;
    }
    const ok = a.answer === "PONG";
    out.push(
      check(
        "cache",
        id,
        label,
        ok ? "pass" : a.answer && refused(a.answer) ? "fail" : "unknown",
        `PING with the app's CACHE_PASSWORD: ${a.answer ?? "not tried"}`,
        pwWhy,
        "Make CACHE_PASSWORD equal to the cache's --requirepass and deploy.",
      ),
    );
  }
  return out;
}
