#!/bin/sh
# Builds the stand-in PixelFox app (this directory's Go files) into a static binary at $1.
# Debian's Go 1.19 and golang-*-dev packages (see fleet/apt-packages.txt), GOPATH mode, no downloads.
# Usage: fleet/images/app/go/build.sh /path/to/pixelfox-app   (VET=1: also run go vet)
set -eu
out=${1:?usage: build.sh OUTPUT}
case "$out" in /*) ;; *) out="$(pwd)/$out" ;; esac
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pixelfox-app-build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src/pixelfox-app"
cp "$here"/*.go "$tmp/src/pixelfox-app/"
export GO111MODULE=off GOPATH="$tmp:/usr/share/gocode" CGO_ENABLED=0 GOFLAGS=
[ -n "${GOCACHE:-}" ] || [ -n "${HOME:-}" ] || export GOCACHE="${TMPDIR:-/tmp}/pixelfox-go-build"
cd "$tmp/src/pixelfox-app"
if [ "${VET:-0}" = 1 ]; then go vet .; fi
go build -trimpath -ldflags='-s -w' -o "$out.tmp" .
mv "$out.tmp" "$out"
