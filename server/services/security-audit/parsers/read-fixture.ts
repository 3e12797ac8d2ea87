import { readFileSync } from "node:fs";

/** A captured output from fixtures/ (see fixtures/README.md for how each was produced). Tests only. */
export function readFixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
}
