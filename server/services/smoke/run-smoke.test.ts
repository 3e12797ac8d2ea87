import { describe, expect, it } from "vitest";
import { isAppError } from "@/server/errors";
import { smokeAccountEmail } from "./account";
import { describeSmokeFailure, formatSmokeLine } from "./format";
import { runSmoke, type SmokeOptions } from "./run-smoke";
import { ALL_SMOKE_STEPS, parseSmokeSteps } from "./steps";
import { createFakeApp, type FakeAppFaults } from "./testing/fake-app";

const PUBLIC = "https://pixelfox.test";
const account = { email: smokeAccountEmail("pixelfox"), password: "Sm0ke-pass-never-shown-3f9a" };
const options = (extra: Partial<SmokeOptions> = {}): SmokeOptions => ({
  publicUrl: PUBLIC,
  healthPath: "/api/v1/ping",
  steps: ALL_SMOKE_STEPS,
  account,
  ...extra,
});
const summary = (run: Awaited<ReturnType<typeof runSmoke>>) =>
  run.steps.map((s) => `${s.name}: ${s.skipped ? "skipped" : s.ok ? "ok" : "FAILED"}`);

function setup(faults: FakeAppFaults = {}) {
  return createFakeApp(PUBLIC, faults);
}

describe("runSmoke: the whole road", () => {
  it("passes every step in order, creates the account once, and removes its upload", async () => {
    const app = setup();
    const run = await runSmoke(app.http, options());
    expect(summary(run)).toEqual([
      "ping: ok",
      "home page: ok",
      "register / log in: ok",
      "upload: ok",
      "thumbnail: ok",
      "direct upload: ok",
      "cleanup: ok",
    ]);
    expect(run.ok).toBe(true);
    expect(run.account).toEqual({ email: "smoke+pixelfox@pixelfox-ops.invalid", created: true });
    expect(run.steps.find((s) => s.name === "thumbnail")?.detail).toMatch(/^image\/png, png data, \d+ bytes$/);
    expect(run.steps.find((s) => s.name === "ping")).toMatchObject({ status: 200, url: `${PUBLIC}/api/v1/ping`, version: "v9.9.9-fake" });
    expect(app.images.size).toBe(0);

    const again = await runSmoke(app.http, options());
    expect(again.ok).toBe(true);
    expect(again.account?.created).toBe(false);
    expect(app.requests.filter((r) => r.url.endsWith("/register"))).toHaveLength(1);
  });

  it("keeps the session cookie for the run, never sends it with the public thumbnail GET, and times each request", async () => {
    const app = setup();
    await runSmoke(app.http, options({ timeoutMs: 4_000, uploadTimeoutMs: 20_000 }));
    const byPath = (p: string) => app.requests.find((r) => new URL(r.url).pathname.startsWith(p))!;
    expect(byPath("/upload").headers?.cookie).toMatch(/^session_id=[0-9a-f-]{36}$/);
    expect(byPath("/user/images/delete/").headers?.cookie).toMatch(/^session_id=/);
    expect(byPath("/uploads/variants/").headers?.cookie).toBeUndefined();
    expect(byPath("/upload").timeoutMs).toBe(20_000);
    expect(byPath("/api/v1/ping").timeoutMs).toBe(4_000);
    expect(app.requests.every((r) => r.url.startsWith(`${PUBLIC}/`))).toBe(true);
  });

  it("runs only ping, or ping and home page, for an app version without accounts", async () => {
    const app = setup({ noAccounts: true });
    expect(summary(await runSmoke(app.http, options({ steps: ["ping"], account: undefined })))).toEqual(["ping: ok"]);
    const two = await runSmoke(app.http, options({ steps: ["ping", "home"], account: undefined }));
    expect(two.ok).toBe(true);
    expect(summary(two)).toEqual(["ping: ok", "home page: ok"]);
    expect(app.requests.map((r) => new URL(r.url).pathname)).toEqual(["/api/v1/ping", "/api/v1/ping", "/"]);
  });

  it("reads a browser-style app (redirects, no JSON) without following a redirect", async () => {
    const app = setup({ browserOnly: true });
    const run = await runSmoke(app.http, options());
    expect(run.steps.filter((s) => !s.ok)).toEqual([]);
    expect(run.account?.created).toBe(true);
    expect(run.steps.find((s) => s.name === "upload")?.detail).toMatch(/^image [0-9a-f-]{36} \(answered 302 to its page\)$/);
    expect(app.requests.map((r) => `${r.method} ${new URL(r.url).pathname.replace(/[0-9a-f-]{36}/, "<id>")}`)).toEqual([
      "GET /api/v1/ping",
      "GET /",
      "GET /login",
      "POST /login",
      "POST /register",
      "POST /login",
      "POST /upload",
      "GET /image/<id>",
      "GET /uploads/variants/2026/01/31/<id>_small.png",
      "HEAD /api/internal/upload",
      "POST /user/images/delete/<id>",
      "POST /logout",
    ]);
    const html = await runSmoke(setup({ browserOnly: true, htmlImagePage: true }).http, options());
    expect(html.steps.find((s) => s.name === "thumbnail")?.error).toMatch(
      /^the image page answered 200 \(text\/html, 5 bytes\) without a thumbnail URL/,
    );
  });

  it("sends the real app's CSRF cookie back as the _csrf form field on every form post", async () => {
    const app = setup({ csrf: true });
    const run = await runSmoke(app.http, options());
    expect(run.steps.filter((s) => !s.ok)).toEqual([]);
    const posts = app.requests.filter((r) => r.method === "POST");
    expect(posts.map((r) => new URL(r.url).pathname)).toEqual([
      "/login",
      "/register",
      "/login",
      "/upload",
      expect.stringMatching(/^\/user\/images\/delete\//),
      "/logout",
    ]);
    expect(posts.every((r) => r.body?.toString("latin1").includes("_csrf"))).toBe(true);
  });

  it("an app version without a login page: the account step says to take it out of the setting", async () => {
    const run = await runSmoke(setup({ noAccounts: true }).http, options());
    expect(run.steps.find((s) => s.name === "register / log in")?.error).toMatch(
      /^answered 404 .*no login page: take the account and upload steps out/,
    );
  });
});

describe("runSmoke: failures name the step, skip what depends on it, clean up anyway", () => {
  it("cache down: the account step fails with the hint, upload and thumbnail are skipped, nothing to clean", async () => {
    const app = setup({ cacheDown: true });
    const run = await runSmoke(app.http, options());
    expect(run.ok).toBe(false);
    expect(summary(run)).toEqual([
      "ping: ok",
      "home page: ok",
      "register / log in: FAILED",
      "upload: skipped",
      "thumbnail: skipped",
      "direct upload: ok",
      "cleanup: skipped",
    ]);
    const acc = run.steps[2]!;
    expect(acc).toMatchObject({ status: 503 });
    expect(acc.error).toMatch(/^answered 503 \(application\/json, \d+ bytes\): the app could not store the session: is the cache/);
    expect(run.steps[3]!.skipped).toBe("register / log in failed");
    expect(run.steps[4]!.skipped).toBe("upload was skipped");
    expect(run.steps[6]!).toMatchObject({ ok: true, skipped: "nothing was uploaded" });
    expect(describeSmokeFailure(run)).toMatch(
      /^Smoke step "register \/ log in" failed: answered 503 .*Skipped after it: upload, thumbnail\.$/,
    );
  });

  it("a thumbnail served as text fails the thumbnail step; the upload is still removed", async () => {
    const app = setup({ thumbnailType: "text/plain" });
    const run = await runSmoke(app.http, options());
    const thumb = run.steps.find((s) => s.name === "thumbnail")!;
    expect(thumb.ok).toBe(false);
    expect(thumb.error).toMatch(/^answered 200 \(text\/plain, \d+ bytes\): the thumbnail is not served as an image/);
    expect(run.steps.find((s) => s.name === "cleanup")).toMatchObject({ ok: true, detail: "removed 1 smoke upload" });
    expect(app.images.size).toBe(0);
    expect(describeSmokeFailure(run)).toMatch(/^Smoke step "thumbnail" failed/);
  });

  it("image/* with bytes that are not an image fails too (magic numbers)", async () => {
    const run = await runSmoke(setup({ thumbnailBytes: Buffer.from("<html>oops</html>") }).http, options());
    expect(run.steps.find((s) => s.name === "thumbnail")?.error).toMatch(/not a PNG, JPEG, GIF, WebP or AVIF image/);
  });

  it("a thumbnail URL on another origin (a wrong storage pool) is reported, not fetched", async () => {
    const app = setup({ poolBaseUrl: "http://localhost:8080" });
    const run = await runSmoke(app.http, options());
    expect(run.steps.find((s) => s.name === "thumbnail")?.error).toMatch(
      /points to http:\/\/localhost:8080, not https:\/\/pixelfox\.test: the default storage pool's public_base_url/,
    );
    expect(app.requests.some((r) => r.url.startsWith("http://localhost:8080"))).toBe(false);
    const node = setup({ poolBaseUrl: "https://s01.pixelfox.test" });
    const allowed = await runSmoke(node.http, options({ imageOrigins: ["https://s01.pixelfox.test"] }));
    expect(allowed.steps.find((s) => s.name === "thumbnail")).toMatchObject({
      ok: true,
      url: expect.stringMatching(/^https:\/\/s01\.pixelfox\.test\/uploads\//),
    });
    expect(node.requests.find((r) => r.url.startsWith("https://s01."))?.headers?.cookie).toBeUndefined();
  });

  it("a cleanup failure is reported but the earlier failure stays the one named", async () => {
    const run = await runSmoke(setup({ thumbnailType: "text/plain", deleteStatus: 500 }).http, options());
    expect(run.steps.find((s) => s.name === "cleanup")?.error).toMatch(
      /^image [0-9a-f-]{36}: answered 500 .*delete the smoke account's images/,
    );
    const text = describeSmokeFailure(run)!;
    expect(text).toMatch(/^Smoke step "thumbnail" failed/);
    expect(text).toMatch(/Also failed: cleanup \(image /);
  });

  it("no answer at all names the URL and the reason; the account step is skipped, the independent ones still run", async () => {
    const run = await runSmoke(setup({ refuse: ["/api/v1/ping"] }).http, options());
    expect(run.steps[0]).toMatchObject({
      name: "ping",
      ok: false,
      error: `no answer from ${PUBLIC}/api/v1/ping: ECONNREFUSED: check the proxy and the app`,
    });
    expect(summary(run)).toEqual([
      "ping: FAILED",
      "home page: ok",
      "register / log in: skipped",
      "upload: skipped",
      "thumbnail: skipped",
      "direct upload: ok",
      "cleanup: skipped",
    ]);
  });

  it("an account that exists with another password says what to do", async () => {
    const app = setup();
    app.users.set(account.email, "someone-else's");
    const run = await runSmoke(app.http, options({ steps: ["ping", "account"] }));
    expect(run.steps[1]?.error).toMatch(/^answered 409 .*exists but refuses the password the panel stored for it\. Delete that user/);
    expect(run.account).toEqual({ email: account.email, created: false });
  });
});

describe("runSmoke: secrets", () => {
  it("cuts the password and the session cookie out of whatever the app sends back (headers, URLs)", async () => {
    const app = setup({ leaky: { versionHeader: `v1 ${account.password}` } });
    const run = await runSmoke(app.http, options());
    const sid = app.requests.find((r) => r.headers?.cookie)!.headers!.cookie!.split("=")[1]!;
    const text = JSON.stringify(run);
    expect(text).toContain("v1 [REDACTED]");
    expect(run.steps.find((s) => s.name === "thumbnail")?.url).toMatch(/\/uploads\/variants\/\[REDACTED\]\//);
    expect(text).not.toContain(account.password);
    expect(text).not.toContain(sid);
  });

  it("never returns the password, the session cookie or an answer's body", async () => {
    const refused = setup({ errorBody: account.password });
    refused.users.set(account.email, "other");
    const good = setup({ thumbnailType: "text/html", deleteStatus: 500, errorBody: account.password });
    const runs = [await runSmoke(refused.http, options()), await runSmoke(good.http, options())];
    const cookies = good.requests.flatMap((r) => (r.headers?.cookie ? [r.headers.cookie.split("=")[1]!] : []));
    expect(cookies.length).toBeGreaterThan(0);
    for (const run of runs) {
      const text = JSON.stringify(run) + run.steps.map(formatSmokeLine).join("\n") + (describeSmokeFailure(run) ?? "");
      expect(text).not.toContain(account.password);
      for (const c of cookies) expect(text).not.toContain(c);
      expect(text).not.toMatch(/conflict|internal_server_error/);
    }
  });
});

describe("the per-stack setting", () => {
  it("accepts ping alone and the full list; rejects what cannot run, naming the field", () => {
    expect(parseSmokeSteps(["ping"])).toEqual(["ping"]);
    expect(parseSmokeSteps([...ALL_SMOKE_STEPS])).toEqual([...ALL_SMOKE_STEPS]);
    const bad = (v: unknown) => {
      try {
        parseSmokeSteps(v);
      } catch (err) {
        return isAppError(err) ? `${String(err.data?.field)}: ${err.message}` : "not an AppError";
      }
      return "accepted";
    };
    expect(bad(["ping", "upload"])).toBe(
      "smokeSteps: smokeSteps: The upload step needs the account step (uploads are made by the smoke account)",
    );
    expect(bad([])).toMatch(/^smokeSteps: .*Choose at least one smoke step/);
    expect(bad(["ping", "selfie"])).toMatch(/must be one of ping, home, account, upload, direct-upload/);
    expect(bad(["ping", "ping"])).toMatch(/listed twice/);
  });

  it("the account step without an account is refused before any request", async () => {
    const app = setup();
    await expect(runSmoke(app.http, options({ account: undefined }))).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(app.requests).toHaveLength(0);
  });
});

describe("formatSmokeLine", () => {
  it("one line per step with its timing", () => {
    expect(formatSmokeLine({ name: "ping", ok: true, status: 200, ms: 12, version: "v1.2.0" })).toBe(
      "smoke ping: ok (200, 12 ms, version v1.2.0)",
    );
    expect(formatSmokeLine({ name: "thumbnail", ok: false, status: 200, ms: 8, error: "answered 200 (text/plain, 5 bytes): x" })).toBe(
      "smoke thumbnail: FAILED (200, 8 ms) answered 200 (text/plain, 5 bytes): x",
    );
    expect(formatSmokeLine({ name: "upload", ok: false, ms: 0, skipped: "register / log in failed" })).toBe(
      "smoke upload: skipped (register / log in failed)",
    );
  });
});
