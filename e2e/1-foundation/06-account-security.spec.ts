import { expect, test, type Page } from "@playwright/test";
import { generate } from "otplib";
import { panelCli, signIn } from "../support/panel";

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };
const PASSWORD = "a-long-enough-password";

/** A TOTP code for the window `steps` away from now (the panel accepts one either side, each code once). */
const codeAt = (secret: string, steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

async function submitLogin(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
}

test("two-factor sign-in: set up with the QR's secret, then a code (each once) or a recovery code; an admin resets it", async ({
  page,
}) => {
  const email = `twofa-${Date.now()}@pixelfox.test`;
  panelCli(["user", "create", "--email", email, "--role", "viewer"], `${PASSWORD}\n`);
  await signIn(page, email, PASSWORD);
  await page.goto("/settings/account");
  const card = page.getByTestId("two-factor");
  // The password is asked again first: an open session alone cannot set up a second factor.
  await card.getByLabel("Your password").fill("not-my-password-at-all");
  await card.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  await expect(card.getByText("That is not your current password.")).toBeVisible();
  await card.getByLabel("Your password").fill(PASSWORD);
  await card.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  await expect(card.getByTestId("totp-qr").locator("svg")).toBeVisible();
  const secret = (await card.getByTestId("totp-secret").textContent()) ?? "";
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await card.getByLabel("Code from the app").fill("000000");
  await card.getByRole("button", { name: "Turn on" }).click();
  await expect(card.getByText("The code does not match")).toBeVisible();
  const enrolCode = await codeAt(secret);
  await card.getByLabel("Code from the app").fill(enrolCode);
  await card.getByRole("button", { name: "Turn on" }).click();
  const codes = ((await card.getByTestId("recovery-codes").textContent()) ?? "").split("\n");
  expect(codes).toHaveLength(10);
  await card.getByRole("button", { name: "I have saved them" }).click();
  await expect(card).toContainText("10 unused recovery codes left");
  await signOut(page);

  // The password alone is no longer enough: the form asks for a code, and a spent one is refused.
  await submitLogin(page, email, PASSWORD);
  await expect(page.getByLabel("Authentication code")).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Authentication code").fill(enrolCode);
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page.getByText("That code is wrong or was already used")).toBeVisible();
  await page.getByLabel("Authentication code").fill(await codeAt(secret, 1));
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
  await signOut(page);

  // A recovery code works once.
  await submitLogin(page, email, PASSWORD);
  await page.getByLabel("Authentication code").fill(codes[0]!);
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto("/settings/account");
  await expect(page.getByTestId("two-factor")).toContainText("9 unused recovery codes left");
  await signOut(page);

  // The admin resets it (a lost device): the password alone signs in again. Audited.
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/settings/users");
  await expect(page.getByTestId(`user-2fa-${email}`)).toHaveText("on");
  await page.getByRole("row").filter({ hasText: email }).getByRole("button", { name: "Reset 2FA" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Reset two-factor sign-in" }).click();
  await expect(page.getByTestId(`user-2fa-${email}`)).toHaveText("off");
  await page.goto("/audit");
  await expect(page.getByRole("row").filter({ hasText: "user.totp-reset" }).filter({ hasText: email }).first()).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "auth.recovery-code-used" }).filter({ hasText: email }).first()).toBeVisible();
  await signOut(page);
  await signIn(page, email, PASSWORD);
});

test("after 5 wrong passwords the account waits, even for the right one; the CLI lifts the wait", async ({ page }) => {
  const email = `guessed-${Date.now()}@pixelfox.test`;
  panelCli(["user", "create", "--email", email, "--role", "viewer"], `${PASSWORD}\n`);
  for (let i = 0; i < 5; i++) {
    await submitLogin(page, email, `wrong-password-${i}`);
    await expect(page.getByText("Email or password is wrong")).toBeVisible();
  }
  await submitLogin(page, email, PASSWORD);
  await expect(page.getByText(/Too many failed sign-ins for this account: try again in 1 minute/)).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  expect(panelCli(["user", "unlock", "--email", email])).toContain("may sign in again");
  await signIn(page, email, PASSWORD);
});

test("changing the password ends every session: another browser is signed out, and only the new password works", async ({
  page,
  browser,
}) => {
  const email = `rotate-${Date.now()}@pixelfox.test`;
  const NEW_PASSWORD = "a-brand-new-long-password";
  panelCli(["user", "create", "--email", email, "--role", "deployer"], `${PASSWORD}\n`);
  const other = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  try {
    const otherPage = await other.newPage();
    await signIn(otherPage, email, PASSWORD);
    expect((await other.request.get("/api/trpc/account.get")).status()).toBe(200);

    await signIn(page, email, PASSWORD);
    await page.goto("/settings/account");
    // Bad input first: each refusal names its field, and nothing changes (the other browser stays signed in).
    await page.getByLabel("Current password").fill("not-my-password-at-all");
    await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel("Repeat new password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("That is not your current password.")).toBeVisible();
    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByLabel("New password", { exact: true }).fill("too-short");
    await page.getByLabel("Repeat new password").fill("too-short");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("At least 12 characters", { exact: true })).toBeVisible();
    await page.getByLabel("Repeat new password").fill("something-else-entirely");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("The new passwords do not match")).toBeVisible();
    expect((await other.request.get("/api/trpc/account.get")).status()).toBe(200);

    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel("Repeat new password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page).toHaveURL(/\/login\?ended=password/);
    await expect(page.getByTestId("login-notice")).toContainText("Your password was changed");

    // The other browser's session is refused at once, on the API and in the pages.
    expect((await other.request.get("/api/trpc/account.get")).status()).toBe(401);
    await otherPage.goto("/settings/account");
    await expect(otherPage).toHaveURL(/\/login/);
    await submitLogin(page, email, PASSWORD);
    await expect(page.getByText("Email or password is wrong")).toBeVisible();
    await signIn(page, email, NEW_PASSWORD);
    await page.goto("/audit");
    await expect(page.getByRole("row").filter({ hasText: "account.password-changed" }).filter({ hasText: email }).first()).toBeVisible();
  } finally {
    await other.close();
  }
});

test("Auth.js's own credentials endpoint does not sign anyone in with an email and password", async ({ request }) => {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: ADMIN.email, password: ADMIN.password, callbackUrl: "/" },
    maxRedirects: 0,
  });
  const me = await request.get("/api/trpc/user.me");
  expect(me.status()).toBe(401);
  const session = (await (await request.get("/api/auth/session")).json()) as unknown;
  expect(session).toBeNull();
});
