#!/bin/sh
# Records a heap page written by PostgreSQL 15 and what pageinspect says about it, for PageTest.
# Usage: record-heap-page.sh [psql options]   (default: the reference server, -h /tmp -p 5415 -U postgres)
set -eu
cd "$(dirname "$0")"
PSQL="psql -X -q -v ON_ERROR_STOP=1 -h /tmp -p 5415 -U postgres -d postgres ${*:-}"
$PSQL <<'SQL'
CREATE EXTENSION IF NOT EXISTS pageinspect;
DROP TABLE IF EXISTS osgres_page_golden;
CREATE TABLE osgres_page_golden (id int, t text);
INSERT INTO osgres_page_golden VALUES (1, 'one'), (2, 'two'), (3, 'three');
DELETE FROM osgres_page_golden WHERE id = 2;
CHECKPOINT;
SQL
$PSQL -At -c "SELECT encode(pg_read_binary_file(pg_relation_filepath('osgres_page_golden'), 0, 8192), 'hex')" > heap-page.hex
$PSQL -At -F '	' -c "SELECT lsn, checksum, flags, lower, upper, special, pagesize, version, prune_xid FROM page_header(get_raw_page('osgres_page_golden', 0))" > heap-page-header.tsv
$PSQL -At -F '	' -c "SELECT lp, lp_off, lp_flags, lp_len, encode(t_data, 'hex') FROM heap_page_items(get_raw_page('osgres_page_golden', 0)) ORDER BY lp" > heap-page-items.tsv
$PSQL -c "DROP TABLE osgres_page_golden"
