#!/usr/bin/env bash
# Records the columns (name, type OID and type) of pg_stat_activity and pg_stat_database from the
# PostgreSQL 15 reference server into e2e/src/test/resources/golden/stat-views/, for StatViewsIT.
# Usage: e2e/tools/record-stat-views.sh [PGHOST] [PGPORT] [PGUSER]
set -euo pipefail
HOST=${1:-/tmp}; PORT=${2:-5415}; USER=${3:-postgres}
OUT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/src/test/resources/golden/stat-views
mkdir -p "$OUT"
for view in pg_stat_activity pg_stat_database; do
  psql -X -A -t -h "$HOST" -p "$PORT" -U "$USER" -d postgres -c \
    "SELECT attname || ' ' || atttypid::int || ' ' || format_type(atttypid, NULL) FROM pg_attribute
      WHERE attrelid = '$view'::regclass AND attnum > 0 ORDER BY attnum" > "$OUT/$view.txt"
done
echo "recorded into $OUT"
