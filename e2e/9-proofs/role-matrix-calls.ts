import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import type { ProcedureInfo } from "../../scripts/testing/procedure-list";
import { listRouteHandlers } from "../../scripts/testing/route-handlers";
import { CALLERS, DUMMY_PARAMS, PROCEDURES, ROUTES, type Caller, type Entry, type Outcome } from "./role-matrix.table";

// What the role matrix spec (01-role-matrix.spec.ts) enumerates and calls, and how it reads an answer.

export interface Call {
  key: string;
  caller: Caller;
  expected: Outcome;
  method: "GET" | "POST";
  url: string;
  data?: unknown;
}

export interface Answer extends Call {
  status: number;
  /** "401", "403", "pass", or the status of a 5xx (never what the table expects). */
  observed: string;
  message: string;
}

export interface RouteMethod {
  key: string;
  method: string;
  route: string;
}

/** The router's procedures, listed by a tsx child (the router pulls Prisma and Auth.js; a spec should not). */
export function listPanelProcedures(): ProcedureInfo[] {
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

/** Each method of each route handler of the file tree, keyed "METHOD /route" as the table is. */
export function listPanelRoutes(): RouteMethod[] {
  return listRouteHandlers(process.cwd()).flatMap((r) =>
    r.methods.map((method) => ({ key: `${method} ${r.route}`, method, route: r.route })),
  );
}

/** Why the table and the code disagree: an entry missing or stale, a mutation that would act on an empty input. */
export function tableProblems(procedures: ProcedureInfo[], routes: RouteMethod[]): string[] {
  return [
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
    ...routes.filter((r) => r.method !== "GET" && r.method !== "POST").map((r) => `route ${r.key}: the matrix calls GET and POST only`),
  ];
}

/** The calls the matrix makes: each caller of each entry, except the allowed callers of an unsafe entry. */
export function plannedCalls(procedures: ProcedureInfo[], routes: RouteMethod[]): Call[] {
  const calls: Call[] = [];
  const add = (key: string, entry: Entry, request: Omit<Call, "key" | "caller" | "expected">) => {
    for (const caller of CALLERS) {
      const expected = entry.expected[caller];
      if (entry.unsafe && expected === "pass") continue;
      calls.push({ key, caller, expected, ...request });
    }
  };
  // An empty input: an allowed caller gets 400 (the role is checked before the input is parsed).
  const emptyInput = encodeURIComponent(JSON.stringify({ json: {} }));
  for (const p of procedures) {
    const entry = PROCEDURES[p.path];
    if (!entry) continue;
    const request =
      p.type === "query"
        ? { method: "GET" as const, url: `/api/trpc/${p.path}?input=${emptyInput}` }
        : { method: "POST" as const, url: `/api/trpc/${p.path}`, data: { json: {} } };
    add(p.path, entry, request);
  }
  for (const r of routes) {
    const entry = ROUTES[r.key];
    if (!entry || (r.method !== "GET" && r.method !== "POST")) continue;
    let url = r.route;
    for (const [param, value] of Object.entries(DUMMY_PARAMS)) url = url.replace(param, encodeURIComponent(value));
    if (entry.query) url += `?${entry.query}`;
    // Auth.js reads a form; the others JSON (tRPC its envelope).
    const data = r.method !== "POST" || r.route.startsWith("/api/auth/") ? undefined : r.route.startsWith("/api/trpc/") ? { json: {} } : {};
    add(r.key, entry, { method: r.method, url, data });
  }
  return calls;
}

async function callOne(request: APIRequestContext, call: Call): Promise<Answer> {
  const res = await request.fetch(call.url, { method: call.method, data: call.data, maxRedirects: 0, timeout: 30_000 });
  const status = res.status();
  const observed = status === 401 || status === 403 ? String(status) : status >= 500 ? String(status) : "pass";
  const text = await res.text().catch(() => "");
  const message = /"message"\s*:\s*"([^"]{0,160})/.exec(text)?.[1] ?? text.slice(0, 160);
  return { ...call, status, observed, message };
}

/** Runs the calls a few at a time (each is a quick refusal or a 400), each with its caller's credentials. */
export async function callAll(callers: Map<Caller, APIRequestContext>, calls: Call[], concurrency = 6): Promise<Answer[]> {
  const answers: Answer[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls.length) {
        const call = calls[next++]!;
        answers.push(await callOne(callers.get(call.caller)!, call));
      }
    }),
  );
  return answers;
}

/** One line per answer that differs from the table, sorted by entry and caller. */
export function describeMismatches(answers: Answer[]): string[] {
  return answers
    .filter((a) => a.observed !== a.expected)
    .sort((a, b) => a.key.localeCompare(b.key) || CALLERS.indexOf(a.caller) - CALLERS.indexOf(b.caller))
    .map((a) => `  ${a.key.padEnd(44)} ${a.caller.padEnd(13)} expected ${a.expected.padEnd(4)} got ${a.status}: ${a.message}`);
}
