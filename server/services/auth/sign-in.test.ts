import { removeTestDataDir } from "@/server/jobs/testing/test-db";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { changePassword, createUser, endSessions, getSessionUser } from "@/server/services/users/users";
import { createCallerFactory } from "@/server/trpc/init";
import { accountRouter } from "@/server/trpc/routers/account";
import type { Actor } from "./actor";
import { redeemLoginTicket, issueLoginTicket } from "./login-ticket";
import { signInKeys, waitAfter } from "./login-throttle";
import { checkSignIn } from "./sign-in";
import { beginTotpEnrolment, checkSecondFactor, confirmTotpEnrolment, disableTotp } from "./totp";

const PASSWORD = "a-very-long-test-password";

beforeAll(() => {
  process.env.PANEL_SECRET = "sign-in-test-secret-0123456789abcdef0123";
});
afterAll(async () => {
  await db.$disconnect();
  removeTestDataDir();
});

/** A TOTP code for a step away from now (1: the next 30 s window, still accepted). */
const codeAt = (secret: string, steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

describe("waitAfter", () => {
  it("lets 5 failures pass, then waits 30 s doubling up to 15 minutes", () => {
    expect([0, 4, 5, 6, 7, 9, 10, 30].map((n) => waitAfter(n))).toEqual([0, 0, 30_000, 60_000, 120_000, 480_000, 900_000, 900_000]);
  });
});

describe("login tickets", () => {
  it("are single-use and expire after a minute", () => {
    const t = issueLoginTicket("u1");
    expect(redeemLoginTicket(t)).toBe("u1");
    expect(redeemLoginTicket(t)).toBeNull();
    const old = issueLoginTicket("u2", Date.now() - 61_000);
    expect(redeemLoginTicket(old)).toBeNull();
    expect(redeemLoginTicket("not-a-ticket")).toBeNull();
  });
});

describe("checkSignIn", () => {
  it("signs in with the right password, and after 5 failures makes even the right one wait", async () => {
    await createUser({ email: "throttle@example.com", password: PASSWORD, role: "VIEWER" });
    const ok = await checkSignIn({ email: "Throttle@example.com", password: PASSWORD });
    expect(ok.ok).toBe(true);
    for (let i = 0; i < 5; i++)
      expect(await checkSignIn({ email: "throttle@example.com", password: "wrong-password-xx" })).toEqual({ ok: false, reason: "invalid" });
    const waiting = await checkSignIn({ email: "throttle@example.com", password: PASSWORD });
    expect(waiting).toMatchObject({ ok: false, reason: "throttled" });
    expect(waiting.ok === false && waiting.reason === "throttled" && waiting.waitMs).toBeGreaterThan(25_000);
    const failed = await db.auditEvent.count({ where: { action: "auth.sign-in.failed", target: "throttle@example.com" } });
    expect(failed).toBe(5);
  });

  it("a burst of parallel guesses gets no more than the free failures checked; the rest wait", async () => {
    await createUser({ email: "burst@example.com", password: PASSWORD, role: "VIEWER" });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => checkSignIn({ email: "burst@example.com", password: "wrong-password-xx" })),
    );
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(5);
    expect(results.filter((r) => !r.ok && r.reason === "throttled")).toHaveLength(15);
    expect(await db.auditEvent.count({ where: { action: "auth.sign-in.failed", target: "burst@example.com" } })).toBe(5);
  });

  it("an unknown email counts like a wrong password, under a keyed hash (the typed text is stored nowhere)", async () => {
    expect(await checkSignIn({ email: "nobody@example.com", password: PASSWORD })).toEqual({ ok: false, reason: "invalid" });
    const keys = signInKeys("nobody@example.com", "unknown");
    expect((await db.loginThrottle.findUnique({ where: { key: keys.pair } }))?.failures).toBe(1);
    expect(keys.pair).not.toContain("nobody");
  });

  it("with two-factor on: asks for a code, accepts each code once, and a recovery code once", async () => {
    const user = await createUser({ email: "totp@example.com", password: PASSWORD, role: "ADMIN" });
    await expect(beginTotpEnrolment(user.id, "not-the-password")).rejects.toMatchObject({
      message: "That is not your current password.",
      data: { field: "password" },
    });
    const { secret, uri, qrSvg } = await beginTotpEnrolment(user.id, PASSWORD);
    expect(uri).toContain("otpauth://totp/PixelFox%20Ops:totp%40example.com");
    expect(qrSvg).toMatch(/^<svg/);
    // Nothing changes at sign-in until the enrolment is confirmed.
    expect((await checkSignIn({ email: "totp@example.com", password: PASSWORD })).ok).toBe(true);
    await expect(confirmTotpEnrolment(user.id, "000000", PASSWORD)).rejects.toThrow(/does not match/);
    const enrolCode = await codeAt(secret);
    // The right code with a wrong password turns nothing on.
    await expect(confirmTotpEnrolment(user.id, enrolCode, "not-the-password")).rejects.toMatchObject({ data: { field: "password" } });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).totpEnabledAt).toBeNull();
    const { recoveryCodes } = await confirmTotpEnrolment(user.id, enrolCode, PASSWORD);
    expect(recoveryCodes).toHaveLength(10);
    expect(recoveryCodes[0]).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);

    expect(await checkSignIn({ email: "totp@example.com", password: PASSWORD })).toEqual({ ok: false, reason: "code-required" });
    // The code used to enrol is spent; the next window's code (within the tolerance) works once.
    expect(await checkSignIn({ email: "totp@example.com", password: PASSWORD, code: enrolCode })).toEqual({
      ok: false,
      reason: "code-invalid",
    });
    const now = await codeAt(secret, 1);
    expect((await checkSignIn({ email: "totp@example.com", password: PASSWORD, code: now })).ok).toBe(true);
    expect(await checkSignIn({ email: "totp@example.com", password: PASSWORD, code: now })).toEqual({ ok: false, reason: "code-invalid" });
    // A recovery code (any case, dash optional) signs in once.
    const recovery = recoveryCodes[3]!;
    expect((await checkSignIn({ email: "totp@example.com", password: PASSWORD, code: recovery.toUpperCase().replace("-", "") })).ok).toBe(
      true,
    );
    expect(await checkSignIn({ email: "totp@example.com", password: PASSWORD, code: recovery })).toEqual({
      ok: false,
      reason: "code-invalid",
    });
    expect(await db.auditEvent.count({ where: { action: "auth.recovery-code-used", target: "totp@example.com" } })).toBe(1);
    // A wrong password never reaches the code check.
    expect(await checkSignIn({ email: "totp@example.com", password: "wrong-password-xx", code: "123456" })).toEqual({
      ok: false,
      reason: "invalid",
    });

    await expect(disableTotp(user.id, "123456", PASSWORD)).rejects.toThrow(/not a current authenticator code/);
    // A valid recovery code without the password removes nothing (and the code is not spent).
    await expect(disableTotp(user.id, recoveryCodes[4]!, "")).rejects.toMatchObject({ data: { field: "password" } });
    await expect(disableTotp(user.id, recoveryCodes[4]!, "not-the-password")).rejects.toThrow("That is not your current password.");
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).totpEnabledAt).not.toBeNull();
    await disableTotp(user.id, recoveryCodes[4]!, PASSWORD);
    expect(await checkSecondFactor(user.id, recoveryCodes[5]!)).toBeNull();
    expect((await checkSignIn({ email: "totp@example.com", password: PASSWORD })).ok).toBe(true);
  });

  it("keeps the secret encrypted at rest", async () => {
    const user = await createUser({ email: "enc@example.com", password: PASSWORD, role: "VIEWER" });
    const { secret } = await beginTotpEnrolment(user.id, PASSWORD);
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.totpSecretEnc).toMatch(/^v1:/);
    expect(row.totpSecretEnc).not.toContain(secret);
  });
});

