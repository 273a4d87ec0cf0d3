#!/bin/sh
# Records PostgreSQL 15's errors for a REPEATABLE READ update and delete of a row another
# transaction updated after the snapshot, and for a row too big for a page (storage plain:
# no TOAST, as osgres for now), for ConcurrentUpdateTest and HeapAccessTest.
# Usage: record-errors.sh [psql options]   (default: the reference server, -h /tmp -p 5415 -U postgres)
set -eu
cd "$(dirname "$0")"
PSQL="psql -X -q -h /tmp -p 5415 -U postgres -d postgres ${*:-}"
$PSQL -c "DROP TABLE IF EXISTS osgres_rr" -c "CREATE TABLE osgres_rr (id int, v int)" -c "INSERT INTO osgres_rr VALUES (1, 0), (2, 0)"
$PSQL 2>&1 <<'SQL' | grep -E '^(ERROR|DETAIL|HINT|CONTEXT)' > repeatable-read.txt || true
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) FROM osgres_rr;
\! psql -X -q -h /tmp -p 5415 -U postgres -d postgres -c "UPDATE osgres_rr SET v = 1" 
UPDATE osgres_rr SET v = 2 WHERE id = 1;
ROLLBACK;
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) FROM osgres_rr;
\! psql -X -q -h /tmp -p 5415 -U postgres -d postgres -c "DELETE FROM osgres_rr WHERE id = 2" 
DELETE FROM osgres_rr WHERE id = 2;
ROLLBACK;
SQL
$PSQL -c "DROP TABLE osgres_rr"
$PSQL 2>&1 <<'SQL' | grep -E '^(ERROR|DETAIL|HINT|CONTEXT)' > row-too-big.txt || true
CREATE TEMP TABLE osgres_big (id int, t text);
ALTER TABLE osgres_big ALTER t SET STORAGE PLAIN;
INSERT INTO osgres_big VALUES (1, repeat('x', 8200));
SQL
