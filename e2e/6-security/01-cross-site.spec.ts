import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { panelCli, signIn } from "../support/panel";

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };
const PANEL = `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}`;
const DEPLOY_URL = `${PANEL}/api/v1/stacks/pixelfox/deployments`;
const TRPC_DEPLOY_URL = `${PANEL}/api/trpc/deploy.start`;

/**
 * Another page on another port of the same host: what a sibling app or a forgotten dev server could serve.
 * Same host, so the browser sends the admin's cookies to the panel (same-site, SameSite=Lax is no help).
 */
const ATTACKER_PAGE = `<!doctype html><html><body>
<h1>Cute cats</h1>
<form id="rest-form" method="post" enctype="text/plain" target="sink" action="${DEPLOY_URL}">
  <input name='{"tag":"v1.0.0","x":"' value='"}'>
</form>
<form id="trpc-form" method="post" enctype="text/plain" target="sink" action="${TRPC_DEPLOY_URL}">
  <input name='{"json":{"stack":"pixelfox","tag":"v1.0.0"},"x":"' value='"}'>
</form>
<iframe name="sink" title="sink"></iframe>
<iframe id="framed" title="framed panel"></iframe>
</body></html>`;

let viewerToken = "";
let attacker: http.Server;
let attackerOrigin = "";

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  viewerToken =
    panelCli(["token", "create", "--name", `cross-site-${Date.now()}`, "--role", "viewer"])
      .trim()
      .split("\n")
      .pop() ?? "";
  attacker = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(ATTACKER_PAGE));
  await new Promise<void>((r) => attacker.listen(0, "127.0.0.1", r));
  attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise<void>((r) => attacker.close(() => r()));
});

async function deploymentCount(request: APIRequestContext): Promise<number> {
  const res = await request.get(DEPLOY_URL, { headers: { authorization: `Bearer ${viewerToken}` } });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { deployments: unknown[] }).deployments.length;
}

/** Runs `act` on the attacker's page and returns the status the panel answered the request to `url` with. */
async function statusOfPanelAnswer(page: Page, url: string, method: string, act: () => Promise<unknown>): Promise<number> {
  const answer = page.waitForResponse((r) => r.url() === url && r.request().method() === method);
  await act();
  return (await answer).status();
}

test("another port's page cannot deploy with the admin's cookies: form posts and fetches get 403, nothing starts", async ({
  page,
  request,
}) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  const before = await deploymentCount(request);
  await page.goto(attackerOrigin);

  expect(
    await statusOfPanelAnswer(page, DEPLOY_URL, "POST", () => page.locator("#rest-form").evaluate((f: HTMLFormElement) => f.submit())),
  ).toBe(403);
  expect(
    await statusOfPanelAnswer(page, TRPC_DEPLOY_URL, "POST", () => page.locator("#trpc-form").evaluate((f: HTMLFormElement) => f.submit())),
  ).toBe(403);

  // fetch() in no-cors mode: the page cannot read the answer, but the request still reaches the panel with cookies.
  for (const url of [DEPLOY_URL, TRPC_DEPLOY_URL, `${PANEL}/api/trpc/deploy.rollback`, `${PANEL}/api/v1/stacks/pixelfox/rollback`]) {
    const status = await statusOfPanelAnswer(page, url, "POST", () =>
      page.evaluate(async (target) => {
        const body = target.includes("/api/trpc/") ? JSON.stringify({ json: { stack: "pixelfox", tag: "v1.0.0" } }) : '{"tag":"v1.0.0"}';
        await fetch(target, { method: "POST", mode: "no-cors", credentials: "include", headers: { "content-type": "text/plain" }, body });
      }, url),
    );
    expect(status, url).toBe(403);
  }

  expect(await deploymentCount(request)).toBe(before);

  // The refusal names what was wrong; the panel's own pages still call the same API.
  const refusal = await request.post(DEPLOY_URL, {
    headers: { origin: attackerOrigin, cookie: "authjs.session-token=x", "content-type": "application/json" },
    data: { tag: "v1.0.0" },
  });
  expect(refusal.status()).toBe(403);
  expect(((await refusal.json()) as { error: { message: string } }).error.message).toContain(
    `Origin "${attackerOrigin}" is not the panel's own`,
  );
  await page.goto("/deploy/pixelfox");
  const own = await page.evaluate(async () => {
    const res = await fetch("/api/trpc/deploy.history?input=" + encodeURIComponent(JSON.stringify({ json: { stack: "pixelfox" } })));
    return res.status;
  });
  expect(own).toBe(200);
});

