#!/usr/bin/env bash
# The panel as the e2e tests see it: a fresh, empty store on its own port.
# Behind scripts/e2e-recorder.mjs, which listens on E2E_PORT and keeps a copy of every /api/* answer
# for the redaction scan (e2e/99-scan), while the panel itself listens on E2E_PANEL_PORT (E2E_PORT + 1)
# and its output is kept too; both in E2E_RECORD_DIR, outside the data directory the scan reads.
# E2E_RECORD=0 serves the panel on E2E_PORT directly, as before (the scan then fails, saying so).
set -euo pipefail
cd "$(dirname "$0")/.."
export PANEL_DATA_DIR=${E2E_DATA_DIR:-/tmp/pxf-e2e-data}
PORT=${E2E_PORT:-3100}
RECORD_DIR=${E2E_RECORD_DIR:-/tmp/pxf-e2e-record}
rm -rf "$PANEL_DATA_DIR" "$RECORD_DIR"
mkdir -p "$PANEL_DATA_DIR"
# The specs start every security audit they check: a scheduled one would add SSH work at a random moment.
export PANEL_AUDIT_EVERY_HOURS=${PANEL_AUDIT_EVERY_HOURS:-0}
npx prisma migrate deploy >/dev/null
if [[ ${E2E_RECORD:-1} == 0 ]]; then
  exec npx next start -H 127.0.0.1 -p "$PORT"
fi

mkdir -p "$RECORD_DIR"
PANEL_PORT=${E2E_PANEL_PORT:-$((PORT + 1))}
# The browser reaches the panel through the recorder: its origin, and a port of its own for the outbound guard.
export PANEL_URL=${PANEL_URL:-http://127.0.0.1:$PORT}
node scripts/e2e-recorder.mjs --listen "127.0.0.1:$PORT" --target "127.0.0.1:$PANEL_PORT" --out "$RECORD_DIR" &
exec npx next start -H 127.0.0.1 -p "$PANEL_PORT" > >(tee -a "$RECORD_DIR/server.log") 2> >(tee -a "$RECORD_DIR/server.log" >&2)
