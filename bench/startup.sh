#!/usr/bin/env bash
# Launch-to-ready time: from process start to postmaster.pid line 8 = "ready",
# median of N runs (default 5), for `./osgres server` and, side by side,
# PostgreSQL 15's `postgres` on a scratch cluster (run as user pgref when root).
#   bench/startup.sh [RUNS]
set -euo pipefail
set -m   # job control: background servers keep SIGINT (bash ignores it in background jobs otherwise)
cd "$(dirname "${BASH_SOURCE[0]}")/.."
RUNS=${1:-5}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
TMP=$(mktemp -d /tmp/osgres-bench-XXXXXX)
chmod 755 "$TMP"
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -KILL "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

. bench/lib.sh   # free_port, wait_ready, as_pg (the script runs from the repository root)
now_ns() { date +%s%N; }


# one timed start: $1 = data directory, rest = the server command; prints milliseconds
time_start() {
  local dir=$1; shift
  local t0 t1 line
  rm -f "$dir/postmaster.pid"
  t0=$(now_ns)
  "$@" >>"$TMP/server.log" 2>&1 &
  SERVER_PID=$!
  while :; do
    if [ -f "$dir/postmaster.pid" ]; then
      line=$(sed -n 8p "$dir/postmaster.pid" 2>/dev/null || true)
      [ "${line%% *}" = ready ] && break
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "server exited before it was ready; log:" >&2; tail -30 "$TMP/server.log" >&2; exit 1
    fi
    sleep 0.005
  done
  t1=$(now_ns)
  kill -INT "$SERVER_PID"
  wait "$SERVER_PID" || true
  SERVER_PID=
  echo $(( (t1 - t0) / 1000000 ))
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

# osgres (the first command builds it if needed; not timed)
./osgres initdb -D "$TMP/osgres" >"$TMP/initdb-osgres.log" 2>&1 || { cat "$TMP/initdb-osgres.log" >&2; exit 1; }
os=()
for _ in $(seq "$RUNS"); do
  port=$(free_port)
  os+=("$(time_start "$TMP/osgres" ./osgres server -D "$TMP/osgres" -p "$port" -k "$TMP")")
done

# PostgreSQL 15
"${as_pg[@]}" "$PGBIN/initdb" -D "$TMP/pg" -U "$(id -un)" --auth=trust >"$TMP/initdb-pg.log" 2>&1 \
  || { cat "$TMP/initdb-pg.log" >&2; exit 1; }
pg=()
for _ in $(seq "$RUNS"); do
  port=$(free_port)
  pg+=("$(time_start "$TMP/pg" "${as_pg[@]}" "$PGBIN/postgres" -D "$TMP/pg" -p "$port" -k "$TMP")")
done

m_os=$(median "${os[@]}")
m_pg=$(median "${pg[@]}")
printf 'launch to ready, median of %d runs (ms)\n' "$RUNS"
printf '  %-14s %6d   runs: %s\n' "osgres" "$m_os" "${os[*]}"
printf '  %-14s %6d   runs: %s\n' "PostgreSQL 15" "$m_pg" "${pg[*]}"
awk -v a="$m_os" -v b="$m_pg" 'BEGIN { if (b > 0) printf "  ratio osgres/PostgreSQL: %.1fx\n", a / b }'