test("the panel does not render inside another site's frame", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto(attackerOrigin);
  const framed = page.waitForResponse((r) => r.url().startsWith(PANEL) && r.request().resourceType() === "document");
  await page.locator("#framed").evaluate((f: HTMLIFrameElement, src) => (f.src = src), `${PANEL}/`);
  const response = await framed;
  expect(response.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(response.headers()["x-frame-options"]).toBe("DENY");
  // Chromium shows its own error page in place of the panel.
  await expect.poll(() => page.frames().some((f) => f.url().startsWith("chrome-error://"))).toBe(true);
  await expect(page.frameLocator("#framed").getByText(ADMIN.email)).toHaveCount(0);
  await expect(page.frameLocator("#framed").getByRole("link", { name: "Hosts" })).toHaveCount(0);
});

test("pages carry a nonce CSP, nosniff and a Referrer-Policy; API answers a deny-all CSP", async ({ page, request }) => {
  const res = await page.goto("/login");
  const headers = res!.headers();
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(headers["content-security-policy"]).not.toContain("'unsafe-eval'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  // No HSTS on plain http.
  expect(headers["strict-transport-security"]).toBeUndefined();
  // A fresh nonce per response.
  const again = (await request.get("/login")).headers()["content-security-policy"];
  expect(again).not.toBe(headers["content-security-policy"]);

  const api = (await request.get("/api/healthz")).headers();
  expect(api["content-security-policy"]).toContain("default-src 'none'");
  expect(api["x-content-type-options"]).toBe("nosniff");
});

test("the panel's pages run under their CSP without a violation, and the theme toggle still works", async ({ page }) => {
  const violations: string[] = [];
  await page.addInitScript(() =>
    document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)),
  );
  page.on("console", (m) => {
    if (m.text().startsWith("CSP violation") || m.text().includes("Content Security Policy")) violations.push(`${page.url()}: ${m.text()}`);
  });
  await signIn(page, ADMIN.email, ADMIN.password);
  for (const path of [
    "/",
    "/hosts",
    "/hosts/new",
    "/logs",
    "/database/pixelfox",
    "/deploy/pixelfox",
    "/stacks/pixelfox",
    "/settings/account",
    "/settings/tokens",
  ]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
  }
  await page.getByRole("button", { name: "Dark theme" }).first().click();
  await expect(page.locator("html")).toHaveClass(/dark/);
  // The pre-paint script (nonced) applies the choice before React on a fresh load.
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.getByRole("button", { name: "Light theme" }).first().click();
  await expect(page.locator("html")).not.toHaveClass(/dark/);
  expect(violations).toEqual([]);
});

test("an oversized body to a public procedure gets 413 at once, declared or chunked", async ({ request }) => {
  const declared = await request.post("/api/trpc/setup.createFirstAdmin", {
    headers: { "content-type": "application/json" },
    data: Buffer.alloc(5 * 1024 * 1024, 0x20),
  });
  expect(declared.status()).toBe(413);
  expect(((await declared.json()) as { error: { code: string } }).error.code).toBe("PAYLOAD_TOO_LARGE");

  // Chunked (no Content-Length): the panel stops reading at the limit and answers while the client still sends.
  const status = await new Promise<number>((resolve, reject) => {
    const req = http.request(`${PANEL}/api/trpc/setup.createFirstAdmin`, {
      method: "POST",
      headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    // The panel closes the connection after its 413; a write that fails after that is expected.
    req.on("error", (err) => setTimeout(() => reject(err), 1000));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < 5 * 1024 * 1024) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
  expect(status).toBe(413);
});
