#!/bin/sh
# pxf/mariadb entrypoint: initialise the datadir on first start, then run mariadbd in the foreground.
# Env (same names as the prod mysql compose): MYSQL_ROOT_PASSWORD, MYSQL_DATABASE, MYSQL_USER, MYSQL_PASSWORD.
set -eu
DATADIR=/var/lib/mysql
: "${MYSQL_ROOT_PASSWORD:?MYSQL_ROOT_PASSWORD is required}"
: "${MYSQL_DATABASE:=pixelfox_db}"
: "${MYSQL_USER:=pixelfox}"
: "${MYSQL_PASSWORD:?MYSQL_PASSWORD is required}"
mkdir -p /run/mysqld "$DATADIR"
chown mysql:mysql /run/mysqld "$DATADIR"

if [ ! -d "$DATADIR/mysql" ]; then
  echo "pxf-entrypoint: initialising $DATADIR" >&2
  mariadb-install-db --user=mysql --datadir="$DATADIR" --skip-test-db \
    --auth-root-authentication-method=normal >/dev/null
  mariadbd --user=mysql --datadir="$DATADIR" --skip-networking --socket=/run/mysqld/init.sock &
  pid=$!
  i=0
  until mariadb-admin --socket=/run/mysqld/init.sock -uroot ping >/dev/null 2>&1; do
    i=$((i + 1)); [ "$i" -lt 120 ] || { echo "pxf-entrypoint: init server did not start" >&2; exit 1; }
    sleep 0.5
  done
  # passwords are generated hex strings; the SQL is fed on stdin, never on the command line
  mariadb --socket=/run/mysqld/init.sock -uroot <<SQL
DELETE FROM mysql.global_priv WHERE User='';
CREATE DATABASE IF NOT EXISTS \`${MYSQL_DATABASE}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '${MYSQL_USER}'@'%' IDENTIFIED BY '${MYSQL_PASSWORD}';
GRANT ALL PRIVILEGES ON \`${MYSQL_DATABASE}\`.* TO '${MYSQL_USER}'@'%';
ALTER USER 'root'@'localhost' IDENTIFIED BY '${MYSQL_ROOT_PASSWORD}';
FLUSH PRIVILEGES;
SQL
  kill "$pid"; wait "$pid" || true
  echo "pxf-entrypoint: initialised database ${MYSQL_DATABASE}, user ${MYSQL_USER}" >&2
fi

exec mariadbd --user=mysql --datadir="$DATADIR" --bind-address=0.0.0.0 --port=3306 \
  --socket=/run/mysqld/mysqld.sock --character-set-server=utf8mb4 \
  --collation-server=utf8mb4_unicode_ci --skip-name-resolve "$@"
