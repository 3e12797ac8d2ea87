#!/usr/bin/env bash
# The panel as the e2e tests see it: a fresh, empty store on its own port.
set -euo pipefail
cd "$(dirname "$0")/.."
export PANEL_DATA_DIR=${E2E_DATA_DIR:-/tmp/pxf-e2e-data}
rm -rf "$PANEL_DATA_DIR"
mkdir -p "$PANEL_DATA_DIR"
npx prisma migrate deploy >/dev/null
exec npx next start -H 127.0.0.1 -p "${E2E_PORT:-3100}"
