import { removeTestDataDir } from "@/server/jobs/testing/test-db";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/server/db";
import { ZCreateTokenInput } from "@/server/domain/accounts";
import { apiRoute } from "@/server/http/api-route";
import { createUser, deleteUserById, updateUserRole } from "@/server/services/users/users";
import { createApiToken, listApiTokens } from "./api-tokens";
import { LAST_USED_EVERY_MS, resolveApiToken } from "./resolve-token";

// No session cookie in these tests: only the bearer-token half of caller resolution runs (for real).
vi.mock("@/auth", () => ({ auth: async () => null }));

const DAY = 24 * 60 * 60_000;
const PASSWORD = "a-very-long-test-password";
let creatorId = "";
let otherAdminId = "";

beforeAll(async () => {
  process.env.PANEL_SECRET = "api-token-test-secret-0123456789abcdefgh";
  creatorId = (await createUser({ email: "creator@example.com", password: PASSWORD, role: "ADMIN" })).id;
  otherAdminId = (await createUser({ email: "other-admin@example.com", password: PASSWORD, role: "ADMIN" })).id;
});
afterAll(async () => {
  await db.$disconnect();
  removeTestDataDir();
});

/** A route that needs ADMIN, called as a CI job would: Authorization: Bearer … */
const adminRoute = apiRoute("ADMIN", async ({ actor }) => Response.json({ role: actor.role }));
const call = (token: string) =>
  adminRoute(new Request("http://panel.test/api/x", { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({}) });
const body = async (res: Response) => (await res.json()) as { role?: string; error?: { message: string } };

describe("a token's role follows its creator", () => {
  it("is capped at once when the creator is demoted, and shows so in the list", async () => {
    const { token, view } = await createApiToken({ name: "ci-admin", role: "ADMIN", createdById: creatorId });
    expect(view).toMatchObject({ effectiveRole: "ADMIN", cappedTo: null, createdBy: "creator@example.com" });
    expect((await call(token)).status).toBe(200);

    await updateUserRole(creatorId, "DEPLOYER");
    expect(await resolveApiToken(token, "192.0.2.1")).toMatchObject({ ok: true, actor: { role: "DEPLOYER" } });
    const refused = await call(token);
    expect(refused.status).toBe(403);
    expect((await body(refused)).error?.message).toBe("This needs the ADMIN role; the caller is DEPLOYER");
    expect((await listApiTokens()).find((t) => t.id === view.id)).toMatchObject({ role: "ADMIN", cappedTo: "DEPLOYER", status: "active" });

    await updateUserRole(creatorId, "ADMIN");
    expect((await call(token)).status).toBe(200);
  });

  it("is revoked when the creator is deleted (in the same transaction), and then refused", async () => {
    const leaver = await createUser({ email: "leaver@example.com", password: PASSWORD, role: "DEPLOYER" });
    const a = await createApiToken({ name: "leaver-1", role: "DEPLOYER", createdById: leaver.id });
    const b = await createApiToken({ name: "leaver-2", role: "VIEWER", createdById: leaver.id });
    expect(await deleteUserById(leaver.id, otherAdminId)).toMatchObject({ email: "leaver@example.com", tokensRevoked: 2 });
    const rows = await db.apiToken.findMany({ where: { id: { in: [a.view.id, b.view.id] } } });
    expect(rows.every((r) => r.revokedAt !== null)).toBe(true);
    const res = await call(a.token);
    expect(res.status).toBe(401);
    expect((await body(res)).error?.message).toMatch(/^API token leaver-1 was revoked on \d{4}-/);
  });

  it("cannot be created above its creator's role", async () => {
    const deployer = await createUser({ email: "low@example.com", password: PASSWORD, role: "DEPLOYER" });
    await expect(createApiToken({ name: "too-high", role: "ADMIN", createdById: deployer.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
      data: { field: "role" },
    });
  });

  it("a CLI (system) token has no creator and is capped by its own role only", async () => {
    const { token, view } = await createApiToken({ name: "system", role: "ADMIN", createdById: null });
    expect(view).toMatchObject({ origin: "cli", createdBy: "system (CLI)", effectiveRole: "ADMIN" });
    expect((await call(token)).status).toBe(200);
  });
});

describe("expiry", () => {
  it("refuses an expired token with a message saying it expired and when", async () => {
    const created = Date.now() - 3 * DAY;
    const { token, view } = await createApiToken({ name: "old", role: "DEPLOYER", createdById: creatorId, expiresInDays: 1 }, created);
    const res = await call(token);
    expect(res.status).toBe(401);
    expect((await body(res)).error?.message).toBe(
      `API token old expired on ${new Date(created + DAY).toISOString()}: create a new one under Settings → API tokens`,
    );
    expect((await listApiTokens()).find((t) => t.id === view.id)?.status).toBe("expired");
  });

  it("gives admin-role tokens 90 days unless told, never 'never', and at most 365 days", async () => {
    const now = Date.now();
    const admin = await createApiToken({ name: "adm", role: "ADMIN", createdById: creatorId }, now);
    expect(admin.view.expiresAt?.getTime()).toBe(now + 90 * DAY);
    const deployer = await createApiToken({ name: "dep", role: "DEPLOYER", createdById: creatorId }, now);
    expect(deployer.view.expiresAt).toBeNull();
    expect(
      (await createApiToken({ name: "dep30", role: "DEPLOYER", createdById: creatorId, expiresInDays: 30 }, now)).view.expiresAt,
    ).toEqual(new Date(now + 30 * DAY));
    await expect(createApiToken({ name: "forever", role: "ADMIN", createdById: creatorId, expiresInDays: null })).rejects.toMatchObject({
      message: "Admin-role tokens must expire: choose at most 365 days",
      data: { field: "expiresInDays" },
    });
    const tooLong = ZCreateTokenInput.safeParse({ name: "x", role: "ADMIN", expiresInDays: 400 });
    expect(tooLong.success ? null : tooLong.error.issues[0]).toMatchObject({ path: ["expiresInDays"], message: "At most 365 days" });
  });
});

describe("last used", () => {
  it("records the time and address, writing at most once a minute per token", async () => {
    const { token, view } = await createApiToken({ name: "busy", role: "VIEWER", createdById: creatorId });
    const t0 = Date.now();
    const row = () => db.apiToken.findUniqueOrThrow({ where: { id: view.id } });
    await resolveApiToken(token, "192.0.2.50", t0);
    expect(await row()).toMatchObject({ lastUsedAt: new Date(t0), lastUsedFrom: "192.0.2.50" });
    // Within the minute: no write, even from elsewhere (and parallel first uses write once).
    await Promise.all([resolveApiToken(token, "198.51.100.1", t0 + 1_000), resolveApiToken(token, "198.51.100.2", t0 + 30_000)]);
    expect(await row()).toMatchObject({ lastUsedAt: new Date(t0), lastUsedFrom: "192.0.2.50" });
    await resolveApiToken(token, "198.51.100.3", t0 + LAST_USED_EVERY_MS);
    expect(await row()).toMatchObject({ lastUsedAt: new Date(t0 + LAST_USED_EVERY_MS), lastUsedFrom: "198.51.100.3" });
    expect((await listApiTokens()).find((t) => t.id === view.id)).toMatchObject({ lastUsedFrom: "198.51.100.3" });
  });
});
