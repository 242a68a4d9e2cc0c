#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on 127.0.0.1:55432 for the store test
# suite and prints the URL to export as MANGLANH_TEST_POSTGRES. Installs
# Debian's postgresql package when it is missing. Idempotent: a server already
# running there is reused.
set -euo pipefail
PORT=${MANGLANH_PG_PORT:-55432}
DIR=${MANGLANH_PG_DIR:-/tmp/manglanh-pg}
URL="postgres://manglanh:manglanh@127.0.0.1:${PORT}/manglanh_test?sslmode=disable"

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
if [ -z "$bin" ]; then
  echo "installing postgresql (Debian)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
fi
run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if ! run "$bin/pg_isready" -q -h 127.0.0.1 -p "$PORT" 2>/dev/null; then
  if [ ! -f "$DIR/PG_VERSION" ]; then
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$DIR"
    run "$bin/initdb" -D "$DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  run "$bin/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DIR -c fsync=off -c max_connections=200" start >&2
fi
psql() { run "$bin/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qtA "$@"; }
if [ "$(psql -c "SELECT 1 FROM pg_roles WHERE rolname='manglanh'")" != 1 ]; then
  psql -c "CREATE ROLE manglanh LOGIN PASSWORD 'manglanh'"
fi
if [ "$(psql -c "SELECT 1 FROM pg_database WHERE datname='manglanh_test'")" != 1 ]; then
  psql -c "CREATE DATABASE manglanh_test OWNER manglanh"
fi
echo "$URL"
