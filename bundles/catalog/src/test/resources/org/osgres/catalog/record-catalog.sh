#!/bin/sh
# Records what the catalog bundle takes from PostgreSQL 15 (default: the reference server,
# -h /tmp -p 5415 -U postgres):
#  - ../../../../../main/resources/org/osgres/catalog/pg_type.tsv: the pg_type rows bootstrap
#    writes (the types osgres stores and their array types), regprocs as oids;
#  - ../../../../../main/resources/org/osgres/catalog/btree_opclass.tsv: the default btree
#    operator class of each (pg_index.indclass);
#  - catalog-columns.tsv: each bootstrap catalog's columns (attname, atttypid, attlen, attnotnull);
#  - errors.txt: DDL errors and notices with SQLSTATEs (VERBOSITY verbose, LOCATION lines cut);
#  - index-names.txt: the names ChooseRelationName gives.
# Usage: record-catalog.sh [psql options]
set -eu
cd "$(dirname "$0")"
PSQL="psql -X -q -h /tmp -p 5415 -U postgres ${*:-}"
TYPES="16,17,18,19,20,21,22,23,24,25,26,28,30,194,700,701,1042,1043,1082,1114,1700"
$PSQL -d postgres -At -F '	' -c "SELECT oid, typname, typnamespace, typowner, typlen, typbyval, typtype, typcategory,
    typispreferred, typisdefined, typdelim, typrelid, typsubscript::oid, typelem, typarray, typinput::oid, typoutput::oid,
    typreceive::oid, typsend::oid, typmodin::oid, typmodout::oid, typanalyze::oid, typalign, typstorage, typnotnull,
    typbasetype, typtypmod, typndims, typcollation
  FROM pg_type WHERE oid IN ($TYPES) OR oid IN (SELECT typarray FROM pg_type WHERE oid IN ($TYPES))
  ORDER BY oid" > ../../../../../main/resources/org/osgres/catalog/pg_type.tsv
$PSQL -d postgres -At -F '	' -c "SELECT opcintype, oid, opcname FROM pg_opclass
  WHERE opcmethod = 403 AND opcdefault AND opcintype IN ($TYPES) ORDER BY opcintype" \
  > ../../../../../main/resources/org/osgres/catalog/btree_opclass.tsv
for c in pg_class pg_attribute pg_type pg_namespace pg_index pg_constraint pg_attrdef pg_database; do
  $PSQL -d postgres -At -F '	' -c "SELECT '$c', attnum, attname, atttypid, attlen, attnotnull FROM pg_attribute
      WHERE attrelid = '$c'::regclass AND attnum > 0 ORDER BY attnum"
