#!/usr/bin/env bash
# npm run test:wan: the same e2e specs over the fleet's emulated WAN (`fleet up --wan`, 40 ms each way,
# 20 Mbit/s unless WAN_DELAY / WAN_RATE say otherwise), then the WAN off again (as npm test wants it).
# Not part of npm test (time): it shows that the panel and the tests behave the same over a slow link.
# Arguments are passed to Playwright (default: the deploy, logs, backup and health specs).
set -uo pipefail
export NEXT_TELEMETRY_DISABLED=1 PANEL_DIST_DIR=.next-test
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
npm run -s fleet -- up --wan --delay "${WAN_DELAY:-40ms}" --rate "${WAN_RATE:-20mbit}" || exit 1
trap 'npm run -s fleet -- up >/dev/null' EXIT
npx next build >/dev/null || { echo "the build failed: run npx next build to see why" >&2; exit 1; }
specs=("$@")
if [[ ${#specs[@]} -eq 0 ]]; then
  specs=(e2e/1-foundation/01-first-run-and-hosts.spec.ts e2e/2-deploy/03-deploy-and-rollback.spec.ts e2e/3-logs/05-logs.spec.ts
    e2e/4-database/02-backups.spec.ts e2e/5-health/07-health.spec.ts)
fi
npx playwright test "${specs[@]}"
