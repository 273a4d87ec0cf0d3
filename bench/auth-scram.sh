#!/usr/bin/env bash
# SCRAM handshake cost: connections per second with `pgbench -C` (a new connection per
# transaction) on a trivial script, pg_hba.conf method scram-sha-256 versus trust, for osgres
# and, side by side, PostgreSQL 15 on a scratch cluster (run as user pgref when root).
# Prints tps (= connections/s) per server and method, and the ratios.
#   bench/auth-scram.sh [SECONDS] [CLIENTS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SECS=${1:-10}
CLIENTS=${2:-4}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
TMP=$(mktemp -d /tmp/osgres-authbench-XXXXXX)
chmod 755 "$TMP"
OSG_PID=
cleanup() {
  if [ -n "$OSG_PID" ] && kill -0 "$OSG_PID" 2>/dev/null; then kill -INT "$OSG_PID"; wait "$OSG_PID" 2>/dev/null || true; fi
  if [ -f "$TMP/pg/postmaster.pid" ]; then "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$TMP/pg" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
. bench/lib.sh   # free_port, wait_ready, as_pg (the script runs from the repository root)
echo "SELECT 1;" > "$TMP/select1.sql"
chmod 644 "$TMP/select1.sql"
export PGPASSWORD=benchpw

hba() { # $1 data dir, $2 superuser, $3 method
  printf 'local all all trust\nhost all %s 127.0.0.1/32 trust\nhost all bench 127.0.0.1/32 %s\n' "$2" "$3" > "$1/pg_hba.conf"
}
run() { # $1 port -> tps
  pgbench -n -C -c "$CLIENTS" -j "$CLIENTS" -T "$SECS" -f "$TMP/select1.sql" -h 127.0.0.1 -p "$1" -U bench postgres 2>&1 \
    | awk '/^tps/ {print $3; exit}'
}

# osgres
OP=$(free_port)
./osgres initdb -D "$TMP/osg" >/dev/null
./osgres server -D "$TMP/osg" -p "$OP" -k "$TMP" >"$TMP/osg.log" 2>&1 &
OSG_PID=$!
wait_ready "$OP"
psql -q -h 127.0.0.1 -p "$OP" -U "$(id -un)" -d postgres -c "CREATE ROLE bench LOGIN PASSWORD 'benchpw'"
declare -A TPS
for m in trust scram-sha-256; do
  hba "$TMP/osg" "$(id -un)" "$m"; kill -HUP "$OSG_PID"; sleep 1
  run "$OP" >/dev/null   # warm-up
  TPS[osgres,$m]=$(run "$OP")
done

# PostgreSQL 15
PP=$(free_port)
"${as_pg[@]}" "$PGBIN/initdb" -D "$TMP/pg" -U postgres --auth=trust >/dev/null
"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$TMP/pg" -o "-p $PP -k $TMP -c max_connections=100" -l "$TMP/pg.log" -w start >/dev/null
psql -q -h 127.0.0.1 -p "$PP" -U postgres -d postgres -c "CREATE ROLE bench LOGIN PASSWORD 'benchpw'"
for m in trust scram-sha-256; do
  hba "$TMP/pg" postgres "$m"; "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$TMP/pg" reload >/dev/null; sleep 1
  run "$PP" >/dev/null
  TPS[postgres,$m]=$(run "$PP")
done

printf '%-10s %14s %16s %12s\n' server "trust conn/s" "scram conn/s" "scram/trust"
for s in osgres postgres; do
  printf '%-10s %14.1f %16.1f %12.3f\n' "$s" "${TPS[$s,trust]}" "${TPS[$s,scram-sha-256]}" \
    "$(echo "${TPS[$s,scram-sha-256]} / ${TPS[$s,trust]}" | bc -l)"
done
printf 'osgres/postgres: trust %.3f, scram-sha-256 %.3f\n' \
  "$(echo "${TPS[osgres,trust]} / ${TPS[postgres,trust]}" | bc -l)" \
  "$(echo "${TPS[osgres,scram-sha-256]} / ${TPS[postgres,scram-sha-256]}" | bc -l)"
