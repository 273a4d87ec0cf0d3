#!/usr/bin/env bash
# TLS handshake overhead: new connections per second with `pgbench -C` on a trivial script
# (SELECT 1), sslmode=disable vs require, osgres vs PostgreSQL 15, side by side in one run.
# Needs root (PostgreSQL's initdb runs as user pgref), openssl, pgbench, psql.
#   bench/tls-connect.sh [SECONDS] [CLIENTS]      defaults: 10 s, 4 clients
set -euo pipefail
SECS=${1:-10}
CLIENTS=${2:-4}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGBIN=/usr/lib/postgresql/15/bin
W=$(mktemp -d /tmp/osgres-bench-tls-XXXXXX)
chmod 755 "$W"
OS_PORT=$((20000 + RANDOM % 10000)); PG_PORT=$((OS_PORT + 1))
OS_PID=""
cleanup() {
  [ -n "$OS_PID" ] && kill -INT "$OS_PID" 2>/dev/null && wait "$OS_PID" 2>/dev/null || true
  [ -d "$W/pg" ] && su pgref -c "$PGBIN/pg_ctl -D $W/pg -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$W"
}
trap cleanup EXIT
id pgref >/dev/null 2>&1 || useradd -m pgref

# a test CA and a server certificate for localhost
cd "$W"
o() { openssl "$@" >/dev/null 2>&1; }
o req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj "/CN=bench CA"
o req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=localhost"
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > san.ext
o x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 -extfile san.ext
echo 'SELECT 1;' > select1.sql
chmod 644 select1.sql

HBA='local all all trust
host all all 127.0.0.1/32 trust'

# osgres
"$REPO/osgres" initdb -D "$W/os" >/dev/null 2>&1
cp server.crt server.key "$W/os/"; chmod 600 "$W/os/server.key"
printf '%s\n' "$HBA" > "$W/os/pg_hba.conf"
mkdir -p "$W/sock" "$W/pgsock"; chown pgref "$W/pgsock"
env --default-signal=INT,TERM "$REPO/osgres" server -D "$W/os" -p "$OS_PORT" -k "$W/sock" -h 127.0.0.1 \
  -c ssl=on -c max_connections=50 > "$W/os.log" 2>&1 &
OS_PID=$!

# PostgreSQL 15
mkdir -p "$W/pg" && chown pgref "$W/pg" && chmod 700 "$W/pg"
su pgref -c "$PGBIN/initdb -D $W/pg -U postgres --auth=trust" >/dev/null
cp server.crt server.key "$W/pg/"; chown pgref "$W/pg/server.crt" "$W/pg/server.key"; chmod 600 "$W/pg/server.key"
printf '%s\n' "$HBA" > "$W/pg/pg_hba.conf"
su pgref -c "$PGBIN/pg_ctl -D $W/pg -l $W/pgsock/pg.log -w -o '-p $PG_PORT -k $W/pgsock -c listen_addresses=127.0.0.1 -c ssl=on -c max_connections=50' start" >/dev/null

for i in $(seq 1 120); do
  pg_isready -q -h 127.0.0.1 -p "$OS_PORT" && break
  kill -0 "$OS_PID" 2>/dev/null || { cat "$W/os.log"; exit 1; }
  sleep 0.5
done

run() {  # PORT USER SSLMODE -> connections/s
  PGSSLMODE=$3 pgbench -n -C -h 127.0.0.1 -p "$1" -U "$2" -c "$CLIENTS" -j 2 -T "$SECS" -f "$W/select1.sql" postgres 2>&1 \
    | sed -n 's/^tps = \([0-9.]*\) .*/\1/p'
}
printf '%-12s %-9s %12s\n' server sslmode "conn/s"
declare -A R
for mode in disable require; do
  R[os,$mode]=$(run "$OS_PORT" "$(id -un)" "$mode")
  R[pg,$mode]=$(run "$PG_PORT" postgres "$mode")
  printf '%-12s %-9s %12s\n' osgres "$mode" "${R[os,$mode]}" "PostgreSQL" "$mode" "${R[pg,$mode]}"
done
awk -v od="${R[os,disable]}" -v orq="${R[os,require]}" -v pd="${R[pg,disable]}" -v prq="${R[pg,require]}" 'BEGIN {
  printf "TLS cost (require/disable): osgres %.2f, PostgreSQL %.2f\n", orq/od, prq/pd
  printf "osgres/PostgreSQL: disable %.2f, require %.2f\n", od/pd, orq/prq
  printf "per-connection time: osgres %.2f ms -> %.2f ms, PostgreSQL %.2f ms -> %.2f ms (%d clients)\n",
         1000/od*'"$CLIENTS"', 1000/orq*'"$CLIENTS"', 1000/pd*'"$CLIENTS"', 1000/prq*'"$CLIENTS"', '"$CLIENTS"'
}'
