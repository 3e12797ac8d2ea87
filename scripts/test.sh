#!/usr/bin/env bash
# npm test: installs what it needs, runs typecheck, lint and unit tests, brings the sandbox fleet up, then runs integration and e2e tests.
# Every stage runs even if an earlier one failed; the exit code is non-zero if any failed.
set -uo pipefail
export NEXT_TELEMETRY_DISABLED=1
# Build and serve from a directory of our own: a demo panel may be serving from .next meanwhile.
export PANEL_DIST_DIR=.next-test
cd "$(dirname "$0")/.."
say() { printf '\n\033[1;33m==>\033[0m %s\n' "$*" >&2; }

bash scripts/setup.sh || exit 1

declare -A result
run() {
  local name=$1; shift
  say "$name"
  local t0=$SECONDS
  if "$@"; then result[$name]=passed; else result[$name]=FAILED; fi
  echo "($name: $((SECONDS - t0)) s)" >&2
}

# Two stages side by side (2 cores: each is one busy process), each one's output printed whole at its end.
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
start_bg() {
  local name=$1; shift
  ( t0=$SECONDS; if "$@" >"$logs/$name.log" 2>&1; then s=passed; else s=FAILED; fi
    echo "$s $((SECONDS - t0))" >"$logs/$name.status" ) &
}
wait_bg() {
  local name=$1 pid=$2
  wait "$pid"
  say "$name"
  cat "$logs/$name.log" >&2
  read -r status secs <"$logs/$name.status" || { status=FAILED; secs=?; }
  result[$name]=$status
  echo "($name: $secs s)" >&2
}

start_bg "typecheck" npx tsc --noEmit -p .; typecheck_pid=$!
run "lint" npm run -s lint
wait_bg "typecheck" "$typecheck_pid"
# Some unit tests use real local tools (a shell, docker-compose, mariadbd, nginx, caddy, Go): the fleet's
# Debian packages are installed first, so they run on a fresh machine instead of being skipped.
say "installing the fleet's Debian packages (for the tools some unit tests use)"
npm run -s fleet -- deps || echo "could not install the fleet's packages; tests that need them will say so" >&2
run "unit tests" npx vitest run --project unit
say "bringing the sandbox fleet up"
if ! npm run -s fleet -- up; then
  echo "the sandbox fleet did not come up; integration and e2e tests cannot run" >&2
  result[fleet]=FAILED
else
  # The build needs no fleet and the integration tests mostly wait on SSH: they run side by side.
  start_bg "build" npx next build; build_pid=$!
  run "integration tests" npx vitest run --project integration
  wait_bg "build" "$build_pid"
  if [[ ${result[build]} == passed ]]; then
    run "e2e tests" npx playwright test
    # The fault suite (e2e/95-faults) ran among them: its table of scenarios, expectations and observations.
    npx tsx scripts/fault-table.ts >&2 || true
  fi
fi

say "summary"
failed=0; passed=0
for k in "${!result[@]}"; do
  printf '  %-18s %s\n' "$k" "${result[$k]}"
  if [[ ${result[$k]} == passed ]]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "stages: $passed passed, $failed failed ($SECONDS s in all)"
exit $((failed > 0))
