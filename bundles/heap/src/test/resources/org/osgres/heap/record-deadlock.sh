#!/bin/sh
# Records what PostgreSQL 15 reports for a two-row deadlock, and for lock_timeout and NOWAIT,
# with pids and xids replaced by names, for ConcurrentUpdateTest.
# Session A updates row 1, then row 2; session B updates row 2, then row 1. B's wait comes
# last, so B's deadlock check (after deadlock_timeout) finds the cycle and B fails.
# Usage: record-deadlock.sh [psql options]   (default: the reference server, -h /tmp -p 5415 -U postgres)
set -eu
cd "$(dirname "$0")"
PSQL="psql -X -q -h /tmp -p 5415 -U postgres -d postgres ${*:-}"
$PSQL -c "DROP TABLE IF EXISTS osgres_deadlock" -c "CREATE TABLE osgres_deadlock (id int, v int)" \
      -c "INSERT INTO osgres_deadlock VALUES (1, 0), (2, 0)"
out=$(mktemp -d)
$PSQL -v VERBOSITY=verbose > "$out/a" 2>&1 <<'SQL' &
SET deadlock_timeout = '200ms';
BEGIN;
SELECT 'A', pg_backend_pid(), txid_current();
UPDATE osgres_deadlock SET v = v + 1 WHERE id = 1;
SELECT pg_sleep(0.5);
UPDATE osgres_deadlock SET v = v + 1 WHERE id = 2;
COMMIT;
SQL
$PSQL -v VERBOSITY=default > "$out/b" 2>&1 <<'SQL'
SET deadlock_timeout = '200ms';
BEGIN;
SELECT 'B', pg_backend_pid(), txid_current();
UPDATE osgres_deadlock SET v = v + 1 WHERE id = 2;
SELECT pg_sleep(1);
UPDATE osgres_deadlock SET v = v + 1 WHERE id = 1;
COMMIT;
SQL
wait
set -- $(grep -h '^ [AB] ' "$out/a" "$out/b" | tr -d '|')
# $1=A $2=pidA $3=xidA $4=B $5=pidB $6=xidB
sed -e "s/\b$2\b/PID_A/g" -e "s/\b$5\b/PID_B/g" -e "s/\b$3\b/XID_A/g" -e "s/\b$6\b/XID_B/g" "$out/b" \
  | grep -E '^(ERROR|DETAIL|HINT|CONTEXT|Process)' > deadlock.txt
$PSQL -c "DROP TABLE osgres_deadlock"
# lock_timeout and NOWAIT: one session holds row 1, another asks for it
$PSQL -c "CREATE TABLE osgres_lockwait (id int)" -c "INSERT INTO osgres_lockwait VALUES (1)"
$PSQL > "$out/c" 2>&1 <<'SQL' &
BEGIN;
UPDATE osgres_lockwait SET id = 1;
SELECT pg_sleep(1.5);
COMMIT;
SQL
sleep 0.5
$PSQL -c "SET lock_timeout = '100ms'" -c "UPDATE osgres_lockwait SET id = 1" 2>&1 | grep -E '^(ERROR|DETAIL|HINT|CONTEXT)' > lock-timeout.txt || true
$PSQL -c "SELECT * FROM osgres_lockwait FOR UPDATE NOWAIT" 2>&1 | grep -E '^(ERROR|DETAIL|HINT|CONTEXT)' > nowait.txt || true
wait
$PSQL -c "DROP TABLE osgres_lockwait"
rm -rf "$out"
