import { randomInt } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { panelCli, signIn } from "../support/panel";
import { trpcQuery } from "../support/trpc";
import { ADMIN, PANEL_URL, uniqueSuffix } from "./fixtures";

// Sign-in throttling per client address. Each test's browser sends its own X-Forwarded-For: the panel
// takes a single entry as the client's address (PANEL_TRUST_PROXY is needed only for proxy chains), so
// these addresses are the only ones that wait; 127.0.0.1, which every other spec signs in from, is untouched.

/** ADDRESS_LIMIT.free in server/services/auth/login-throttle.ts: failures an address may make before it waits. */
const FREE_FAILURES_PER_ADDRESS = 30;

interface AuditEvent {
  action: string;
  target: string | null;
  actorLabel: string;
  details: Record<string, unknown>;
}

test.beforeAll(() => {
  panelCli(["fleet", "import"]);
});

/** An address of a documentation range (TEST-NET-1, -2 or -3); each test takes its own range, so they never meet. */
const testAddress = (net: "192.0.2" | "198.51.100" | "203.0.113") => `${net}.${randomInt(1, 255)}`;

async function browserFrom(browser: Browser, address: string) {
  return browser.newContext({ baseURL: PANEL_URL, extraHTTPHeaders: { "X-Forwarded-For": address } });
}

/** One sign-in through the form, on a fresh page load (so each answer is the one to this attempt). */
async function submitLogin(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function auditEvents(page: Page): Promise<AuditEvent[]> {
  return trpcQuery<AuditEvent[]>(page.request, "audit.list", { limit: 1000 });
}

test("after the free failures from one address, even the right password waits there; another address signs in", async ({ browser }) => {
  const s = uniqueSuffix();
  const blocked = testAddress("198.51.100");
  const other = testAddress("203.0.113");
  const guesser = await browserFrom(browser, blocked);
  const elsewhere = await browserFrom(browser, other);
  try {
    const page = await guesser.newPage();
    // Different unknown emails: no account's own limit trips first, only the address's.
    for (let i = 1; i <= FREE_FAILURES_PER_ADDRESS; i++) {
      await submitLogin(page, `nobody-${i}-${s}@pixelfox.test`, `wrong-password-${i}`);
      await expect(page.getByText("Email or password is wrong")).toBeVisible();
    }
    await submitLogin(page, ADMIN.email, ADMIN.password);
    await expect(page.getByText("Too many failed sign-ins from your address: try again in 1 minute")).toBeVisible();
    await expect(page).toHaveURL(/\/login/);

    const admin = await elsewhere.newPage();
    await signIn(admin, ADMIN.email, ADMIN.password);
    await expect(admin.getByText(ADMIN.email).first()).toBeVisible();

    // The audit log tells the story, by address.
    const events = await auditEvents(admin);
    const failures = events.filter((e) => e.action === "auth.sign-in.failed" && e.details.address === blocked);
    expect(failures).toHaveLength(FREE_FAILURES_PER_ADDRESS);
    expect(events.some((e) => e.action === "auth.address-throttled" && e.target === blocked)).toBe(true);
    expect(events.some((e) => e.action === "auth.sign-in" && e.target === ADMIN.email && e.details.address === other)).toBe(true);
    // The refused right password was not even checked: no sign-in, and no failure counted, from the blocked address.
    expect(events.some((e) => e.action === "auth.sign-in" && e.details.address === blocked)).toBe(false);
    await admin.goto("/audit");
    await expect(admin.getByRole("row").filter({ hasText: "auth.address-throttled" }).filter({ hasText: blocked }).first()).toBeVisible();
  } finally {
    await guesser.close();
    await elsewhere.close();
  }
});

test("a failed sign-in with an email that is no account keeps none of the typed text", async ({ browser }) => {
  const address = testAddress("192.0.2");
  // What a user types into the wrong field: their password.
  const typed = `Hunter2-My-Password-${uniqueSuffix()}`;
  const context = await browserFrom(browser, address);
  try {
    const page = await context.newPage();
    await submitLogin(page, typed, "some-password-for-it");
    await expect(page.getByText("Email or password is wrong")).toBeVisible();

    await signIn(page, ADMIN.email, ADMIN.password);
    const events = await auditEvents(page);
    const failure = events.find((e) => e.action === "auth.sign-in.failed" && e.details.address === address);
    expect(failure, "the failed sign-in is audited").toBeTruthy();
    expect(failure?.target).toBe("unknown account");
    expect(failure?.actorLabel).toBe("unknown account");
    expect(JSON.stringify(events).toLowerCase()).not.toContain(typed.toLowerCase());
    await page.goto("/audit");
    await expect(page.getByRole("row").filter({ hasText: "auth.sign-in.failed" }).filter({ hasText: address }).first()).toBeVisible();
    expect((await page.content()).toLowerCase()).not.toContain(typed.toLowerCase());
  } finally {
    await context.close();
  }
});
