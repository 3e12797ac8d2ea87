import { removeTestDataDir } from "@/server/jobs/testing/test-db";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/server/db";
import { GET as getJobRoute } from "@/app/api/v1/jobs/[id]/route";
import { GET as getJobEvents } from "@/app/api/jobs/[id]/events/route";
import { GET as listDeploymentsRoute } from "@/app/api/v1/stacks/[stack]/deployments/route";
import { GET as logPresetsRoute } from "@/app/api/logs/presets/route";
import { createTrpcContext } from "@/server/trpc/context";
import { createCallerFactory, createTRPCRouter } from "@/server/trpc/init";
import { stackRouter } from "@/server/trpc/routers/stack";
import { tokenRouter } from "@/server/trpc/routers/token";
import { userRouter } from "@/server/trpc/routers/user";
import { createUser } from "@/server/services/users/users";
import { createApiToken } from "./api-tokens";

vi.mock("@/auth", () => ({ auth: async () => null }));

const caller = createCallerFactory(createTRPCRouter({ stack: stackRouter, token: tokenRouter, user: userRouter }));
const bearer = (token: string) => new Headers({ authorization: `Bearer ${token}` });
const asToken = async (token: string) => caller(await createTrpcContext({ headers: bearer(token) }));
const get = (token: string, path: string) => new Request(`http://panel.test${path}`, { headers: bearer(token) });
const errorOf = async (res: Response) => ((await res.json()) as { error: { message: string; details?: unknown } }).error;

let adminId = "";
let pixelfoxId = "";
let scoped = { token: "", id: "" };

beforeAll(async () => {
  process.env.PANEL_SECRET = "token-access-test-secret-0123456789abcdef";
  adminId = (await createUser({ email: "admin@example.com", password: "a-very-long-test-password", role: "ADMIN" })).id;
  const stack = { publicDomain: "example.com", imageRepository: "registry.test/pixelfox" };
  pixelfoxId = (await db.stack.create({ data: { name: "pixelfox", ...stack } })).id;
  await db.stack.create({ data: { name: "other", ...stack } });
  const created = await createApiToken({ name: "ci-deploy", role: "DEPLOYER", createdById: adminId, stack: "pixelfox" });
  scoped = { token: created.token, id: created.view.id };
});
afterAll(async () => {
  await db.$disconnect();
  removeTestDataDir();
});

const SCOPE_MESSAGE = /^This API token is limited to deploys of stack pixelfox \(its scope\)/;

describe("a token scoped to one stack's deploys", () => {
  it("shows its scope, and may read the deployments of its stack (by name or id)", async () => {
    const byName = await listDeploymentsRoute(get(scoped.token, "/api/v1/stacks/pixelfox/deployments"), {
      params: Promise.resolve({ stack: "pixelfox" }),
    });
    expect(byName.status).toBe(200);
    const byId = await listDeploymentsRoute(get(scoped.token, `/api/v1/stacks/${pixelfoxId}/deployments`), {
      params: Promise.resolve({ stack: pixelfoxId }),
    });
    expect(byId.status).toBe(200);
  });

  it("is refused with 403 naming the scope on another stack and on every other route", async () => {
    const other = await listDeploymentsRoute(get(scoped.token, "/api/v1/stacks/other/deployments"), {
      params: Promise.resolve({ stack: "other" }),
    });
    expect(other.status).toBe(403);
    const error = await errorOf(other);
    expect(error.message).toMatch(SCOPE_MESSAGE);
    expect(error.message).toContain("it cannot act on stack other");
    expect(error.details).toMatchObject({ scope: { stack: "pixelfox", actions: ["deploy"] } });

    const logs = await logPresetsRoute(get(scoped.token, "/api/logs/presets"), { params: Promise.resolve({}) });
    expect(logs.status).toBe(403);
    expect((await errorOf(logs)).message).toMatch(SCOPE_MESSAGE);
  });

  it("reads the jobs it started, not the others'", async () => {
    const job = (actorId: string | null) => db.job.create({ data: { kind: "deploy", title: "Deploy", actorId, actorLabel: "x" } });
    const mine = await job(scoped.id);
    const theirs = await job(adminId);
    const read = (id: string) => getJobRoute(get(scoped.token, `/api/v1/jobs/${id}`), { params: Promise.resolve({ id }) });
    expect((await read(mine.id)).status).toBe(200);
    const refused = await read(theirs.id);
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).message).toMatch(SCOPE_MESSAGE);
    // The live event stream of a job follows the same rule.
    const events = await getJobEvents(get(scoped.token, `/api/jobs/${theirs.id}/events`), { params: Promise.resolve({ id: theirs.id }) });
    expect(events.status).toBe(403);
  });

  it("is refused on every tRPC procedure", async () => {
    await expect((await asToken(scoped.token)).stack.list()).rejects.toMatchObject({ code: "FORBIDDEN", message: SCOPE_MESSAGE });
  });

  it("cannot be created for a stack that does not exist, or with a role that cannot deploy", async () => {
    await expect(createApiToken({ name: "x", role: "DEPLOYER", createdById: adminId, stack: "nope" })).rejects.toMatchObject({
      message: "No stack nope",
      data: { field: "stack" },
    });
    await expect(createApiToken({ name: "x", role: "VIEWER", createdById: adminId, stack: "pixelfox" })).rejects.toMatchObject({
      data: { field: "role" },
    });
  });
});

describe("tokens never manage users or tokens", () => {
  it("refuses even an admin-role token on user and token procedures, while it reaches the others", async () => {
    const { token } = await createApiToken({ name: "admin-ci", role: "ADMIN", createdById: adminId });
    const api = await asToken(token);
    expect((await api.stack.list()).map((s) => s.name)).toEqual(["other", "pixelfox"]);
    const forbidden = { code: "FORBIDDEN", message: "API tokens cannot manage users or tokens: sign in to the panel to do this" };
    await expect(api.user.create({ email: "mallory@example.com", password: "a-very-long-password", role: "ADMIN" })).rejects.toMatchObject(
      forbidden,
    );
    await expect(api.token.create({ name: "child", role: "ADMIN" })).rejects.toMatchObject(forbidden);
    await expect(api.token.list()).rejects.toMatchObject(forbidden);
    await expect(api.user.setRole({ id: adminId, role: "VIEWER" })).rejects.toMatchObject(forbidden);
    expect(await db.user.count({ where: { email: "mallory@example.com" } })).toBe(0);
    expect(await db.apiToken.count({ where: { name: "child" } })).toBe(0);
  });

  it("a refused token's caller is told why (401 with the reason), not just 'sign in'", async () => {
    await expect((await asToken("pxf_not-a-real-token")).stack.list()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
      message: "Unknown API token: check that it was copied whole, or create a new one under Settings → API tokens",
    });
  });
});
