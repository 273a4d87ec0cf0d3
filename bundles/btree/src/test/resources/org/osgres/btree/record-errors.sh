#!/bin/sh
# Records PostgreSQL 15's btree errors (unique violations on insert and at CREATE UNIQUE INDEX,
# with the key values in each type's output text, and an index row too big) into errors.txt,
# for BtreeErrorsTest: "== case" lines, each followed by the ERROR and DETAIL lines psql printed.
# Usage: record-errors.sh [psql options]   (default: the reference server, -h /tmp -p 5415 -U postgres)
set -eu
cd "$(dirname "$0")"
PSQL="psql -X -q -h /tmp -p 5415 -U postgres -d postgres ${*:-}"
$PSQL 2>&1 <<'SQL' | grep -E '^(==|ERROR|DETAIL)' | sed 's/^ERROR:  /ERROR: /; s/^DETAIL:  /DETAIL: /' > errors.txt
CREATE TEMP TABLE pgbench_accounts (aid int PRIMARY KEY, bid int, abalance int, filler char(84));
INSERT INTO pgbench_accounts VALUES (1, 1, 0, '');
\echo == insert-int4
INSERT INTO pgbench_accounts VALUES (1, 1, 0, '');
CREATE TEMP TABLE osgres_b (bid int, v text);
INSERT INTO osgres_b VALUES (1, 'x'), (2, 'y'), (1, 'z');
\echo == build-int4
CREATE UNIQUE INDEX osgres_b_bid ON osgres_b (bid);
CREATE TEMP TABLE osgres_types (i2 int2, i8 int8, f float8, n numeric, b bool, d date, ts timestamp, c char(5), v varchar(10), t text);
CREATE UNIQUE INDEX osgres_types_key ON osgres_types (i2, i8, f, n, b, d, ts, c, v, t);
INSERT INTO osgres_types VALUES (-3, 9000000000, 1e20, 1.50, true, '2024-01-02', '2024-01-02 03:04:05.5', 'ab', 'x y', 'it''s "q"');
\echo == insert-types
INSERT INTO osgres_types VALUES (-3, 9000000000, 1e20, 1.50, true, '2024-01-02', '2024-01-02 03:04:05.5', 'ab', 'x y', 'it''s "q"');
CREATE TEMP TABLE osgres_f (f float8, d date, ts timestamp);
INSERT INTO osgres_f VALUES (0.1, '0044-03-15 BC', '2000-01-01 00:00:00'), (0.1, '0044-03-15 BC', '2000-01-01 00:00:00');
\echo == build-float-date
CREATE UNIQUE INDEX osgres_f_key ON osgres_f (f, d, ts);
CREATE TEMP TABLE osgres_q ("Mixed" int, "with space" text);
CREATE UNIQUE INDEX osgres_q_key ON osgres_q ("Mixed", "with space");
INSERT INTO osgres_q VALUES (7, 'é');
\echo == insert-quoted
INSERT INTO osgres_q VALUES (7, 'é');
CREATE TEMP TABLE osgres_big (id int, t text);
CREATE INDEX osgres_big_t ON osgres_big (t);
\echo == too-big
INSERT INTO osgres_big VALUES (1, (SELECT string_agg(md5(i::text), '') FROM generate_series(1, 100) i));
SQL
