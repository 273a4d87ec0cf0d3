#!/bin/sh
# copy-pg-samples.sh: copies PostgreSQL 15's postgresql.conf.sample and pg_hba.conf.sample into
# the config bundle, where DefaultConfigFiles fills them in as initdb does (PostgreSQL License).
set -eu
cd "$(dirname "$0")/.."
SHARE=${1:-/usr/share/postgresql/15}
cp "$SHARE/postgresql.conf.sample" "$SHARE/pg_hba.conf.sample" bundles/config/src/main/resources/org/osgres/config/initdb/
