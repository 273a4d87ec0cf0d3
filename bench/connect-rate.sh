#!/usr/bin/env bash
# Connection rate: pgbench -C (a new connection for every transaction) with a trivial script
# (SELECT 1), for `./osgres server` and, in the same run, PostgreSQL 15's `postgres` on a
# scratch cluster (as user pgref when root). pgbench's own tables (-S) need the storage issue,
# so the script is a custom one. Over TCP (127.0.0.1) and the Unix-domain socket.
#   bench/connect-rate.sh [SECONDS] [CLIENTS]
set -euo pipefail
set -m   # job control: background servers keep SIGINT
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SECS=${1:-10}
CLIENTS=${2:-4}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
TMP=$(mktemp -d /tmp/osgres-bench-XXXXXX)
chmod 755 "$TMP"
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -INT "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

. bench/lib.sh   # free_port, wait_ready, as_pg (the script runs from the repository root)
USER_NAME=$(id -un)
echo 'SELECT 1;' > "$TMP/select1.sql"
chmod 644 "$TMP/select1.sql"

# $1 = data directory, $2 = port, rest = server command; returns when ready
start_server() {
  local dir=$1 port=$2; shift 2
  "$@" >>"$TMP/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 3000); do
    [ -f "$dir/postmaster.pid" ] && [ "$(sed -n 8p "$dir/postmaster.pid" 2>/dev/null | cut -d' ' -f1)" = ready ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.01
  done
  echo "server did not start; log:" >&2; tail -30 "$TMP/server.log" >&2; exit 1
}
stop_server() { kill -INT "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=; }

# prints "tps avg_connect_ms" for one pgbench run against host $1 port $2
rate() {
  local out
  out=$(pgbench -n -C -f "$TMP/select1.sql" -c "$CLIENTS" -j "$CLIENTS" -T "$SECS" -h "$1" -p "$2" -U "$USER_NAME" postgres 2>&1) \
    || { echo "$out" >&2; exit 1; }
  local tps conn
  tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
  conn=$(echo "$out" | sed -n 's/^average connection time = \([0-9.]*\) ms.*/\1/p' | head -1)
  echo "$tps ${conn:-0}"
}

./osgres initdb -D "$TMP/osgres" >"$TMP/initdb-osgres.log" 2>&1 || { cat "$TMP/initdb-osgres.log" >&2; exit 1; }
port=$(free_port)
start_server "$TMP/osgres" "$port" ./osgres server -D "$TMP/osgres" -p "$port" -k "$TMP"
pgbench -n -C -f "$TMP/select1.sql" -c "$CLIENTS" -j "$CLIENTS" -T 3 -h 127.0.0.1 -p "$port" -U "$USER_NAME" postgres >/dev/null 2>&1 || true # JIT warm-up
read -r os_tcp os_tcp_ms < <(rate 127.0.0.1 "$port")
read -r os_unix os_unix_ms < <(rate "$TMP" "$port")
stop_server

"${as_pg[@]}" "$PGBIN/initdb" -D "$TMP/pg" -U "$USER_NAME" --auth=trust >"$TMP/initdb-pg.log" 2>&1 \
  || { cat "$TMP/initdb-pg.log" >&2; exit 1; }
port=$(free_port)
start_server "$TMP/pg" "$port" "${as_pg[@]}" "$PGBIN/postgres" -D "$TMP/pg" -p "$port" -k "$TMP"
read -r pg_tcp pg_tcp_ms < <(rate 127.0.0.1 "$port")
read -r pg_unix pg_unix_ms < <(rate "$TMP" "$port")
stop_server

printf 'pgbench -C, script "SELECT 1", %d clients, %d s each, on %d cores\n' "$CLIENTS" "$SECS" "$(nproc)"
printf '  %-26s %12s %22s\n' "" "connections/s" "avg connection (ms)"
printf '  %-26s %12.1f %22.3f\n' "osgres TCP" "$os_tcp" "$os_tcp_ms" "PostgreSQL 15 TCP" "$pg_tcp" "$pg_tcp_ms" \
  "osgres Unix socket" "$os_unix" "$os_unix_ms" "PostgreSQL 15 Unix socket" "$pg_unix" "$pg_unix_ms"
awk -v a="$os_tcp" -v b="$pg_tcp" -v c="$os_unix" -v d="$pg_unix" 'BEGIN {
  printf "  ratio osgres/PostgreSQL: TCP %.2fx, Unix socket %.2fx\n", a / b, c / d }'
