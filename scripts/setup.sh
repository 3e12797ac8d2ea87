#!/usr/bin/env bash
# Installs everything the panel needs on a fresh Debian 12 machine (as root) and prepares the store.
# Idempotent: each step is skipped when already done. The fleet installs its own packages on `up`.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1;33m==>\033[0m %s\n' "$*" >&2; }

APT_PACKAGES=(chromium openssh-client)
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  say "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

stamp=node_modules/.pxf-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

say "generating the Prisma client and migrating the store"
npx prisma generate >/dev/null
mkdir -p "${PANEL_DATA_DIR:-data}"
npx prisma migrate deploy >/dev/null
