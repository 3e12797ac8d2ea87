/** Prints the fault suite's table (scenario, expected, observed, pass) from the rows the last e2e run wrote. */
import { readFaultRows } from "../e2e/support/fault-table";

const rows = readFaultRows();
if (rows.length === 0) {
  console.log("fault suite: no scenario ran (npm run test:faults runs them)");
  process.exit(0);
}
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
console.log("\n| scenario | expected afterwards | observed | pass |\n|---|---|---|---|");
for (const r of rows) console.log(`| ${cell(r.scenario)} | ${cell(r.expected)} | ${cell(r.observed)} | ${r.pass ? "yes" : "**NO**"} |`);
const failed = rows.filter((r) => !r.pass).length;
console.log(`\nfault suite: ${rows.length - failed} of ${rows.length} scenarios held${failed ? `, ${failed} did not` : ""}`);
