import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext, type BrowserContext } from "@playwright/test";
import type { ProcedureInfo } from "../../scripts/testing/procedure-list";
import { listRouteHandlers } from "../../scripts/testing/route-handlers";
import { panelCli, signIn } from "../support/panel";
import { trpcMutation, trpcQuery } from "../support/trpc";
import { CALLERS, DUMMY_PARAMS, PROCEDURES, ROUTES, type Caller, type Entry, type Outcome, type RouteEntry } from "./role-matrix.table";

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

interface Call {
  key: string;
  caller: Caller;
  expected: Outcome;
  method: "GET" | "POST";
  url: string;
  data?: unknown;
}

interface Answer extends Call {
  status: number;
  observed: string;
  message: string;
}

const callers = new Map<Caller, APIRequestContext>();
const browserContexts: BrowserContext[] = [];
const tokenNames: string[] = [];

/** The router's procedures, listed by a tsx child (the router pulls Prisma and Auth.js; a spec should not). */
function listPanelProcedures(): ProcedureInfo[] {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pxf-matrix-"));
  try {
    const out = execFileSync(process.execPath, ["--import", "tsx", "scripts/testing/list-procedures.ts"], {
      encoding: "utf8",
      env: { ...process.env, PANEL_DATA_DIR: dataDir },
    });
    return JSON.parse(out) as ProcedureInfo[];
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function listPanelRoutes(): { key: string; method: string; route: string }[] {
  return listRouteHandlers(process.cwd()).flatMap((r) =>
    r.methods.map((method) => ({ key: `${method} ${r.route}`, method, route: r.route })),
  );
}

test.beforeAll(async ({ browser, playwright }) => {
  test.setTimeout(120_000);
  callers.set("anonymous", await playwright.request.newContext({ baseURL: BASE_URL }));
  for (const [caller, role] of Object.entries(TOKEN_ROLES) as [Caller, string][]) {
    const name = `matrix-${role}-${RUN}`;
    tokenNames.push(name);
    const token = panelCli(["token", "create", "--name", name, "--role", role]).trim().split("\n").pop() ?? "";
    callers.set(caller, await playwright.request.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { authorization: `Bearer ${token}` } }));
  }
  const sessions: [Caller, { email: string; password: string }][] = [
    ["viewer", USERS.viewer],
    ["deployer", USERS.deployer],
    ["admin", ADMIN],
  ];
  for (const [caller, user] of sessions) {
    if (caller !== "admin") panelCli(["user", "create", "--email", user.email, "--role", caller], `${user.password}\n`);
    const context = await browser.newContext({ baseURL: BASE_URL });
    browserContexts.push(context);
    await signIn(await context.newPage(), user.email, user.password);
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
  for (const [caller, request] of callers) if (!["viewer", "deployer", "admin"].includes(caller)) await request.dispose();
  for (const context of browserContexts) await context.close();
});

test("the table names every procedure of the router and every route handler of the file tree, and nothing else", () => {
  const procedures = listPanelProcedures();
  const routes = listPanelRoutes();
  const problems = [
    ...procedures.filter((p) => !PROCEDURES[p.path]).map((p) => `procedure ${p.path} (${p.type}) is not in role-matrix.table.ts`),
    ...Object.keys(PROCEDURES)
      .filter((k) => !procedures.some((p) => p.path === k))
      .map((k) => `procedure ${k} is in the table but not in the router`),
    ...routes.filter((r) => !ROUTES[r.key]).map((r) => `route ${r.key} is not in role-matrix.table.ts`),
    ...Object.keys(ROUTES)
      .filter((k) => !routes.some((r) => r.key === k))
      .map((k) => `route ${k} is in the table but not in the file tree`),
    // Security: a mutation that runs on an empty input would act when the matrix calls it as an allowed caller.
    ...procedures
      .filter((p) => p.type === "mutation" && p.acceptsEmptyInput && PROCEDURES[p.path] && !PROCEDURES[p.path]?.unsafe)
      .map((p) => `mutation ${p.path} runs on an empty input: mark it unsafe in the table (say what it would do)`),
    ...procedures.filter((p) => p.type === "subscription").map((p) => `subscription ${p.path}: the matrix cannot call subscriptions yet`),
  ];
  expect(problems, problems.join("\n")).toEqual([]);
  expect(procedures.length).toBeGreaterThan(50);
  expect(routes.length).toBeGreaterThan(10);
});

/** The calls the matrix makes: each caller of each entry, except the allowed callers of an unsafe entry. */
function plannedCalls(procedures: ProcedureInfo[], routes: { key: string; method: string; route: string }[]): Call[] {
  const calls: Call[] = [];
  const add = (key: string, entry: Entry, request: Omit<Call, "key" | "caller" | "expected">) => {
    for (const caller of CALLERS) {
      const expected = entry.expected[caller];
      if (entry.unsafe && expected === "pass") continue;
      calls.push({ key, caller, expected, ...request });
    }
  };
  const emptyInput = encodeURIComponent(JSON.stringify({ json: {} }));
  for (const p of procedures) {
    const entry = PROCEDURES[p.path];
    if (!entry) continue;
    add(
      p.path,
      entry,
      p.type === "query"
        ? { method: "GET", url: `/api/trpc/${p.path}?input=${emptyInput}` }
        : { method: "POST", url: `/api/trpc/${p.path}`, data: { json: {} } },
    );
  }
  for (const r of routes) {
    const entry: RouteEntry | undefined = ROUTES[r.key];
    if (!entry || (r.method !== "GET" && r.method !== "POST")) continue;
    let url = r.route;
    for (const [param, value] of Object.entries(DUMMY_PARAMS)) url = url.replace(param, encodeURIComponent(value));
    if (entry.query) url += `?${entry.query}`;
    const data =
      r.method === "POST" && !r.route.startsWith("/api/auth/") ? (r.route.startsWith("/api/trpc/") ? { json: {} } : {}) : undefined;
    add(r.key, entry, { method: r.method, url, data });
  }
  return calls;
}

async function callOne(call: Call): Promise<Answer> {
  const request = callers.get(call.caller)!;
  const res = await request.fetch(call.url, { method: call.method, data: call.data, maxRedirects: 0, timeout: 30_000 });
  const status = res.status();
  const observed = status === 401 || status === 403 ? String(status) : status >= 500 ? `${status}` : "pass";
  const text = await res.text().catch(() => "");
  const message = /"message"\s*:\s*"([^"]{0,160})/.exec(text)?.[1] ?? text.slice(0, 160);
  return { ...call, status, observed, message };
}

