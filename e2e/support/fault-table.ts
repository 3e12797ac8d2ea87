import { appendFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { test, type APIRequestContext, type Browser, type BrowserContext, type Page, type PlaywrightWorkerArgs } from "@playwright/test";

/** One row of the fault suite's table: what must hold afterwards, and what the test saw on the hosts. */
export interface FaultRow {
  scenario: string;
  expected: string;
  observed: string;
  pass: boolean;
}

/** Where this run's rows are collected (emptied by the global setup; printed by scripts/fault-table.ts). */
export const FAULT_ROWS_FILE = path.resolve("node_modules/.cache/pxf-e2e/fault-rows.jsonl");

export function resetFaultRows(): void {
  mkdirSync(path.dirname(FAULT_ROWS_FILE), { recursive: true });
  rmSync(FAULT_ROWS_FILE, { force: true });
}

export function readFaultRows(): FaultRow[] {
  try {
    return readFileSync(FAULT_ROWS_FILE, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as FaultRow);
  } catch {
    return [];
  }
}

type Observe = (fact: string) => void;
type Args = {
  page: Page;
  request: APIRequestContext;
  context: BrowserContext;
  browser: Browser;
  playwright: PlaywrightWorkerArgs["playwright"];
};

/**
 * A fault scenario: a Playwright test whose body asserts what must hold and notes what it observed
 * (`observe("lock: free")`). Pass or fail, its row goes to the table with the observations made so
 * far and, on a failure, the first line of the failed assertion.
 */
export function faultScenario(scenario: string, expected: string, body: (args: Args, observe: Observe) => Promise<void>) {
  test(scenario, async ({ page, request, context, browser, playwright }, testInfo) => {
    const observed: string[] = [];
    let pass = false;
    try {
      await body({ page, request, context, browser, playwright }, (fact) => observed.push(fact));
      pass = true;
    } catch (err) {
      const first = (err instanceof Error ? err.message : String(err))
        .replace(/\u001b\[[0-9;]*m/g, "")
        .split("\n")
        .find((l) => l.trim());
      observed.push(`FAILED: ${first ?? "error"}`);
      throw err;
    } finally {
      if (testInfo.status !== "skipped")
        appendFileSync(FAULT_ROWS_FILE, JSON.stringify({ scenario, expected, observed: observed.join("; "), pass }) + "\n");
    }
  });
}
