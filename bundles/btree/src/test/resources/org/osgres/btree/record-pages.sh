#!/bin/sh
# Records PostgreSQL 15's btree pages (pageinspect's get_raw_page, from byte 8 on: pd_lsn differs)
# into pages.txt for BtreePageLayoutTest: an int4 index that three inserts filled ("insert-meta",
# "insert-leaf"), and one CREATE INDEX built over three rows ("build-meta", "build-leaf").
# Usage: record-pages.sh [psql options]   (default: the reference server, -h /tmp -p 5415 -U postgres)
set -eu
cd "$(dirname "$0")"
PSQL="psql -X -q -A -t -h /tmp -p 5415 -U postgres -d postgres ${*:-}"
$PSQL > pages.txt <<'SQL'
CREATE EXTENSION IF NOT EXISTS pageinspect;
DROP TABLE IF EXISTS osgres_pg;
CREATE TABLE osgres_pg (id int, name text, n bigint);
CREATE INDEX osgres_pg_id ON osgres_pg (id);
INSERT INTO osgres_pg VALUES (1, 'x', 1);
INSERT INTO osgres_pg VALUES (2, 'x', 2);
INSERT INTO osgres_pg VALUES (3, 'x', 3);
SELECT 'insert-meta ' || encode(substr(get_raw_page('osgres_pg_id', 0), 9), 'hex');
SELECT 'insert-leaf ' || encode(substr(get_raw_page('osgres_pg_id', 1), 9), 'hex');
CREATE INDEX osgres_pg_built ON osgres_pg (id);
SELECT 'build-meta ' || encode(substr(get_raw_page('osgres_pg_built', 0), 9), 'hex');
SELECT 'build-leaf ' || encode(substr(get_raw_page('osgres_pg_built', 1), 9), 'hex');
DROP TABLE osgres_pg;
SQL
