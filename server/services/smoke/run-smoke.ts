import { AppError } from "@/server/errors";
import { redact } from "@/server/redact";
import { logInOrRegister, type SmokeAccount } from "./account";
import type { SmokeHttp } from "./http";
import { checkDirectUpload, checkHomePage, checkPing } from "./public-steps";
import { createSmokeSession, NoAnswerError, type SmokeSession } from "./session";
import { parseSmokeSteps, stepsToRun, type SmokeStepKey, type SmokeStepName } from "./steps";
import type { SmokeRun, SmokeStepResult, StepOutcome } from "./types";
import { deleteUploads, fetchThumbnail, uploadSmokeImage, type Uploaded } from "./upload";

export interface SmokeOptions {
  /** The stack's public URL, as visitors reach it through the proxy (PUBLIC_DOMAIN). */
  publicUrl: string;
  healthPath: string;
  /** The stack's setting: which steps run. */
  steps: readonly SmokeStepKey[];
  /** Needed by the account step. The password is never logged nor returned. */
  account?: SmokeAccount;
  /** Origins besides the public URL a thumbnail may be served from (storage nodes' public_base_url). */
  imageOrigins?: readonly string[];
  /** Per request (default 10 s); the upload gets `uploadTimeoutMs` (default 30 s). */
  timeoutMs?: number;
  uploadTimeoutMs?: number;
  signal?: AbortSignal;
}

interface RunState {
  s: SmokeSession;
  opts: SmokeOptions;
  uploads: string[];
  uploaded: Uploaded;
  account?: { email: string; created: boolean };
}

interface StepDef {
  /** Steps this one needs: when one of them ran and did not pass, this one is skipped. */
  needs: SmokeStepName[];
  run: (st: RunState) => Promise<StepOutcome>;
}

const STEPS: Record<SmokeStepName, StepDef> = {
  ping: { needs: [], run: (st) => checkPing(st.s, st.opts.healthPath) },
  "home page": { needs: [], run: (st) => checkHomePage(st.s) },
  "register / log in": {
    needs: ["ping"],
    run: async (st) => {
      const account = st.opts.account!;
      const out = await logInOrRegister(st.s, account);
      st.account = { email: account.email, created: out.created };
      return out;
    },
  },
  upload: {
    needs: ["register / log in"],
    run: async (st) => {
      const out = await uploadSmokeImage(st.s, st.opts.uploadTimeoutMs ?? 30_000);
      if (out.uuid) st.uploads.push(out.uuid);
      st.uploaded = out;
      return out;
    },
  },
  thumbnail: { needs: ["upload"], run: (st) => fetchThumbnail(st.s, st.uploaded, st.opts.imageOrigins ?? []) },
  "direct upload": { needs: [], run: (st) => checkDirectUpload(st.s) },
  cleanup: { needs: [], run: (st) => deleteUploads(st.s, st.uploads) },
};

/**
 * The go-live plan's smoke tests, run from the panel through the public proxy, one step after
 * the other (one session cookie, never more than a handful of requests against the app's rate
 * limit). Each step is timed; a step whose prerequisite failed is skipped with the reason; the
 * images this run uploaded are removed at the end even when a step failed. Never throws for what
 * the app answers, only for a bad setting.
 */
export async function runSmoke(http: SmokeHttp, opts: SmokeOptions): Promise<SmokeRun> {
  const names = stepsToRun(parseSmokeSteps(opts.steps));
  if (names.includes("register / log in") && !opts.account) {
    throw new AppError("PRECONDITION_FAILED", "The account smoke step needs the stack's smoke account (e-mail and password)", {
      data: { field: "smokeAccount" },
    });
  }
  const s = createSmokeSession(http, opts.publicUrl, { timeoutMs: opts.timeoutMs ?? 10_000, signal: opts.signal });
  const st: RunState = { s, opts, uploads: [], uploaded: { uuid: null, thumbnailUrl: null } };
  const results: SmokeStepResult[] = [];
  for (const name of names) results.push(await runStep(name, st, results));
  return { ok: results.every((r) => r.ok), steps: results, ...(st.account ? { account: st.account } : {}) };
}

async function runStep(name: SmokeStepName, st: RunState, done: SmokeStepResult[]): Promise<SmokeStepResult> {
  const blocker = STEPS[name].needs.map((n) => done.find((r) => r.name === n)).find((r) => r && !r.ok);
  if (blocker) return { name, ok: false, ms: 0, skipped: `${blocker.name} ${blocker.skipped ? "was skipped" : "failed"}` };
  if (name === "cleanup" && st.uploads.length === 0) return { name, ok: true, ms: 0, skipped: "nothing was uploaded" };
  if (st.opts.signal?.aborted && name !== "cleanup") return { name, ok: false, ms: 0, skipped: "the job was cancelled" };
  const started = performance.now();
  let out: StepOutcome;
  try {
    out = await STEPS[name].run(st);
  } catch (err) {
    out = {
      ok: false,
      error: err instanceof NoAnswerError ? `${err.message}: check the proxy and the app` : "internal error: see the panel's log",
    };
    if (!(err instanceof NoAnswerError)) console.error(`[smoke] step ${name}:`, err);
  }
  const ms = Math.round(performance.now() - started);
  // Security: the password, the session cookie and any other cookie value are cut out of every text
  // the run returns, whatever wrote it.
  const secrets = [st.opts.account?.password, ...st.s.secrets()];
  return {
    name,
    ok: out.ok,
    ms,
    ...(out.status !== undefined ? { status: out.status } : {}),
    ...(out.url ? { url: redact(out.url, secrets) } : {}),
    ...(out.version ? { version: redact(out.version, secrets) } : {}),
    ...(out.detail ? { detail: redact(out.detail, secrets) } : {}),
    ...(out.error ? { error: redact(out.error, secrets) } : {}),
  };
}
