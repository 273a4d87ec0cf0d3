#!/usr/bin/env bash
# pgbench's standard TPC-B workload, osgres and PostgreSQL 15 side by side, same settings, one
# run: pgbench -i time, TPS of -c CLIENTS -j 2 -T SECS in each protocol mode with the invariant
# sum(abalance) = sum(bbalance) = sum(tbalance) = sum(delta) checked after every run, and the
# select-only (-S) TPS. Prints a table with the ratio osgres/PostgreSQL.
#   bench/pgbench-tpcb.sh [SCALE] [SECONDS] [CLIENTS] [SHARED_BUFFERS]
#   e.g. bench/pgbench-tpcb.sh 10 60 8 128MB   (the issue's figures)
#        bench/pgbench-tpcb.sh 50 30 8 16MB    (a table much larger than shared_buffers)
set -euo pipefail
set -m
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SCALE=${1:-10}
SECS=${2:-60}
CLIENTS=${3:-8}
SHARED=${4:-128MB}
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
. bench/lib.sh   # free_port, wait_ready, as_pg

SETTINGS=(-c max_connections=50 -c "shared_buffers=$SHARED")
OS_PORT=$(free_port)
./osgres initdb -D "$TMP/osgres" >/dev/null
./osgres server -D "$TMP/osgres" -p "$OS_PORT" -k "$TMP" "${SETTINGS[@]}" > "$TMP/osgres.log" 2>&1 &
pids+=($!)
PG_PORT=$(free_port)
"${as_pg[@]}" "$PGBIN/initdb" -D "$TMP/pg" -U postgres -A trust >/dev/null
"${as_pg[@]}" "$PGBIN/postgres" -D "$TMP/pg" -p "$PG_PORT" -k "$TMP" "${SETTINGS[@]}" > "$TMP/pg.log" 2>&1 &
pids+=($!)
wait_ready "$OS_PORT"
wait_ready "$PG_PORT"
OS_USER=$(id -un)

q() { psql -X -q -At -h 127.0.0.1 -p "$1" -U "$2" -d postgres -c "$3"; }

init_secs() { # $1 port, $2 user
  local t0 t1
  t0=$(date +%s.%N)
  pgbench -i -q -s "$SCALE" -h 127.0.0.1 -p "$1" -U "$2" postgres > "$TMP/init-$1.log" 2>&1 \
    || { cat "$TMP/init-$1.log" >&2; return 1; }
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

sums() { # $1 port, $2 user: sum(abalance)|sum(bbalance)|sum(tbalance)|sum(delta)
  q "$1" "$2" "select (select sum(abalance) from pgbench_accounts), (select sum(bbalance) from pgbench_branches),
        (select sum(tbalance) from pgbench_tellers), (select coalesce(sum(delta), 0) from pgbench_history)"
}

# pgbench truncates pgbench_history before each run, so each balance sum must have moved by
# exactly sum(delta) of the run: $1 the sums before, $2 after; prints "ok" or both
invariant() {
  local a0 b0 t0 h0 a b t h
  IFS='|' read -r a0 b0 t0 h0 <<< "$1"
  IFS='|' read -r a b t h <<< "$2"
  if [ $((a - a0)) = "$h" ] && [ $((b - b0)) = "$h" ] && [ $((t - t0)) = "$h" ]; then echo ok; else echo "BROKEN $1 -> $2"; fi
}

# pgbench as users run it: before each run it vacuums pgbench_branches and pgbench_tellers and
# truncates pgbench_history (no -n)
run() { # $1 port, $2 user, rest: pgbench options; prints "tps failed"
  local out
  out=$(pgbench -h 127.0.0.1 -p "$1" -U "$2" -c "$CLIENTS" -j 2 -T "$SECS" "${@:3}" postgres 2>&1) \
    || { echo "$out" >&2; return 1; }
  echo "$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' <<< "$out") $(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' <<< "$out")"
}

echo "pgbench -s $SCALE, -c $CLIENTS -j 2 -T $SECS, shared_buffers=$SHARED"
oi=$(init_secs "$OS_PORT" "$OS_USER")
pi=$(init_secs "$PG_PORT" postgres)
printf '  %-22s %12s %14s %8s\n' "" osgres "PostgreSQL 15" ratio
printf '  %-22s %11.1fs %13.1fs %7.2fx\n' "pgbench -i" "$oi" "$pi" "$(echo "$oi / $pi" | bc -l)"
for mode in simple extended prepared; do
  os0=$(sums "$OS_PORT" "$OS_USER"); pg0=$(sums "$PG_PORT" postgres)
  read -r ot of <<< "$(run "$OS_PORT" "$OS_USER" -M "$mode")"
  read -r pt pf <<< "$(run "$PG_PORT" postgres -M "$mode")"
  printf '  %-22s %12.0f %14.0f %7.2fx   failed: %s / %s   invariant: %s / %s\n' "TPC-B -M $mode (TPS)" \
    "$ot" "$pt" "$(echo "$ot / $pt" | bc -l)" "${of:-0}" "${pf:-0}" \
    "$(invariant "$os0" "$(sums "$OS_PORT" "$OS_USER")")" "$(invariant "$pg0" "$(sums "$PG_PORT" postgres)")"
done
read -r ot of <<< "$(run "$OS_PORT" "$OS_USER" -S -M prepared)"
read -r pt pf <<< "$(run "$PG_PORT" postgres -S -M prepared)"
printf '  %-22s %12.0f %14.0f %7.2fx\n' "select-only -S (TPS)" "$ot" "$pt" "$(echo "$ot / $pt" | bc -l)"