done > catalog-columns.tsv
$PSQL -d postgres -c "DROP DATABASE IF EXISTS osgres_cat" -c "CREATE DATABASE osgres_cat"
$PSQL -d osgres_cat 2>&1 <<'SQL' | grep -v '^LOCATION' > errors.txt || true
\set VERBOSITY verbose
\echo -- create twice
CREATE TABLE t (a int);
CREATE TABLE t (a int);
\echo -- missing schema
CREATE TABLE nosuch.t (a int);
SELECT * FROM nosuch.t;
\echo -- empty search path
SET search_path = '';
CREATE TABLE u (a int);
RESET search_path;
\echo -- missing relation
SELECT * FROM nosuch;
SELECT * FROM public.nosuch;
\echo -- index name in use
CREATE INDEX t ON t (a);
CREATE INDEX IF NOT EXISTS t ON t (a);
\echo -- two primary keys
ALTER TABLE t ADD PRIMARY KEY (a);
ALTER TABLE t ADD PRIMARY KEY (a);
\echo -- nulls in a new primary key
CREATE TABLE n (a int, b int);
INSERT INTO n VALUES (NULL, 1);
ALTER TABLE n ADD PRIMARY KEY (a);
\echo -- duplicates in a new unique index
INSERT INTO n VALUES (1, 1);
CREATE UNIQUE INDEX n_b ON n (b);
\echo -- foreign key without a unique index
CREATE TABLE c (a int, b int);
ALTER TABLE c ADD FOREIGN KEY (b) REFERENCES n (b);
\echo -- foreign key to a table without a primary key, and a constraint name in use
ALTER TABLE c ADD FOREIGN KEY (a) REFERENCES c;
CREATE UNIQUE INDEX c_b ON c (b);
ALTER TABLE c ADD CONSTRAINT c_self FOREIGN KEY (a) REFERENCES c (b);
ALTER TABLE c ADD CONSTRAINT c_self FOREIGN KEY (a) REFERENCES c (b);
ALTER TABLE c DROP CONSTRAINT c_self;
DROP INDEX c_b;
\echo -- foreign key violated by a row
INSERT INTO c VALUES (5, 5);
ALTER TABLE c ADD FOREIGN KEY (a) REFERENCES t;
\echo -- drop a referenced table
DELETE FROM c;
ALTER TABLE c ADD FOREIGN KEY (a) REFERENCES t;
DROP TABLE t;
DROP TABLE t CASCADE;
\echo -- truncate a referenced table
CREATE TABLE p (a int PRIMARY KEY);
CREATE TABLE r (a int REFERENCES p);
TRUNCATE p;
\echo -- databases
CREATE DATABASE postgres;
CREATE DATABASE x TEMPLATE nosuch;
DROP DATABASE nosuch;
DROP DATABASE IF EXISTS nosuch;
DROP DATABASE template1;
DROP DATABASE osgres_cat;
BEGIN;
CREATE DATABASE y;
ROLLBACK;
SQL
$PSQL -d postgres -c "DROP DATABASE osgres_cat" -c "CREATE DATABASE osgres_cat"
psql -X -q -h /tmp -p 5415 -U postgres -d osgres_cat -c "SELECT pg_sleep(14)" >/dev/null &
SLEEPER=$!
$PSQL -d postgres -At 2>&1 <<'SQL' | grep -v '^LOCATION' >> errors.txt || true
\set VERBOSITY verbose
SELECT pg_sleep(1);
\echo -- databases in use
DROP DATABASE osgres_cat;
CREATE DATABASE osgres_cat2 TEMPLATE osgres_cat;
SQL
wait $SLEEPER
$PSQL -d postgres -c "DROP DATABASE osgres_cat"
psql -X -q -h /tmp -p 5415 -U postgres -d template0 -c "SELECT 1" 2>&1 | sed 's/^psql: error: [^F]*FATAL/FATAL/' >> errors.txt || true
$PSQL -d postgres 2>&1 <<'SQL' > index-names.txt
DROP TABLE IF EXISTS osgres_names CASCADE;
DROP TABLE IF EXISTS osgres_names_ref CASCADE;
CREATE TABLE osgres_names (a int PRIMARY KEY, b int UNIQUE, c int);
CREATE INDEX ON osgres_names (c);
CREATE INDEX ON osgres_names (c);
CREATE INDEX ON osgres_names (b, c);
CREATE UNIQUE INDEX ON osgres_names (c);
ALTER TABLE osgres_names ADD UNIQUE (b);
CREATE TABLE osgres_names_ref (x int REFERENCES osgres_names, y int, z int);
ALTER TABLE osgres_names_ref ADD FOREIGN KEY (y) REFERENCES osgres_names (b);
ALTER TABLE osgres_names_ref ADD FOREIGN KEY (y) REFERENCES osgres_names (b);
CREATE INDEX ON osgres_names_ref (y);
SELECT c.relname FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid
  WHERE i.indrelid IN ('osgres_names'::regclass, 'osgres_names_ref'::regclass) ORDER BY c.oid;
SELECT conname FROM pg_constraint WHERE conrelid IN ('osgres_names'::regclass, 'osgres_names_ref'::regclass) ORDER BY oid;
DROP TABLE osgres_names_ref, osgres_names;
SQL
