#!/bin/sh
# Records pg_walfile_name() and pg_walfile_name_offset() answers of the PostgreSQL 15 reference
# server into src/test/resources/golden/walfile_names.txt (lsn|name|name_offset_file|offset).
# XLogFormatTest compares osgres's naming against it.
# Usage: tools/record-walfile-names.sh [psql options]   (default: -h /tmp -p 5415 -U postgres)
set -eu
cd "$(dirname "$0")/.."
PSQL_OPTS=${*:-"-h /tmp -p 5415 -U postgres"}
# shellcheck disable=SC2086
psql $PSQL_OPTS -d postgres -XAt -F '|' <<'SQL' > src/test/resources/golden/walfile_names.txt
select l, pg_walfile_name(l::pg_lsn), (pg_walfile_name_offset(l::pg_lsn)).file_name, (pg_walfile_name_offset(l::pg_lsn)).file_offset
from unnest(array['0/0', '0/1', '0/1000000', '0/1000001', '0/1000028', '0/FFFFFF', '0/2000000', '0/16B3F48',
                  '0/FF000000', '0/FFFFFFFF', '1/0', '1/1', '1/1000000', '16/ABCDEF01', 'FF/FF000000',
                  'FFFFFFFF/FFFFFFFF']) as l;
SQL
echo "wrote src/test/resources/golden/walfile_names.txt"
