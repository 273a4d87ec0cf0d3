#!/bin/sh
# Records heap tuples of the catalogs' column types written by PostgreSQL 15 (pageinspect) for
# HeapCatalogTypesTest: name, oid, "char", float4, int2vector, oidvector, int2[], oid[], xid,
# regproc, text[], with NULLs and empty vectors.
# Usage: record-catalog-types.sh [psql options]   (default: the reference server, -h /tmp -p 5415 -U postgres)
set -eu
cd "$(dirname "$0")"
PSQL="psql -X -q -v ON_ERROR_STOP=1 -h /tmp -p 5415 -U postgres -d postgres ${*:-}"
$PSQL <<'SQL'
CREATE EXTENSION IF NOT EXISTS pageinspect;
DROP TABLE IF EXISTS osgres_catalog_types;
CREATE TABLE osgres_catalog_types (a name, b oid, c "char", d float4, e int2vector, f oidvector, g int2[], h oid[],
    i xid, j regproc, k text[]);
INSERT INTO osgres_catalog_types VALUES
  ('pg_class', 1259, 'r', 1.5, '1 2 3', '1978 1979', '{1,2}', '{16384,4294967295}', '2', 42::oid::regproc, '{fillfactor=70,ab}'),
  ('', 0, 'x', -0.25, '', '', '{}', '{}', '0', 0::oid::regproc, '{}'),
  (NULL, 7, NULL, NULL, '5', NULL, NULL, NULL, NULL, NULL, NULL),
  (repeat('n', 63), 4294967295, 'a', 3.4e38, '-1 32767', '26', '{-5}', '{26,23,25}', '4294967295', 2::oid::regproc, ARRAY[repeat('x', 130), 'y']),
  ('héllo', 1, NULL, 0, '', '', NULL, '{}', '3', NULL, '{é}');
CHECKPOINT;
SQL
$PSQL -At -F '	' -c "SELECT lp, lp_off, lp_flags, lp_len, t_xmin, t_xmax, t_field3, t_ctid, t_infomask2, t_infomask,
    t_hoff, coalesce(t_bits, ''), encode(t_data, 'hex') FROM heap_page_items(get_raw_page('osgres_catalog_types', 0)) ORDER BY lp" \
    > osgres_catalog_types.tsv
$PSQL -c "DROP TABLE osgres_catalog_types"
