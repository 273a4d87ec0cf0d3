#!/usr/bin/env bash
# The crash suite: SIGKILL of the osgres server at random moments during pgbench TPC-B
# (-c CLIENTS, -n so that pgbench_history keeps every round, -l to log each completed
# transaction), ROUNDS times. After each kill the server restarts (crash recovery) and:
#   - sum(abalance) = sum(bbalance) = sum(tbalance) = sum(delta) of pgbench_history;
#   - the history rows added in the round number at least the transactions pgbench logged as
#     completed, and at most that plus CLIENTS (commits acknowledged to nobody yet).
# Also times recovery (kill to ready) and prints the median. A round that breaks a check stops
# the suite with the server's log.
#   bench/crash-tpcb.sh [ROUNDS] [SCALE] [CLIENTS] [EXTRA SERVER SETTINGS...]
#   e.g. bench/crash-tpcb.sh 20 1 8
#        bench/crash-tpcb.sh 20 1 8 -c synchronous_commit=off   (then a lost tail is allowed:
#        only the invariant and "no more than logged + clients" are checked)
#        INIT_STEPS=dtGvp bench/crash-tpcb.sh 20 1 8   (pgbench -i -I STEPS: server-side data
#        generation, for a server without COPY)
#        TARGET=postgres bench/crash-tpcb.sh 20 1 8   (the same against PostgreSQL 15, for the
#        recovery-time comparison; run as root it uses user pgref)
#        MODE=panic bench/crash-tpcb.sh 20 1 8   (no kill -9: a backend PANICs in the middle of an
#        insert and the server restarts itself in the same process, restart_after_crash; osgres
#        through its heap-insert injection point, PostgreSQL through kill -ABRT of a backend; the
#        time is then crash to ready)
set -euo pipefail
set -m
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROUNDS=${1:-20}
SCALE=${2:-1}
CLIENTS=${3:-8}
shift $(( $# < 3 ? $# : 3 ))
EXTRA=("$@")
TMP=$(mktemp -d /tmp/osgres-crash-XXXXXX)
chmod 755 "$TMP"
server=""
cleanup() {
  [ -n "$server" ] && kill -9 "$server" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
. bench/lib.sh   # free_port, wait_ready

async=0
for s in "${EXTRA[@]}"; do [ "$s" = "synchronous_commit=off" ] && async=1; done
PORT=$(free_port)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
if [ "${TARGET:-osgres}" = postgres ]; then
  "${as_pg[@]}" "$PGBIN/initdb" -D "$TMP/data" -U postgres -A trust >/dev/null
  SERVER=("${as_pg[@]}" "$PGBIN/postgres")
  USER_OPT=(-U postgres)
else
  ./osgres initdb -D "$TMP/data" >/dev/null
  SERVER=(./osgres server)
  USER_OPT=()
fi
MODE=${MODE:-kill}
if [ "$MODE" = panic ] && [ "${TARGET:-osgres}" != postgres ]; then
  export JAVA_TOOL_OPTIONS="-Dosgres.injection_points=heap-insert:crash_me ${JAVA_TOOL_OPTIONS:-}"
fi
start() {
  "${SERVER[@]}" -D "$TMP/data" -p "$PORT" -k "$TMP" -c max_connections=50 "${EXTRA[@]}" >> "$TMP/server.log" 2>&1 &
  server=$!
  wait_ready "$PORT"
}
q() { psql -X -q -At -h 127.0.0.1 -p "$PORT" "${USER_OPT[@]}" -d postgres -c "$1"; }
start
pgbench -i -q ${INIT_STEPS:+-I "$INIT_STEPS"} -s "$SCALE" -h 127.0.0.1 -p "$PORT" "${USER_OPT[@]}" postgres > "$TMP/init.log" 2>&1 || { cat "$TMP/init.log"; exit 1; }
q "create table crash_me (k int)"

# ends the server's life as MODE says and brings it back (a restart, or its own crash restart)
crash() {
  if [ "$MODE" != panic ]; then
    kill -9 "$server"
    wait "$server" 2>/dev/null || true
    wait "$bench" 2>/dev/null || true   # pgbench ends when its connections break
    start
    return
  fi
  restarts=$(grep -c "reinitializing" "$TMP/server.log" || true)
  if [ "${TARGET:-osgres}" = postgres ]; then
    kill -ABRT "$(q "select pid from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid() limit 1")"
  else
    q "insert into crash_me values (1)" > /dev/null 2>&1 || true   # PANIC: error triggered for injection point heap-insert
  fi
  until [ "$(grep -c "reinitializing" "$TMP/server.log" || true)" -gt "$restarts" ]; do sleep 0.01; done
  wait "$bench" 2>/dev/null || true
  wait_ready "$PORT"
  kill -0 "$server" || { echo "the server process exited"; exit 1; }
}

recoveries=()
for round in $(seq 1 "$ROUNDS"); do
  before=$(q "select count(*) from pgbench_history")
  rm -rf "$TMP/log" && mkdir "$TMP/log"
  (cd "$TMP/log" && pgbench -n -l -c "$CLIENTS" -j 2 -T 60 -h 127.0.0.1 -p "$PORT" "${USER_OPT[@]}" postgres > ../pgbench.out 2>&1) &
  bench=$!
  sleep "$(python3 -c 'import random; print(round(random.uniform(1.0, 6.0), 2))')"
  t0=$(date +%s.%N)
  crash
  t1=$(date +%s.%N)
  recoveries+=("$(echo "$t1 - $t0" | bc -l)")
  logged=$(cat "$TMP"/log/pgbench_log.* 2>/dev/null | grep -cv -e failed -e skipped || true)
  IFS='|' read -r a b t d h <<< "$(q "select (select sum(abalance) from pgbench_accounts), (select sum(bbalance) from pgbench_branches),
      (select sum(tbalance) from pgbench_tellers), (select coalesce(sum(delta), 0) from pgbench_history), (select count(*) from pgbench_history)")"
  added=$((h - before))
  status=ok
  if [ "$a" != "$b" ] || [ "$b" != "$t" ] || [ "$t" != "$d" ]; then status="invariant broken: $a $b $t $d"; fi
  if [ "$async" = 0 ] && [ "$added" -lt "$logged" ]; then status="lost commits: $added rows < $logged logged"; fi
  if [ "$added" -gt $((logged + CLIENTS)) ]; then status="too many rows: $added > $logged logged + $CLIENTS"; fi
  printf 'round %2d: %6d transactions logged, %6d history rows added, recovery %.2fs: %s\n' \
    "$round" "$logged" "$added" "${recoveries[-1]}" "$status"
  if [ "$status" != ok ]; then tail -50 "$TMP/server.log"; exit 1; fi
done
median=$(printf '%s\n' "${recoveries[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
echo "all $ROUNDS rounds passed; recovery ($MODE to ready) median ${median}s"
