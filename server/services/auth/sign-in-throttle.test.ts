import { removeTestDataDir } from "@/server/jobs/testing/test-db";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/server/db";
import { createUser } from "@/server/services/users/users";
import { ACCOUNT_LIMIT, ADDRESS_LIMIT, PAIR_LIMIT } from "./login-throttle";
import { checkSignIn, UNKNOWN_ACCOUNT } from "./sign-in";

// Every argon2 run (a verify, or the hash that keeps unknown emails as slow as known ones) is counted.
const argon = vi.hoisted(() => ({ runs: 0 }));
vi.mock("./password", async (importOriginal) => {
  const real = await importOriginal<typeof import("./password")>();
  return {
    hashPassword: (p: string) => (argon.runs++, real.hashPassword(p)),
    verifyPassword: (h: string, p: string) => (argon.runs++, real.verifyPassword(h, p)),
  };
});

const PASSWORD = "a-very-long-test-password";
const WRONG = "wrong-password-xx";

beforeAll(() => {
  process.env.PANEL_SECRET = "sign-in-throttle-test-secret-0123456789ab";
});
beforeEach(() => {
  argon.runs = 0;
});
afterAll(async () => {
  await db.$disconnect();
  removeTestDataDir();
});

describe("per-address throttle", () => {
  it("stops a flood from one address before any argon2 work, whatever emails it tries; another address still signs in", async () => {
    await createUser({ email: "flood-target@example.com", password: PASSWORD, role: "ADMIN" });
    argon.runs = 0;
    const attacker = "203.0.113.9";
    // Spraying many emails (most of them no account) dodges the per-account waits, not the address's.
    for (let i = 0; i < ADDRESS_LIMIT.free; i++) {
      const email = i < PAIR_LIMIT.free ? "flood-target@example.com" : `spray-${i}@example.com`;
      expect(await checkSignIn({ email, password: WRONG, address: attacker })).toEqual({ ok: false, reason: "invalid" });
    }
    expect(argon.runs).toBe(ADDRESS_LIMIT.free);

    const flood = await Promise.all(
      Array.from({ length: 40 }, (_, i) => checkSignIn({ email: `flood-${i}@example.com`, password: WRONG, address: attacker })),
    );
    expect(flood.every((r) => !r.ok && r.reason === "throttled" && r.scope === "address")).toBe(true);
    // Even the right password waits from there.
    expect(await checkSignIn({ email: "flood-target@example.com", password: PASSWORD, address: attacker })).toMatchObject({
      ok: false,
      reason: "throttled",
      scope: "address",
    });
    expect(argon.runs).toBe(ADDRESS_LIMIT.free);

    expect((await checkSignIn({ email: "flood-target@example.com", password: PASSWORD, address: "198.51.100.7" })).ok).toBe(true);
    // That success lifts nothing at the attacker's address.
    expect(await checkSignIn({ email: "flood-target@example.com", password: PASSWORD, address: attacker })).toMatchObject({
      reason: "throttled",
    });
    expect(await db.auditEvent.count({ where: { action: "auth.address-throttled", target: attacker } })).toBe(1);
  }, 60_000);

  it("a parallel burst from one address is counted before it is tried: no more argon2 runs than free failures", async () => {
    const results = await Promise.all(
      Array.from({ length: ADDRESS_LIMIT.free + 20 }, (_, i) =>
        checkSignIn({ email: `burst-${i}@example.com`, password: WRONG, address: "203.0.113.77" }),
      ),
    );
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(ADDRESS_LIMIT.free);
    expect(argon.runs).toBe(ADDRESS_LIMIT.free);
  }, 60_000);
});

describe("one attacker cannot keep an account's owner out", () => {
  it("the wait after 5 failures holds the attacker's address only; the account-wide wait spares the owner's known address", async () => {
    await createUser({ email: "owner@example.com", password: PASSWORD, role: "ADMIN" });
    const home = "192.0.2.10";
    expect((await checkSignIn({ email: "owner@example.com", password: PASSWORD, address: home })).ok).toBe(true);

    for (let i = 0; i < PAIR_LIMIT.free; i++) await checkSignIn({ email: "owner@example.com", password: WRONG, address: "203.0.113.50" });
    expect(await checkSignIn({ email: "owner@example.com", password: PASSWORD, address: "203.0.113.50" })).toMatchObject({
      reason: "throttled",
      scope: "account",
    });
    expect((await checkSignIn({ email: "owner@example.com", password: PASSWORD, address: "198.51.100.20" })).ok).toBe(true);

    // A guesser spread over many addresses reaches the account-wide limit (5 tries from each).
    const spread = ACCOUNT_LIMIT.free / PAIR_LIMIT.free - 1;
    for (let a = 0; a < spread; a++)
      for (let i = 0; i < PAIR_LIMIT.free; i++)
        await checkSignIn({ email: "owner@example.com", password: WRONG, address: `203.0.113.${100 + a}` });
    expect(await checkSignIn({ email: "owner@example.com", password: PASSWORD, address: "198.51.100.99" })).toMatchObject({
      reason: "throttled",
      scope: "account",
    });
    // The owner's usual address signs in all the same.
    expect((await checkSignIn({ email: "owner@example.com", password: PASSWORD, address: home })).ok).toBe(true);
  }, 120_000);
});

describe("failed sign-ins for an email that is no account", () => {
  it("store a fixed marker and the address, never the typed text", async () => {
    const typed = "Correct-Horse-Battery-Staple"; // a password typed into the email field
    expect(await checkSignIn({ email: typed, password: WRONG, address: "198.51.100.33" })).toEqual({ ok: false, reason: "invalid" });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "auth.sign-in.failed" }, orderBy: { at: "desc" } });
    expect(event).toMatchObject({ actorLabel: UNKNOWN_ACCOUNT, target: UNKNOWN_ACCOUNT, ok: false });
    expect(JSON.parse(event.details)).toEqual({ why: "no account with that email", address: "198.51.100.33" });

    const stored = JSON.stringify([await db.auditEvent.findMany(), await db.loginThrottle.findMany()]).toLowerCase();
    expect(stored).not.toContain("correct-horse");

    // A known account's failure names it.
    await createUser({ email: "known@example.com", password: PASSWORD, role: "VIEWER" });
    await checkSignIn({ email: "known@example.com", password: WRONG, address: "198.51.100.33" });
    expect(await db.auditEvent.findFirst({ where: { action: "auth.sign-in.failed", target: "known@example.com" } })).toMatchObject({
      actorLabel: "known@example.com",
    });
  });
});
