import { expect, test, type APIRequestContext, type BrowserContext } from "@playwright/test";
import { panelCli, signIn } from "../support/panel";
import { trpcMutation, trpcQuery } from "../support/trpc";
import { callAll, describeMismatches, listPanelProcedures, listPanelRoutes, plannedCalls, tableProblems } from "./role-matrix-calls";
import { CALLERS, PROCEDURES, ROUTES, type Caller } from "./role-matrix.table";

// The role matrix of issue #11: every tRPC procedure (read from the router) and every route handler
// (read from the file tree) is called with no credentials, with each role's session and with each
// role's API token, and each answer must be the one role-matrix.table.ts gives.

const BASE_URL = `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}`;
const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };
const RUN = Date.now().toString(36);
const USERS = {
  viewer: { email: `matrix-viewer-${RUN}@pixelfox.test`, password: "a-very-long-matrix-viewer-password" },
  deployer: { email: `matrix-deployer-${RUN}@pixelfox.test`, password: "a-very-long-matrix-deployer-password" },
};
const TOKEN_ROLES = { viewerToken: "viewer", deployerToken: "deployer", adminToken: "admin" } as const;
const SESSIONS: [Caller, { email: string; password: string }][] = [
  ["viewer", USERS.viewer],
  ["deployer", USERS.deployer],
  ["admin", ADMIN],
];

const callers = new Map<Caller, APIRequestContext>();
const ownContexts: APIRequestContext[] = [];
const browserContexts: BrowserContext[] = [];
const tokenNames: string[] = [];

test.beforeAll(async ({ browser, playwright }) => {
  test.setTimeout(120_000);
  const anonymous = await playwright.request.newContext({ baseURL: BASE_URL });
  ownContexts.push(anonymous);
  callers.set("anonymous", anonymous);
  for (const [caller, role] of Object.entries(TOKEN_ROLES) as [Caller, string][]) {
    const name = `matrix-${role}-${RUN}`;
    tokenNames.push(name);
    const token = panelCli(["token", "create", "--name", name, "--role", role]).trim().split("\n").pop() ?? "";
    const context = await playwright.request.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
    ownContexts.push(context);
    callers.set(caller, context);
  }
  for (const [caller, user] of SESSIONS) {
    if (caller !== "admin") panelCli(["user", "create", "--email", user.email, "--role", caller], `${user.password}\n`);
    const context = await browser.newContext({ baseURL: BASE_URL });
    browserContexts.push(context);
    await signIn(await context.newPage(), user.email, user.password);
    // The page's request context sends the session cookie, and neither Origin nor Sec-Fetch-Site.
    callers.set(caller, context.request);
  }
});

test.afterAll(async () => {
  const admin = callers.get("admin");
  if (admin) {
    const tokens = await trpcQuery<{ id: string; name: string }[]>(admin, "token.list", {});
    for (const t of tokens.filter((t) => tokenNames.includes(t.name))) await trpcMutation(admin, "token.revoke", { id: t.id });
    const users = await trpcQuery<{ id: string; email: string }[]>(admin, "user.list", {});
    for (const u of users.filter((u) => u.email === USERS.viewer.email || u.email === USERS.deployer.email))
      await trpcMutation(admin, "user.delete", { id: u.id });
  }
  for (const context of ownContexts) await context.dispose();
  for (const context of browserContexts) await context.close();
});

test("the table names every procedure of the router and every route handler of the file tree, and nothing else", () => {
  const procedures = listPanelProcedures();
  const routes = listPanelRoutes();
  const problems = tableProblems(procedures, routes);
  expect(problems, problems.join("\n")).toEqual([]);
  expect(procedures.length).toBeGreaterThan(50);
  expect(routes.length).toBeGreaterThan(10);
});

test("every procedure and route answers each caller, with no credentials, a session or a token, as the table says", async () => {
  test.setTimeout(300_000);
  const answers = await callAll(callers, plannedCalls(listPanelProcedures(), listPanelRoutes()));
  const mismatches = describeMismatches(answers);
  const unsafe = Object.entries({ ...PROCEDURES, ...ROUTES }).filter(([, entry]) => entry.unsafe);
  console.log(
    `[role matrix] ${answers.length} calls; allowed callers not called (the table only): ${unsafe.map(([key, e]) => `${key} (${e.unsafe})`).join("; ")}`,
  );
  expect(mismatches, `${mismatches.length} answer(s) differ from role-matrix.table.ts:\n${mismatches.join("\n")}`).toEqual([]);
  // The refused callers of each unsafe entry were called, and refused.
  for (const [key, entry] of unsafe) {
    expect(answers.filter((a) => a.key === key).length, key).toBe(CALLERS.filter((c) => entry.expected[c] !== "pass").length);
  }
});
