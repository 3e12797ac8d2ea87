#!/bin/bash
# Self-test of the stand-in PixelFox app against a private MariaDB and Redis on loopback high
# ports (their data under a temp dir, removed afterwards). Touches nothing else: no fleet, no
# network namespace, no system service.
#   fleet/images/app/go/selftest.sh [BINARY]    (without BINARY: go vet + build first)
# Env: DB_TEST_PORT (13306), REDIS_TEST_PORT (16379), APP_TEST_PORT (first app port, 14001), KEEP=1.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
APPDIR=$(dirname "$HERE")
DBP=${DB_TEST_PORT:-13306}
RP=${REDIS_TEST_PORT:-16379}
NEXT_PORT=${APP_TEST_PORT:-14001}
WORK=$(mktemp -d /tmp/goapp-selftest.XXXXXX)
RPW=cache-secret
DBPW=db-secret
PASS=0
FAIL=0
PIDS=()

cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  [ -f "$WORK/db.pid" ] && kill "$(cat "$WORK/db.pid")" 2>/dev/null
  sleep 0.5
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

ok() { PASS=$((PASS + 1)); echo "  ok   $*"; }
bad() { FAIL=$((FAIL + 1)); echo "  FAIL $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
contains() { grep -q -- "$2" "$1"; }
section() { echo "== $*"; }

BIN=${1:-}
if [ -z "$BIN" ]; then
  BIN=$WORK/pixelfox-app
  VET=1 "$HERE/build.sh" "$BIN" || { echo "build or vet failed"; exit 1; }
  echo "built $BIN (go vet clean)"
fi
file "$BIN" | grep -q "statically linked" && echo "static binary" || echo "WARNING: $BIN is not statically linked"

# ---- private servers ---------------------------------------------------------------------------
busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$DBP" "$RP" "$NEXT_PORT"; do busy "$p" && { echo "port $p is in use (set DB_TEST_PORT / REDIS_TEST_PORT / APP_TEST_PORT)"; exit 1; }; done
mkdir -p "$WORK/db" "$WORK/redis"
mariadb-install-db --no-defaults --datadir="$WORK/db" --user=root --auth-root-authentication-method=normal \
  --skip-test-db >"$WORK/db-install.log" 2>&1 || { cat "$WORK/db-install.log"; exit 1; }
mariadbd --no-defaults --datadir="$WORK/db" --socket="$WORK/db.sock" --port="$DBP" --bind-address=127.0.0.1 \
  --user=root --skip-name-resolve --pid-file="$WORK/db.pid" --log-error="$WORK/db.err" \
  --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci 2>>"$WORK/db.err" &
redis-server --port "$RP" --bind 127.0.0.1 --requirepass "$RPW" --dir "$WORK/redis" --save '' --appendonly no \
  --logfile "$WORK/redis.log" &
PIDS+=($!)
up=0; for _ in $(seq 100); do mariadb-admin --no-defaults --socket="$WORK/db.sock" -uroot ping >/dev/null 2>&1 && { up=1; break; }; sleep 0.2; done
[ "$up" = 1 ] || { echo "private MariaDB did not start:"; tail -5 "$WORK/db.err"; exit 1; }
up=0; for _ in $(seq 50); do redis-cli -p "$RP" -a "$RPW" --no-auth-warning ping 2>/dev/null | grep -q PONG && { up=1; break; }; sleep 0.1; done
[ "$up" = 1 ] || { echo "private Redis did not start:"; tail -5 "$WORK/redis.log"; exit 1; }

sqlroot() { mariadb --no-defaults --socket="$WORK/db.sock" -uroot -N -B "$@"; }
for d in px_main px_fail px_nomig px_premig px_sqlpath px_race; do
  sqlroot -e "CREATE DATABASE $d CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
done
sqlroot -e "CREATE USER 'pixelfox'@'%' IDENTIFIED BY '$DBPW'; GRANT ALL PRIVILEGES ON \`px\\_%\`.* TO 'pixelfox'@'%';"
sqldb() { local db=$1; shift; mariadb --no-defaults -h127.0.0.1 -P"$DBP" -upixelfox -p"$DBPW" -N -B -D "$db" "$@"; }
rcli() { redis-cli -p "$RP" -a "$RPW" --no-auth-warning "$@"; }

# ---- app runner --------------------------------------------------------------------------------
# start_app NAME DB [VAR=value ...]: runs the binary in its own working dir, sets $PORT, $APID, $LOG.
start_app() {
  local name=$1 db=$2; shift 2
  PORT=$NEXT_PORT; NEXT_PORT=$((NEXT_PORT + 1))
  local dir=$WORK/run/a/b/$name; mkdir -p "$dir/uploads"
  LOG=$dir/stderr.log; OUT=$dir/stdout.log; UPL=$dir/uploads
  (cd "$dir" && exec env -i PATH=/usr/bin:/bin APP_HOST=127.0.0.1 APP_PORT="$PORT" APP_ENV=test NODE_ID="node-$name" \
    APP_VERSION_OVERRIDE=v2.0.0-test PUBLIC_DOMAIN="http://127.0.0.1:$PORT" PXF_UPLOAD_DIR="$dir/uploads" \
    DB_HOST=127.0.0.1 DB_PORT="$DBP" DB_NAME="$db" DB_USER=pixelfox DB_PASSWORD="$DBPW" \
    CACHE_HOST=127.0.0.1 CACHE_PORT="$RP" CACHE_PASSWORD="$RPW" PXF_DB_TRIES=3 PXF_DB_RETRY_MS=200 \
    PXF_CACHE_TRIES=2 PXF_CACHE_RETRY_MS=200 "$@" "$BIN" >"$OUT" 2>"$LOG") &
  APID=$!
  PIDS+=("$APID")
}
wait_listening() { for _ in $(seq 150); do grep -qs 'msg="listening"' "$1" && return 0; kill -0 "$2" 2>/dev/null || return 1; sleep 0.1; done; return 1; }
# wait_exit PID SECONDS: sets $RC (or 255 when still running)
wait_exit() {
  local pid=$1 t=$2 i
  for i in $(seq $((t * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then RC=255; else wait "$pid"; RC=$?; fi
}
U() { echo "http://127.0.0.1:$PORT$1"; }

# ---- start-up failures -------------------------------------------------------------------------
section "start without a database (3 tries via PXF_DB_TRIES, closed port)"
start_app nodb px_fail DB_PORT=1
wait_exit "$APID" 10
check "exits non-zero (rc=$RC)" test "$RC" != 0 -a "$RC" != 255
check "logs every failed try" test "$(grep -c 'msg="database connection failed' "$LOG")" = 3
check "level=error with the driver's error" grep -q 'level=error .*msg="database unreachable, giving up".*connection refused' "$LOG"

section "database fine, wrong cache password"
start_app badcache px_fail CACHE_PASSWORD=wrong
wait_exit "$APID" 10
check "exits non-zero (rc=$RC)" test "$RC" != 0 -a "$RC" != 255
check "WRONGPASS logged at level=error" grep -q 'level=error .*msg="cache unreachable, giving up".*WRONGPASS' "$LOG"
start_app nocachepw px_fail CACHE_PASSWORD=
wait_exit "$APID" 10
check "no CACHE_PASSWORD: exits (rc=$RC), NOAUTH logged" grep -q 'level=error .*NOAUTH' "$LOG"

section "migration 000001 (migrations-v2) before the app ever started"
check "fails: tables missing" bash -c "! mariadb --no-defaults -h127.0.0.1 -P$DBP -upixelfox -p$DBPW -D px_premig < '$APPDIR/migrations-v2/000001_init.up.sql' 2>'$WORK/premig.err'"
check "error names the missing table" grep -q "doesn't exist" "$WORK/premig.err"

section "DB_AUTO_MIGRATE=false creates nothing"
start_app nomig px_nomig DB_AUTO_MIGRATE=false
check "listens" wait_listening "$LOG" "$APID"
check "no table created" test -z "$(sqldb px_nomig -e 'SHOW TABLES')"
check "logs that auto-migrate is off" grep -q 'auto-migrate disabled by DB_AUTO_MIGRATE' "$LOG"
check "ping answers" bash -c "curl -fsS $(U /api/v1/ping) | grep -q pong"
kill -TERM "$APID"; wait_exit "$APID" 7

section "two instances start at once on an empty database"
start_app race1 px_race; P1=$APID; L1=$LOG
start_app race2 px_race; P2=$APID; L2=$LOG
check "first listens" wait_listening "$L1" "$P1"
check "second listens" wait_listening "$L2" "$P2"
check "both took the lock" bash -c "grep -q 'auto-migrate: lock acquired' '$L1' && grep -q 'auto-migrate: lock acquired' '$L2'"
check "six tables" test "$(sqldb px_race -e 'SHOW TABLES' | wc -l)" = 6
check "exactly one default pool" test "$(sqldb px_race -e 'SELECT COUNT(*) FROM storage_pools')" = 1
kill -TERM "$P1" "$P2"; wait_exit "$P1" 7; wait_exit "$P2" 7

section "schema: auto-migrate == SQL migrations 000001+000002+000003"
for f in "$APPDIR"/migrations/0*.up.sql "$APPDIR"/migrations-v1.1.0/0*.up.sql; do sqldb px_sqlpath <"$f"; done
same=1
for t in users storage_pools images image_variants albums album_images; do
  a=$(sqldb px_race -e "SHOW CREATE TABLE $t" | sed 's/ AUTO_INCREMENT=[0-9]*//')
  b=$(sqldb px_sqlpath -e "SHOW CREATE TABLE $t" | sed 's/ AUTO_INCREMENT=[0-9]*//')
  [ "$a" = "$b" ] || { same=0; echo "    differs: $t"; diff <(echo "$a" | tr ',' '\n') <(echo "$b" | tr ',' '\n') | head -10; }
done
check "SHOW CREATE TABLE identical for all six tables" test "$same" = 1
start_app onsql px_sqlpath
check "app starts on the SQL-migrated schema (tables kept)" wait_listening "$LOG" "$APID"
check "it only inserted the pool" grep -q 'created= existing=users,storage_pools,images,image_variants,albums,album_images' "$LOG"
kill -TERM "$APID"; wait_exit "$APID" 7

section "migrations-v2 after one start"
check "000001 up succeeds" bash -c "mariadb --no-defaults -h127.0.0.1 -P$DBP -upixelfox -p$DBPW -D px_race < '$APPDIR/migrations-v2/000001_init.up.sql'"
check "seeded admin@test.de and test@test.de" test "$(sqldb px_race -e "SELECT GROUP_CONCAT(email ORDER BY id) FROM users")" = "admin@test.de,test@test.de"
check "still one pool (the app's)" test "$(sqldb px_race -e 'SELECT COUNT(*) FROM storage_pools')" = 1
check "000002 up succeeds" bash -c "mariadb --no-defaults -h127.0.0.1 -P$DBP -upixelfox -p$DBPW -D px_race < '$APPDIR/migrations-v2/000002_settings.up.sql'"
sqldb px_race -e "CREATE TABLE schema_migrations (version BIGINT NOT NULL PRIMARY KEY, dirty BOOLEAN NOT NULL); INSERT INTO schema_migrations VALUES (2, 0);"
sqldb px_race <"$APPDIR/migrations-v2/000002_settings.down.sql"
check "000001 down drops every table, schema_migrations included" bash -c "mariadb --no-defaults -h127.0.0.1 -P$DBP -upixelfox -p$DBPW -D px_race < '$APPDIR/migrations-v2/000001_init.down.sql' && test -z \"\$(mariadb --no-defaults -h127.0.0.1 -P$DBP -upixelfox -p$DBPW -N -B -D px_race -e 'SHOW TABLES')\""

# ---- a normal instance -------------------------------------------------------------------------
section "normal start (no UPLOAD_TOKEN_SECRET / REPLICATION_SECRET)"
start_app main px_main
check "listens" wait_listening "$LOG" "$APID"
MAIN_PORT=$PORT; MAIN_PID=$APID; MAIN_LOG=$LOG; MAIN_OUT=$OUT; MAIN_UPL=$UPL
check "tables created under the lock" bash -c "grep -q 'auto-migrate: lock acquired' '$LOG' && grep -q 'created=users,storage_pools,images,image_variants,albums,album_images' '$LOG' && grep -q 'auto-migrate: lock released' '$LOG'"
check "default pool from PUBLIC_DOMAIN" test "$(sqldb px_main -e 'SELECT CONCAT(public_base_url, " ", upload_api_url, " ", node_id, " ", is_default) FROM storage_pools')" = "http://127.0.0.1:$PORT http://127.0.0.1:$PORT/api/internal/upload local 1"
check "cache connected line" grep -q 'msg="cache connected".*session_db=1' "$LOG"
curl -sS -D "$WORK/h" -o "$WORK/b" "$(U /api/v1/ping)"
check "ping body" test "$(cat "$WORK/b")" = '{"ping":"pong"}'
check "Server header" grep -qi '^Server: pixelfox-standin' "$WORK/h"
check "X-App-Version header" grep -qi '^X-App-Version: v2.0.0-test' "$WORK/h"
check "HEAD ping 200" test "$(curl -sS -o /dev/null -w '%{http_code}' -I "$(U /api/v1/ping)")" = 200
check "HEAD /api/internal/upload 204" test "$(curl -sS -o /dev/null -w '%{http_code}' -I "$(U /api/internal/upload)")" = 204
check "status JSON" test "$(curl -fsS "$(U /api/v1/status)")" = "{\"version\":\"v2.0.0-test\",\"nodeId\":\"node-main\",\"env\":\"test\",\"db\":{\"host\":\"127.0.0.1\",\"port\":$DBP,\"name\":\"px_main\",\"reachable\":true},\"cache\":{\"host\":\"127.0.0.1\",\"port\":$RP,\"reachable\":true}}"
check "/ page with version" bash -c "curl -fsS $(U /) | grep -q '<p id=\"version\">Version v2.0.0-test</p><p>Domain: http://127.0.0.1:$PORT</p>'"
check "404 body" test "$(curl -sS "$(U /nope)")" = '{"error":"not found"}'
check "access log line" grep -Eq '^[0-9T:.-]+Z 127\.0\.0\.1:[0-9]+ "GET /api/v1/ping HTTP/1.1" 200 15 [0-9.]+ms version=v2.0.0-test$' "$OUT"
check "keep-alive: two requests on one connection" bash -c "curl -sS -o /dev/null -o /dev/null -w '%{num_connects}\n' $(U /api/v1/ping) $(U /api/v1/ping) | tr '\n' ' ' | grep -q '^1 0 '"

section "register and log in"
code=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' -d 'username=alice&email=alice@example.com&password=secret123&password_confirm=secret123' "$(U /register)")
check "form register: 302 to /login ($code)" bash -c "[[ '$code' == 302*'/login?message='* ]]"
check "JSON register: 201" test "$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d '{"username":"bob","email":"bob@example.com","password":"secret456","password_confirm":"secret456"}' "$(U /register)")" = 201
check "duplicate email: 409" test "$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d '{"username":"bob","email":"bob@example.com","password":"secret456","password_confirm":"secret456"}' "$(U /register)")" = 409
check "bcrypt hash stored" test "$(sqldb px_main -e "SELECT LEFT(password_hash, 7) FROM users WHERE email = 'alice@example.com'")" = '$2a$10$'
check "wrong password: 401" test "$(curl -sS -o /dev/null -w '%{http_code}' -H 'Accept: application/json' -d 'email=alice@example.com&password=nope' "$(U /login)")" = 401
code=$(curl -sS -c "$WORK/jar-form" -o /dev/null -w '%{http_code} %{redirect_url}' -d 'email=alice@example.com&password=secret123' "$(U /login)")
check "form login: 302 to / ($code)" bash -c "[[ '$code' == 302*/ ]]"
check "JSON login: 200" test "$(curl -sS -c "$WORK/jar" -o "$WORK/b" -w '%{http_code}' -H 'Content-Type: application/json' -d '{"email":"alice@example.com","password":"secret123"}' "$(U /login)")" = 200
SID=$(awk '$6 == "session_id" {print $7}' "$WORK/jar")
check "session cookie set" test -n "$SID"
check "session in Redis DB 1 with a TTL" bash -c "t=\$(redis-cli -p $RP -a $RPW --no-auth-warning -n 1 TTL '$SID'); [ \"\$t\" -gt 3500 ] && [ \"\$t\" -le 3600 ]"
check "not in DB 0" test "$(rcli -n 0 EXISTS "$SID")" = 0
check "profile with the cookie" bash -c "curl -fsS -b '$WORK/jar' -H 'Accept: application/json' $(U /user/profile) | grep -q '\"email\":\"alice@example.com\"'"
check "profile without: 401 JSON" test "$(curl -sS -o /dev/null -w '%{http_code}' -H 'Accept: application/json' "$(U /user/profile)")" = 401

section "upload, thumbnail, delete"
python3 - "$WORK/pic.png" <<'PY'
import struct, sys, zlib
w, h = 320, 240
raw = b"".join(b"\x00" + bytes(v for x in range(w) for v in (x % 256, y % 256, (x * y) % 256)) for y in range(h))
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
PY
echo "not an image" >"$WORK/note.png"
check "upload without login: 401" test "$(curl -sS -o /dev/null -w '%{http_code}' -F file=@"$WORK/pic.png" "$(U /upload)")" = 401
check "upload of a non-image: 415" test "$(curl -sS -o /dev/null -w '%{http_code}' -b "$WORK/jar" -H 'Accept: application/json' -F file=@"$WORK/note.png" "$(U /upload)")" = 415
check "upload PNG (JSON): 200" test "$(curl -sS -o "$WORK/up.json" -w '%{http_code}' -b "$WORK/jar" -H 'Accept: application/json' -F file=@"$WORK/pic.png" "$(U /upload)")" = 200
jget() { python3 -c "import functools, json, sys; print(functools.reduce(lambda d, k: d[k], sys.argv[2].split('.'), json.load(open(sys.argv[1]))))" "$1" "$2"; }
IMG=$(jget "$WORK/up.json" image_uuid); OPATH=$(jget "$WORK/up.json" path); TPATH=$(jget "$WORK/up.json" thumbnail.path)
check "original under uploads/original/YYYY/MM/DD" bash -c "[[ '$OPATH' =~ ^/uploads/original/[0-9]{4}/[0-9]{2}/[0-9]{2}/$IMG\.png$ ]] && test -f '$MAIN_UPL/${OPATH#/uploads/}'"
check "thumbnail beside it under uploads/variants/" bash -c "[[ '$TPATH' == /uploads/variants/*/${IMG}_small.png ]] && test -f '$MAIN_UPL/${TPATH#/uploads/}'"
check "thumbnail 200x150" test "$(jget "$WORK/up.json" thumbnail.width)x$(jget "$WORK/up.json" thumbnail.height)" = 200x150
check "GET thumbnail: image/png" test "$(curl -sS -o "$WORK/t.png" -w '%{http_code} %{content_type}' "$(U "$TPATH")")" = "200 image/png"
check "thumbnail is a PNG" bash -c "head -c 8 '$WORK/t.png' | od -An -c | grep -q 'P   N   G'"
check "GET original: image/png, same bytes" bash -c "[ \"\$(curl -sS -o '$WORK/o.png' -w '%{http_code} %{content_type}' $(U "$OPATH"))\" = '200 image/png' ] && cmp -s '$WORK/o.png' '$WORK/pic.png'"
check "rows: images (has_variants=1) + image_variants" test "$(sqldb px_main -e "SELECT CONCAT(i.has_variants, ' ', v.variant_type, ' ', i.file_type) FROM images i JOIN image_variants v ON v.image_id = i.id WHERE i.uuid = '$IMG'")" = "1 thumbnail_small image/png"
code=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' -b "$WORK/jar" -F file=@"$WORK/pic.png" "$(U /upload)")
check "form upload: 302 to /image/<uuid> ($code)" bash -c "[[ '$code' == 302*/image/* ]]"
check "image page shows the thumbnail" bash -c "curl -fsS $(U /image/$IMG) | grep -q 'id=\"thumbnail\"'"
check "user images lists 2" test "$(curl -fsS -b "$WORK/jar" -H 'Accept: application/json' "$(U /user/images)" | grep -o '"image_uuid"' | wc -l)" = 2
curl -sS -c "$WORK/jar-bob" -o /dev/null -H 'Content-Type: application/json' -d '{"email":"bob@example.com","password":"secret456"}' "$(U /login)"
check "someone else's image: 404" test "$(curl -sS -o /dev/null -w '%{http_code}' -X POST -b "$WORK/jar-bob" -H 'Accept: application/json' "$(U /user/images/delete/$IMG)")" = 404
check "delete own image: 200" test "$(curl -sS -o /dev/null -w '%{http_code}' -X POST -b "$WORK/jar" -H 'Accept: application/json' "$(U /user/images/delete/$IMG)")" = 200
check "files gone" bash -c "! test -e '$MAIN_UPL/${OPATH#/uploads/}' && ! test -e '$MAIN_UPL/${TPATH#/uploads/}'"
check "rows gone" test "$(sqldb px_main -e "SELECT COUNT(*) FROM images WHERE uuid='$IMG'")$(sqldb px_main -e "SELECT COUNT(*) FROM image_variants v LEFT JOIN images i ON i.id = v.image_id WHERE i.id IS NULL")" = 00
check "thumbnail now 404" test "$(curl -sS -o /dev/null -w '%{http_code}' "$(U "$TPATH")")" = 404

section "secrets unset: direct upload and replication disabled"
check "upload session: 503" bash -c "curl -sS -b '$WORK/jar' -H 'Content-Type: application/json' -d '{\"file_size\":1000}' -w ' %{http_code}' $(U /api/internal/upload/sessions) | grep -q 'upload token secret not configured.* 503$'"
check "internal upload: 503" test "$(curl -sS -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer x.y' -F file=@"$WORK/pic.png" "$(U /api/internal/upload)")" = 503
check "replicate: 503" test "$(curl -sS -o /dev/null -w '%{http_code}' -X PUT -H 'Authorization: Bearer x' -F pool_id=1 -F stored_path=original/x.png -F file=@"$WORK/pic.png" "$(U /api/internal/replicate)")" = 503
check "HEAD /api/internal/upload still 204" test "$(curl -sS -o /dev/null -w '%{http_code}' -I "$(U /api/internal/upload)")" = 204

section ".env wins over the OS environment"
kill -TERM "$MAIN_PID"; wait_exit "$MAIN_PID" 7
check "SIGTERM on an idle app: exit 0 (rc=$RC)" test "$RC" = 0
mkdir -p "$WORK/run/a/b/main2"
printf 'NODE_ID=from-dotenv\nUPLOAD_TOKEN_SECRET="token secret"\nREPLICATION_SECRET=repl-secret\n' >"$WORK/run/a/b/main2/.env"
start_app main2 px_main NODE_ID=from-os UPLOAD_TOKEN_SECRET=os-secret
check "listens" wait_listening "$LOG" "$APID"
check "nodeId from .env" bash -c "curl -fsS $(U /api/v1/status) | grep -q '\"nodeId\":\"from-dotenv\"'"
check ".env load logged" grep -q '.env loaded' "$LOG"
MAIN_PID=$APID; MAIN_LOG=$LOG; MAIN_UPL=$UPL

section "upload session + direct upload (UPLOAD_TOKEN_SECRET from .env)"
curl -sS -c "$WORK/jar" -o /dev/null -H 'Content-Type: application/json' -d '{"email":"alice@example.com","password":"secret123"}' "$(U /login)"
check "session without login: 401" test "$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d '{"file_size":1000}' "$(U /api/internal/upload/sessions)")" = 401
check "session: 200" test "$(curl -sS -o "$WORK/sess.json" -w '%{http_code}' -b "$WORK/jar" -H 'Content-Type: application/json' -d '{"file_size":200000}' "$(U /api/internal/upload/sessions)")" = 200
TOKEN=$(jget "$WORK/sess.json" token)
check "upload_url is the pool's upload_api_url" test "$(jget "$WORK/sess.json" upload_url)" = "$(sqldb px_main -e 'SELECT upload_api_url FROM storage_pools WHERE is_default=1')"
check "token signed with HMAC-SHA256 under the secret" python3 - "$TOKEN" <<'PY'
import base64, hashlib, hmac, sys
p, s = sys.argv[1].split(".")
pad = lambda x: x + "=" * (-len(x) % 4)
sys.exit(0 if hmac.compare_digest(base64.urlsafe_b64decode(pad(s)), hmac.new(b"token secret", base64.urlsafe_b64decode(pad(p)), hashlib.sha256).digest()) else 1)
PY
check "internal upload with the token: 200" test "$(curl -sS -o "$WORK/d.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" -F file=@"$WORK/pic.png" "$(U /api/internal/upload)")" = 200
DPATH=$(jget "$WORK/d.json" thumbnail.path)
check "its thumbnail: image/png" test "$(curl -sS -o /dev/null -w '%{http_code} %{content_type}' "$(U "$DPATH")")" = "200 image/png"
check "token as form field, /api/v1/upload: 200" test "$(curl -sS -o /dev/null -w '%{http_code}' -F token="$TOKEN" -F file=@"$WORK/pic.png" "$(U /api/v1/upload)")" = 200
mktoken() { python3 - "$1" "$2" <<'PY'
import base64, hashlib, hmac, json, sys, time
p = json.dumps({"user_id": 1, "pool_id": 1, "max_bytes": 999999, "exp": int(time.time()) + int(sys.argv[2])}, separators=(",", ":")).encode()
e = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
print(e(p) + "." + e(hmac.new(sys.argv[1].encode(), p, hashlib.sha256).digest()))
PY
}
check "token signed with another secret: 401" bash -c "curl -sS -H 'Authorization: Bearer $(mktoken 'other secret' 600)' -F file=@'$WORK/pic.png' -w ' %{http_code}' $(U /api/internal/upload) | grep -q 'invalid token signature.* 401$'"
check "garbage token: 401" test "$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer x${TOKEN}" -F file=@"$WORK/pic.png" "$(U /api/internal/upload)")" = 401
OLD=$(mktoken 'token secret' -60)
check "expired token: 401 token expired" bash -c "curl -sS -H 'Authorization: Bearer $OLD' -F file=@'$WORK/pic.png' -w ' %{http_code}' $(U /api/internal/upload) | grep -q 'token expired.* 401$'"
check "no token: 401" test "$(curl -sS -o /dev/null -w '%{http_code}' -F file=@"$WORK/pic.png" "$(U /api/internal/upload)")" = 401

section "replication (REPLICATION_SECRET from .env)"
SUM=$(sha256sum "$WORK/pic.png" | cut -d' ' -f1)
check "wrong secret: 401" test "$(curl -sS -o /dev/null -w '%{http_code}' -X PUT -H 'Authorization: Bearer nope' -F pool_id=1 -F stored_path=original/2020/01/01/r.png -F file=@"$WORK/pic.png" "$(U /api/internal/replicate)")" = 401
check "replicate: 200 and stored" bash -c "curl -fsS -X PUT -H 'X-Replicate-Secret: repl-secret' -F pool_id=1 -F stored_path=original/2020/01/01/r.png -F sha256=$SUM -F file=@'$WORK/pic.png' $(U /api/internal/replicate) | grep -q '\"status\":\"ok\"' && cmp -s '$MAIN_UPL/original/2020/01/01/r.png' '$WORK/pic.png'"
check "bad checksum: 422" test "$(curl -sS -o /dev/null -w '%{http_code}' -X PUT -H 'Authorization: Bearer repl-secret' -F pool_id=1 -F stored_path=original/2020/01/01/s.png -F sha256="$(printf '0%.0s' $(seq 64))" -F file=@"$WORK/pic.png" "$(U /api/internal/replicate)")" = 422
check "path traversal: 400" test "$(curl -sS -o /dev/null -w '%{http_code}' -X PUT -H 'Authorization: Bearer repl-secret' -F pool_id=1 -F stored_path=original/../../x.png -F file=@"$WORK/pic.png" "$(U /api/internal/replicate)")" = 400

section "SIGTERM drain with a request in flight and an idle keep-alive connection"
head -c 600000 /dev/urandom >"$WORK/big.bin"
python3 - "$PORT" >"$WORK/idle.out" 2>&1 <<'PY' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /api/v1/ping HTTP/1.1\r\nHost: x\r\n\r\n")
time.sleep(0.3); s.recv(4096); s.settimeout(10); t = time.time()
print("closed" if s.recv(1) == b"" else "data", round(time.time() - t, 1))
PY
IDLE=$!
curl -sS -o "$WORK/slow.json" -D "$WORK/slow.h" -w '%{http_code}' --limit-rate 300k -b "$WORK/jar" -H 'Accept: application/json' \
  -F file=@"$WORK/big.bin;filename=big.png" "$(U /upload)" >"$WORK/slow.code" 2>&1 &
CURL=$!
sleep 0.8
T0=$(date +%s.%N)
kill -TERM "$MAIN_PID"
wait "$CURL"; wait "$IDLE"
wait_exit "$MAIN_PID" 7
T1=$(date +%s.%N)
check "exit 0 (rc=$RC) within 5 s" bash -c "[ $RC = 0 ] && python3 -c 'import sys; sys.exit(0 if $T1 - $T0 < 5.5 else 1)'"
check "the in-flight request got its answer (415: not an image)" test "$(cat "$WORK/slow.code")" = 415
check "…with Connection: close" grep -qi '^Connection: close' "$WORK/slow.h"
check "idle keep-alive connection closed at once" grep -q '^closed 0\.[0-9]$' "$WORK/idle.out"
check "drain log lines" bash -c "grep -q 'msg=\"SIGTERM received, draining\" open_connections=[1-9][0-9]* inflight=1' '$MAIN_LOG' && grep -q 'msg=\"stopped\" open_connections=0' '$MAIN_LOG'"

section "broken build: connects, then never answers"
start_app broken px_main APP_VERSION_OVERRIDE=v1.2.0-broken
check "listens after DB and cache" bash -c "wait_listening() { for _ in \$(seq 150); do grep -q 'msg=\"listening\"' '$LOG' && return 0; sleep 0.1; done; return 1; }; wait_listening && grep -q 'database connected' '$LOG' && grep -q 'cache connected' '$LOG'"
check "warning logged" grep -q 'WARNING: broken build, requests will hang' "$LOG"
check "ping times out (no answer)" bash -c "curl -sS -m 2 $(U /api/v1/ping) >/dev/null 2>&1; [ \$? = 28 ]"
check "request logged as not answered" grep -q 'msg="request received, not answering (broken build)" method=GET path=/api/v1/ping' "$LOG"
check "still running" kill -0 "$APID"
curl -sS -m 30 "$(U /api/v1/ping)" >/dev/null 2>&1 &
HUNG=$!
sleep 0.3
kill -TERM "$APID"; wait_exit "$APID" 7
check "SIGTERM with a hung request: exit 0 (rc=$RC)" test "$RC" = 0
wait "$HUNG"; RCH=$?
check "the hung client got no answer, only a close (curl rc=$RCH)" bash -c "[ $RCH = 52 ] || [ $RCH = 56 ]"
check "stopped line" grep -q 'msg="stopped" open_connections=0' "$LOG"

echo
echo "passed $PASS, failed $FAIL"
[ "$FAIL" = 0 ]
