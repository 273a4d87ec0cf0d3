#!/bin/sh
# gen-guc-table.sh: writes osgres's GUC table from a PostgreSQL 15 reference server's pg_settings.
#
# Usage: tools/gen-guc-table.sh [psql connection options]
#   default: -h /tmp -p 5415 -U postgres -d postgres (the reference server on the build machine)
#
# Output: bundles/config/src/main/resources/org/osgres/config/pg_settings.tsv, in COPY text
# format (tab-separated, \N for NULL, backslash escapes), one setting per line, columns:
#   name vartype unit category short_desc context min_val max_val enumvals boot_val reported
# enumvals are joined with ','; reported is t for PostgreSQL 15's GUC_REPORT set (pg_settings does
# not show that flag, so the list is written here). Settings that pg_settings hides
# (GUC_NO_SHOW_ALL: is_superuser, session_authorization, role, seed) are added by hand from guc.c.
# The osgres-specific boot values (server_version, data_directory, ...) are applied in GucTable.
set -eu
cd "$(dirname "$0")/.."
OUT=bundles/config/src/main/resources/org/osgres/config/pg_settings.tsv
if [ $# -eq 0 ]; then set -- -h /tmp -p 5415 -U postgres -d postgres; fi

psql -X -q -v ON_ERROR_STOP=1 "$@" <<'SQL' > "$OUT.tmp"
\copy (WITH reported(name) AS (VALUES ('application_name'), ('client_encoding'), ('DateStyle'), ('default_transaction_read_only'), ('in_hot_standby'), ('integer_datetimes'), ('IntervalStyle'), ('is_superuser'), ('server_encoding'), ('server_version'), ('session_authorization'), ('standard_conforming_strings'), ('TimeZone')), hidden(name, vartype, unit, category, short_desc, context, min_val, max_val, enumvals, boot_val) AS (VALUES ('is_superuser', 'bool', NULL, 'Ungrouped', 'Shows whether the current user is a superuser.', 'internal', NULL, NULL, NULL::text[], 'off'), ('role', 'string', NULL, 'Ungrouped', 'Sets the current role.', 'user', NULL, NULL, NULL, 'none'), ('seed', 'real', NULL, 'Ungrouped', 'Sets the seed for random-number generation.', 'user', '-1', '1', NULL, '0'), ('session_authorization', 'string', NULL, 'Ungrouped', 'Sets the session user name.', 'user', NULL, NULL, NULL, NULL)), allsettings AS (SELECT name, vartype, unit, category, short_desc, context, min_val, max_val, enumvals, boot_val FROM pg_settings UNION ALL SELECT * FROM hidden WHERE name NOT IN (SELECT name FROM pg_settings)) SELECT s.name, s.vartype, s.unit, s.category, s.short_desc, s.context, s.min_val, s.max_val, array_to_string(s.enumvals, ','), s.boot_val, CASE WHEN r.name IS NULL THEN 'f' ELSE 't' END FROM allsettings s LEFT JOIN reported r ON r.name = s.name ORDER BY lower(s.name)) TO STDOUT
SQL
mv "$OUT.tmp" "$OUT"
echo "wrote $(wc -l < "$OUT") settings to $OUT"
