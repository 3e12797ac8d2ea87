#!/usr/bin/env bash
# Writes a new Prisma migration from the difference between the committed schema and the working one.
# (`prisma migrate dev` does not work with the driver adapter, see README.)  Usage: npm run db:diff -- name
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: npm run db:diff -- <migration_name>}
old=$(mktemp --suffix=.prisma)
git show HEAD:prisma/schema.prisma > "$old"
dir=prisma/migrations/$(date -u +%Y%m%d%H%M%S)_$name
mkdir -p "$dir"
npx prisma migrate diff --from-schema-datamodel "$old" --to-schema-datamodel prisma/schema.prisma --script > "$dir/migration.sql"
rm -f "$old"
echo "wrote $dir/migration.sql"