/** Runs the calls a few at a time (each is a quick refusal or a 400). */
async function callAll(calls: Call[], concurrency = 6): Promise<Answer[]> {
  const answers: Answer[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls.length) answers.push(await callOne(calls[next++]!));
    }),
  );
  return answers;
}

test("every procedure and route answers each caller, with no credentials, a session or a token, as the table says", async () => {
  test.setTimeout(300_000);
  const calls = plannedCalls(listPanelProcedures(), listPanelRoutes());
  const answers = await callAll(calls);
  const mismatches = answers
    .filter((a) => a.observed !== a.expected)
    .sort((a, b) => a.key.localeCompare(b.key) || CALLERS.indexOf(a.caller) - CALLERS.indexOf(b.caller))
    .map((a) => `  ${a.key.padEnd(44)} ${a.caller.padEnd(13)} expected ${a.expected.padEnd(4)} got ${a.status}: ${a.message}`);
  const skipped = Object.entries({ ...PROCEDURES, ...ROUTES })
    .filter(([, entry]) => entry.unsafe)
    .map(([key, entry]) => `${key} (${entry.unsafe})`);
  console.log(`[role matrix] ${answers.length} calls; allowed callers not called (table only): ${skipped.join("; ")}`);
  expect(mismatches, `${mismatches.length} answer(s) differ from role-matrix.table.ts:\n${mismatches.join("\n")}`).toEqual([]);
  // Every refusal really was one: the refused callers of each unsafe entry were called and refused.
  for (const [key, entry] of Object.entries(PROCEDURES).filter(([, e]) => e.unsafe)) {
    const refused = answers.filter((a) => a.key === key);
    expect(refused.length, key).toBe(CALLERS.filter((c) => entry.expected[c] !== "pass").length);
  }
});
