#!/usr/bin/env bash
# npm run demo        — set up, build, start the sandbox fleet, register it, serve the panel on :3000
# npm run demo -- stop — stop the panel started by the demo (the fleet: npm run fleet -- down)
set -euo pipefail
export NEXT_TELEMETRY_DISABLED=1
# The demo serves from .next; the tests use .next-test (PANEL_DIST_DIR), so neither breaks the other.
unset PANEL_DIST_DIR
cd "$(dirname "$0")/.."
say() { printf '\033[1;33m==>\033[0m %s\n' "$*" >&2; }

DATA_DIR=${PANEL_DATA_DIR:-$PWD/data}
PID_FILE=$DATA_DIR/panel.pid
export PANEL_DATA_DIR=$DATA_DIR

stop_panel() {
  if [[ -f $PID_FILE ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    say "stopping the running panel (pid $(cat "$PID_FILE"))"
    kill -- "-$(cat "$PID_FILE")" 2>/dev/null || kill "$(cat "$PID_FILE")" || true
    for _ in $(seq 50); do kill -0 "$(cat "$PID_FILE")" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$PID_FILE"
}

if [[ ${1:-} == stop ]]; then stop_panel; exit 0; fi

bash scripts/setup.sh
if [[ ! -f .next/BUILD_ID || -n $(find app components server trpc auth.ts -newer .next/BUILD_ID -print -quit) ]]; then
  say "building the panel"
  npx next build >/dev/null
fi
say "starting the sandbox fleet"
npm run -s fleet -- up
say "registering the fleet in the panel"
npm run -s panel -- fleet import

stop_panel
say "starting the panel"
setsid nohup npx next start -H 127.0.0.1 -p 3000 >"$DATA_DIR/panel.log" 2>&1 &
echo $! >"$PID_FILE"
for _ in $(seq 120); do
  curl -fsS http://127.0.0.1:3000/api/healthz >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS http://127.0.0.1:3000/api/healthz >/dev/null || { echo "the panel did not start; see $DATA_DIR/panel.log" >&2; exit 1; }

cat <<TXT

  PixelFox Ops is running at http://127.0.0.1:3000  (log: $DATA_DIR/panel.log)

  First admin: open http://127.0.0.1:3000/setup in a browser, or from a shell:
      echo 'a-long-password-here' | npm run panel -- user create --email you@example.com --role admin
  The sandbox fleet (hosts app, db, cache) is registered with pinned host keys.
  Stop: npm run demo -- stop   ·   Fleet: npm run fleet -- status | down

TXT
