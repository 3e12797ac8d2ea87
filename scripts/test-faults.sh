#!/usr/bin/env bash
# npm run test:faults: the fault suite alone (e2e/95-faults; npm test runs it with the other e2e specs),
# against the sandbox fleet, then its table: scenario, what must hold afterwards, what was observed, pass.
# Each scenario runs its own panel process (own store and port), so it needs no other spec first.
# Arguments are passed to Playwright (e.g. a single spec file).
set -uo pipefail
export NEXT_TELEMETRY_DISABLED=1 PANEL_DIST_DIR=.next-test
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
npm run -s fleet -- up || exit 1
npx next build >/dev/null || { echo "the build failed: run npx next build to see why" >&2; exit 1; }
specs=("$@")
[[ ${#specs[@]} -eq 0 ]] && specs=(e2e/95-faults)
npx playwright test "${specs[@]}"
status=$?
npx tsx scripts/fault-table.ts
exit $status
