import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { expect, type Browser, type BrowserContextOptions } from "@playwright/test";
import { E2E_DATA_DIR, signIn } from "../support/panel";

export const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };
/** The password of every user these specs create. */
export const PASSWORD = "a-long-enough-password-7";
export const STACK = "pixelfox";
/** The e2e panel's origin, as playwright.config.ts sets baseURL (also for contexts made in hooks, which get no baseURL fixture). */
export const PANEL_URL = `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}`;

/** A short random suffix: names (users, tokens, containers) unique to this run. */
export const uniqueSuffix = () => randomBytes(4).toString("hex");

/** `n` random letters and digits (at least one of each): what a generated secret looks like. */
export function randomSecret(n: number): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  const bytes = randomBytes(n);
  const out = [...bytes].map((b) => alphabet[b % alphabet.length]).join("");
  return `${out.slice(0, n - 2)}x7`;
}

/** The last line of a CLI's output (`token create` prints the token there). */
export const lastLine = (out: string) => out.trim().split("\n").pop() ?? "";

/** Images each fleet host already has, with a /bin/sh (busybox, or Debian's for MariaDB): test containers start without a pull. */
export const SHELL_IMAGE = { app: "pxf/caddy:2", cache: "pxf/redis:7", db: "pxf/mariadb:10.11" } as const;

/** A fresh browser context (its own cookies and, optionally, headers) signed in as `email`. */
export async function signedInContext(browser: Browser, email: string, password: string, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ baseURL: PANEL_URL, ...options });
  const page = await context.newPage();
  await signIn(page, email, password);
  return { context, page };
}

/** Runs `store-fixtures.ts <args>` against the e2e panel's store; returns its last output line. */
export function storeFixture(args: string[]): string {
  return lastLine(
    execFileSync(process.execPath, ["--import", "tsx", "e2e/7-privilege/store-fixtures.ts", ...args], {
      encoding: "utf8",
      env: { ...process.env, PANEL_DATA_DIR: E2E_DATA_DIR },
    }),
  );
}

/** The `error.message` of a REST error answer. */
export async function restError(res: { json(): Promise<unknown> }): Promise<string> {
  return ((await res.json()) as { error?: { message?: string } }).error?.message ?? "";
}

/** The message of a tRPC error answer (superjson envelope). */
export async function trpcError(res: { json(): Promise<unknown> }): Promise<string> {
  return ((await res.json()) as { error?: { json?: { message?: string } } }).error?.json?.message ?? "";
}

/** Asserts that none of the planted values appears in `text` (saying which one, never printing it). */
export function expectNoneOf(text: string, planted: Record<string, string>, where: string) {
  for (const [name, value] of Object.entries(planted)) {
    expect(value.length, `${name} is long enough to search for`).toBeGreaterThan(5);
    expect(text.includes(value), `${where} shows the ${name}`).toBe(false);
  }
}
