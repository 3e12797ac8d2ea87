import { removeTestDataDir } from "@/server/jobs/testing/test-db";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { changePassword, createUser, endSessions, getSessionUser } from "@/server/services/users/users";
import { redeemLoginTicket, issueLoginTicket } from "./login-ticket";
import { waitAfter } from "./login-throttle";
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
    expect([0, 4, 5, 6, 7, 9, 10, 30].map(waitAfter)).toEqual([0, 0, 30_000, 60_000, 120_000, 480_000, 900_000, 900_000]);
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

  it("an unknown email counts like a wrong password", async () => {
    expect(await checkSignIn({ email: "nobody@example.com", password: PASSWORD })).toEqual({ ok: false, reason: "invalid" });
    expect((await db.loginThrottle.findUnique({ where: { email: "nobody@example.com" } }))?.failures).toBe(1);
  });

  it("with two-factor on: asks for a code, accepts each code once, and a recovery code once", async () => {
    const user = await createUser({ email: "totp@example.com", password: PASSWORD, role: "ADMIN" });
    const { secret, uri, qrSvg } = await beginTotpEnrolment(user.id);
    expect(uri).toContain("otpauth://totp/PixelFox%20Ops:totp%40example.com");
    expect(qrSvg).toMatch(/^<svg/);
    // Nothing changes at sign-in until the enrolment is confirmed.
    expect((await checkSignIn({ email: "totp@example.com", password: PASSWORD })).ok).toBe(true);
    await expect(confirmTotpEnrolment(user.id, "000000")).rejects.toThrow(/does not match/);
    const enrolCode = await codeAt(secret);
    const { recoveryCodes } = await confirmTotpEnrolment(user.id, enrolCode);
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

    await expect(disableTotp(user.id, "123456")).rejects.toThrow(/not a current authenticator code/);
    await disableTotp(user.id, recoveryCodes[4]!);
    expect(await checkSecondFactor(user.id, recoveryCodes[5]!)).toBeNull();
    expect((await checkSignIn({ email: "totp@example.com", password: PASSWORD })).ok).toBe(true);
  });

  it("keeps the secret encrypted at rest", async () => {
    const user = await createUser({ email: "enc@example.com", password: PASSWORD, role: "VIEWER" });
    const { secret } = await beginTotpEnrolment(user.id);
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
