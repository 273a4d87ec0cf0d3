#!/usr/bin/env bash
# pgbench with a script that needs no tables, osgres and PostgreSQL 15 side by side, same
# settings, one run; prints TPS per protocol mode and the ratio osgres/PostgreSQL.
#   bench/pgbench-notables.sh [SECONDS] [CLIENTS]
set -euo pipefail
set -m
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SECS=${1:-10}
CLIENTS=${2:-4}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
TMP=$(mktemp -d /tmp/osgres-bench-XXXXXX)
chmod 755 "$TMP"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -INT "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
. bench/lib.sh   # free_port, wait_ready, as_pg (the script runs from the repository root)

printf '\\set a random(1, 100000)\nSELECT :a::int + 1, $$x$$ || :a;\nSELECT 1;\n' > "$TMP/script.sql"
chmod 644 "$TMP/script.sql"

OS_PORT=$(free_port)
./osgres initdb -D "$TMP/osgres" >/dev/null
./osgres server -D "$TMP/osgres" -p "$OS_PORT" -k "$TMP" -c max_connections=50 > "$TMP/osgres.log" 2>&1 &
pids+=($!)
PG_PORT=$(free_port)
"${as_pg[@]}" "$PGBIN/initdb" -D "$TMP/pg" -U postgres -A trust >/dev/null
"${as_pg[@]}" "$PGBIN/postgres" -D "$TMP/pg" -p "$PG_PORT" -k "$TMP" -c max_connections=50 > "$TMP/pg.log" 2>&1 &
pids+=($!)
wait_ready "$OS_PORT"
wait_ready "$PG_PORT"

tps() { # $1 port, $2 user, $3 mode
  pgbench -n -h 127.0.0.1 -p "$1" -U "$2" -f "$TMP/script.sql" -M "$3" -c "$CLIENTS" -j 2 -T "$SECS" postgres 2>&1 \
    | sed -n 's/^tps = \([0-9.]*\) .*/\1/p'
}
echo "pgbench -n -f (no tables) -c $CLIENTS -j 2 -T $SECS, TPS"
printf '  %-10s %12s %14s %8s\n' mode osgres "PostgreSQL 15" ratio
for mode in simple extended prepared; do
  tps "$OS_PORT" "$(id -un)" "$mode" >/dev/null   # warm-up: the JIT compiles the hot paths
  o=$(tps "$OS_PORT" "$(id -un)" "$mode")
  p=$(tps "$PG_PORT" postgres "$mode")
  printf '  %-10s %12.0f %14.0f %7.2fx\n' "$mode" "$o" "$p" "$(echo "$o / $p" | bc -l)"
done
