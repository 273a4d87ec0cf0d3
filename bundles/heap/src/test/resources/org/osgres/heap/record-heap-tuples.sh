#!/bin/sh
# Records heap tuples written by PostgreSQL 15 (pageinspect's heap_page_items over get_raw_page)
# for HeapTupleLayoutTest: one row per tuple with its line pointer, header fields and data bytes,
# for tables of the types osgres stores, and the tuple versions an UPDATE, DELETE and SELECT FOR
# UPDATE leave. No SELECT runs before the pages are read, so only the hint bits PostgreSQL's own
# writes set are there.
# Usage: record-heap-tuples.sh [psql options]   (default: the reference server, -h /tmp -p 5415 -U postgres)
set -eu
cd "$(dirname "$0")"
PSQL="psql -X -q -v ON_ERROR_STOP=1 -h /tmp -p 5415 -U postgres -d postgres ${*:-}"
$PSQL <<'SQL'
CREATE EXTENSION IF NOT EXISTS pageinspect;
DROP TABLE IF EXISTS osgres_tuple_golden;
DROP TABLE IF EXISTS osgres_mvcc_golden;
CREATE TABLE osgres_tuple_golden (a int2, b int4, c int8, d float8, e bool, f text, g varchar(10), h char(5),
    i numeric, j timestamp, k date);
INSERT INTO osgres_tuple_golden VALUES
  (1, 2, 3, 4.5, true, 'text', 'varchar', 'ab', 1.5, '2024-02-29 12:34:56.789012', '2024-02-29'),
  (-1, -2, -3, -0.25, false, '', '', '', 0, '1999-12-31 23:59:59', '1970-01-01'),
  (NULL, 7, NULL, NULL, NULL, 'x', NULL, NULL, -123456.789, NULL, NULL),
  (32767, 2147483647, 9223372036854775807, 1e300, true, repeat('long', 40), 'tenletters', 'fivec',
    12345678901234567890.0000000001, '2000-01-01 00:00:00', '2000-01-01'),
  (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (5, NULL, 6, NULL, true, NULL, 'v', NULL, 100, NULL, '1900-01-01'),
  (0, 0, 0, 0, false, 'é', 'ü', 'ß', 0.001, '2262-04-11 23:47:16', '9999-12-31'),
  (0, 0, 0, 0, false, 'numeric', NULL, NULL, 99999999, NULL, NULL),
  (0, 0, 0, 0, false, 'numeric', NULL, NULL, -0.00000001, NULL, NULL),
  (0, 0, 0, 0, false, 'numeric', NULL, NULL, 1000000, NULL, NULL);
CREATE TABLE osgres_mvcc_golden (id int, v text);
-- an index on v makes the UPDATE a plain one (no HOT), as osgres does it for now
CREATE INDEX osgres_mvcc_golden_v ON osgres_mvcc_golden (v);
INSERT INTO osgres_mvcc_golden VALUES (1, 'one'), (2, 'two'), (3, 'three');
UPDATE osgres_mvcc_golden SET v = 'uno' WHERE id = 1;
DELETE FROM osgres_mvcc_golden WHERE id = 2;
BEGIN;
SELECT id FROM osgres_mvcc_golden WHERE id = 3 FOR UPDATE;
COMMIT;
CHECKPOINT;
SQL
for t in osgres_tuple_golden osgres_mvcc_golden; do
  $PSQL -At -F '	' -c "SELECT lp, lp_off, lp_flags, lp_len, t_xmin, t_xmax, t_field3, t_ctid, t_infomask2, t_infomask,
      t_hoff, coalesce(t_bits, ''), encode(t_data, 'hex') FROM heap_page_items(get_raw_page('$t', 0)) ORDER BY lp" > $t.tsv
done
$PSQL -c "DROP TABLE osgres_tuple_golden" -c "DROP TABLE osgres_mvcc_golden"
