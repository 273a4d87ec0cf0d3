#!/usr/bin/env bash
# Records what CheckpointIT compares against, from the PostgreSQL 15 reference server, into
# e2e/src/test/resources/golden/checkpoint/:
#   pg_stat_bgwriter.txt  the view's columns: name, type OID, type
#   errors.txt            statement|SQLSTATE|message for a superuser (su) and a plain role (user)
#   values.txt            statement|result for functions whose result does not depend on the server
#   log-lines.txt         a "checkpoint starting" and a "checkpoint complete" line of a CHECKPOINT, as
#                         shapes: every number replaced by N
# Usage: e2e/tools/record-checkpoint-goldens.sh [PGHOST] [PGPORT] [SUPERUSER] [SERVER_LOG]
set -euo pipefail
HOST=${1:-/tmp}; PORT=${2:-5415}; SU=${3:-postgres}; LOG=${4:-/home/pgref/log}
OUT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/src/test/resources/golden/checkpoint
mkdir -p "$OUT"
q() { psql -X -A -t -q -h "$HOST" -p "$PORT" -d postgres "$@"; }

q -U "$SU" -c "SELECT attname || ' ' || atttypid::int || ' ' || format_type(atttypid, NULL) FROM pg_attribute
  WHERE attrelid = 'pg_stat_bgwriter'::regclass AND attnum > 0 ORDER BY attnum" > "$OUT/pg_stat_bgwriter.txt"

ROLE=osgres_ckpt_plain
q -U "$SU" -c "DROP ROLE IF EXISTS $ROLE" -c "CREATE ROLE $ROLE LOGIN"
: > "$OUT/errors.txt"
while IFS='|' read -r who sql; do
  user=$SU; [ "$who" = user ] && user=$ROLE
  err=$( (psql -X -A -t -q -h "$HOST" -p "$PORT" -d postgres -U "$user" -v VERBOSITY=verbose -c "$sql" 2>&1 >/dev/null || true) \
        | sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\): \(.*\)$/\1|\2/p' | head -1 || true)
  echo "$who|$sql|$err" >> "$OUT/errors.txt"
done <<'SQL'
user|CHECKPOINT
user|SELECT pg_switch_wal()
su|CHECKPOINT x
su|SELECT pg_walfile_name('0/16B374G')
su|SELECT pg_walfile_name('123456789/0')
SQL
q -U "$SU" -c "DROP ROLE $ROLE"

: > "$OUT/values.txt"
for sql in "SELECT '0/16B3748'::pg_lsn" "SELECT 'ab/CDEF0123'::pg_lsn" "SELECT pg_walfile_name('0/16B3748')" \
    "SELECT pg_walfile_name('0/1000000')" "SELECT pg_walfile_name('1/2000001')"; do
  echo "$sql|$(q -U "$SU" -c "$sql")" >> "$OUT/values.txt"
done

before=$(wc -l < "$LOG")
q -U "$SU" -c "CHECKPOINT"
for i in $(seq 1 50); do
  tail -n +"$((before + 1))" "$LOG" | grep -q 'checkpoint complete' && break
  sleep 0.1
done
tail -n +"$((before + 1))" "$LOG" | grep -o 'LOG:  checkpoint \(starting\|complete\):.*' \
  | sed -E 's/[0-9]+/N/g' > "$OUT/log-lines.txt"
echo "recorded into $OUT"