describe("ending sessions", () => {
  it("refuses sessions signed in before a password change or 'sign out everywhere', and accepts newer ones", async () => {
    const user = await createUser({ email: "sessions@example.com", password: PASSWORD, role: "DEPLOYER" });
    const before = Date.now() - 1000;
    expect(await getSessionUser(user.id, before)).toMatchObject({ email: "sessions@example.com" });
    expect(await getSessionUser(user.id, 0)).not.toBeNull(); // nothing ended yet: old sessions without a sign-in time still count
    await expect(changePassword(user.id, "not-the-password", "another-long-password")).rejects.toThrow(/not your current password/);
    expect(await getSessionUser(user.id, before)).not.toBeNull();
    await changePassword(user.id, PASSWORD, "another-long-password");
    expect(await getSessionUser(user.id, before)).toBeNull();
    expect(await getSessionUser(user.id, 0)).toBeNull();
    expect(await getSessionUser(user.id, Date.now() + 1)).not.toBeNull();
    expect((await checkSignIn({ email: "sessions@example.com", password: "another-long-password" })).ok).toBe(true);
    const later = Date.now() + 5;
    await new Promise((r) => setTimeout(r, 10));
    await endSessions(user.id);
    expect(await getSessionUser(user.id, later)).toBeNull();
  });
});

describe("re-entering the password before changing two-factor sign-in", () => {
  const callerFor = (actor: Actor) => createCallerFactory(accountRouter)({ actor });

  it("a wrong password is a field error, audited; the form cannot be used to guess it (5 tries, then a wait)", async () => {
    const user = await createUser({ email: "reauth@example.com", password: PASSWORD, role: "VIEWER" });
    const account = callerFor({ kind: "user", id: user.id, label: user.email, role: "VIEWER" });
    await expect(account.beginTotp({ password: "" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(account.beginTotp({ password: "not-the-password" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "That is not your current password.",
      cause: { data: { field: "password" } },
    });
    expect(await db.auditEvent.count({ where: { action: "account.totp-enable.refused", target: user.email, ok: false } })).toBe(1);
    await expect(account.disableTotp({ code: "123456", password: "not-the-password" })).rejects.toThrow(
      "That is not your current password.",
    );
    expect(await db.auditEvent.count({ where: { action: "account.totp-disable.refused", target: user.email } })).toBe(1);

    for (let i = 0; i < 3; i++) await expect(account.beginTotp({ password: "not-the-password" })).rejects.toThrow();
    await expect(account.beginTotp({ password: PASSWORD })).rejects.toThrow(/^Too many wrong passwords: try again in 1 minute$/);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).totpSecretEnc).toBeNull();
  });
});
