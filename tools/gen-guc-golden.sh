#!/bin/bash
# gen-guc-golden.sh: records PostgreSQL 15's answers to SET/SHOW into golden files for the
# config bundle's tests (GucGoldenTest).
#
# Usage: tools/gen-guc-golden.sh [psql connection options]   (default: the reference on 5415)
#
# Writes under bundles/config/src/test/resources/org/osgres/config/:
#   set-golden.tsv   name, value, then either "ok", pg_settings.setting, SHOW output
#                    or "error", SQLSTATE, message, detail, hint   (SET through set_config())
#   alter-golden.tsv the same "error" columns for values that ALTER SYSTEM rejects
#                    (postmaster/sighup settings that SET cannot reach); only invalid values
#   show-golden.tsv  name, pg_settings.setting, current_setting(): every setting as it stands
set -eu
cd "$(dirname "$0")/.."
DIR=bundles/config/src/test/resources/org/osgres/config
if [ $# -eq 0 ]; then set -- -h /tmp -p 5415 -U postgres -d postgres; fi
PSQL=(psql -X -q -A -t -F $'\t' -v ON_ERROR_STOP=1 "$@")

# name<TAB>value for SET
SET_CASES='work_mem	64MB
work_mem	1GB
work_mem	4096
work_mem	1.5MB
work_mem	1024kB
work_mem	100000kB
work_mem	2TB
work_mem	64 MB
work_mem	0x1000
work_mem	010
work_mem	1e3
work_mem	abc
work_mem	10XB
work_mem	10 ms
work_mem	10
work_mem	-1
work_mem	3000000000
work_mem	1.5
work_mem	1024B
work_mem	1500B
work_mem	0.5kB
maintenance_work_mem	1GB
maintenance_work_mem	65536
temp_buffers	16MB
temp_buffers	800
temp_buffers	1000kB
effective_cache_size	4GB
effective_cache_size	100
effective_cache_size	12345
statement_timeout	0
statement_timeout	5s
statement_timeout	300000
statement_timeout	90min
statement_timeout	1d
statement_timeout	1.5s
statement_timeout	1500us
statement_timeout	1h
statement_timeout	25h
statement_timeout	-5
statement_timeout	10 parsecs
statement_timeout	12345
lock_timeout	60000
idle_in_transaction_session_timeout	2min
log_min_duration_statement	-1
log_min_duration_statement	250ms
log_min_duration_statement	1s
log_rotation_age	1d
log_rotation_age	90
log_rotation_size	10MB
log_rotation_size	1GB
log_temp_files	-1
log_temp_files	1024
log_autovacuum_min_duration	1min
vacuum_cost_delay	1.5ms
vacuum_cost_delay	2
vacuum_cost_delay	1500us
vacuum_cost_delay	0.1s
vacuum_cost_delay	101
vacuum_cost_delay	abc
vacuum_cost_limit	200
vacuum_cost_limit	0
vacuum_cost_limit	20000
random_page_cost	1.1
random_page_cost	4
random_page_cost	1e10
random_page_cost	-1
random_page_cost	0.000001
seq_page_cost	2.5
cpu_tuple_cost	0.01
cursor_tuple_fraction	0.1
cursor_tuple_fraction	1.5
geqo_selection_bias	2
extra_float_digits	3
extra_float_digits	4
deadlock_timeout	1s
gin_pending_list_limit	4MB
enable_seqscan	off
enable_seqscan	OFF
enable_seqscan	of
enable_seqscan	o
enable_seqscan	t
enable_seqscan	TRUE
enable_seqscan	tr
enable_seqscan	yes
enable_seqscan	y
enable_seqscan	n
enable_seqscan	1
enable_seqscan	0
enable_seqscan	2
enable_seqscan	truex
enable_seqscan	maybe
enable_seqscan	f
enable_seqscan	fal
standard_conforming_strings	on
synchronous_commit	local
synchronous_commit	remote_write
synchronous_commit	yes
synchronous_commit	true
synchronous_commit	0
synchronous_commit	LOCAL
synchronous_commit	bogus
client_min_messages	debug
client_min_messages	info
client_min_messages	WARNING
client_min_messages	fatal
log_min_messages	debug
log_min_messages	fatal
log_error_verbosity	verbose
log_statement	ddl
IntervalStyle	postgres_verbose
IntervalStyle	sql
default_transaction_isolation	repeatable read
default_transaction_isolation	SERIALIZABLE
default_transaction_isolation	snapshot
bytea_output	escape
xmloption	document
backslash_quote	yes
constraint_exclusion	1
compute_query_id	yes
force_parallel_mode	true
password_encryption	md5
password_encryption	on
wal_compression	on
wal_compression	true
plan_cache_mode	force_custom_plan
DateStyle	iso, mdy
DateStyle	SQL
DateStyle	sql, dmy
DateStyle	German
DateStyle	Postgres, YMD
DateStyle	euro
DateStyle	US
DateStyle	ymd
DateStyle	ISO, SQL
DateStyle	foo
DateStyle	default
application_name	myapp
search_path	foo, bar
nosuchsetting	1
myext.custom	hello
commit_delay	100
commit_delay	100001
commit_siblings	5
default_statistics_target	1000
default_statistics_target	10001
geqo_threshold	1
from_collapse_limit	8
max_parallel_workers_per_gather	4
temp_file_limit	-1
temp_file_limit	10GB
vacuum_freeze_min_age	50000000
wal_skip_threshold	2MB
wal_skip_threshold	1GB
tcp_keepalives_idle	60
tcp_user_timeout	1s
work_mem	 64MB
work_mem	64MB 
work_mem	+64MB
work_mem	64mb
work_mem	64M
work_mem	1e400
work_mem	nan
work_mem	inf
vacuum_cost_delay	1e400
vacuum_cost_delay	nan
vacuum_cost_delay	0x10
vacuum_cost_delay	  3  ms  
effective_io_concurrency	0
logical_decoding_work_mem	64MB
hash_mem_multiplier	2.0
jit_above_cost	100000
jit_above_cost	-1
min_parallel_table_scan_size	8MB
min_parallel_table_scan_size	1000
statement_timeout	0.5
statement_timeout	0.4
statement_timeout	0.6ms
statement_timeout	1.5min
statement_timeout	1s 5
statement_timeout	s'

cases() {
  printf '%s\n' "$SET_CASES" | while IFS=$'\t' read -r n v; do
    printf "SELECT %s, %s, pg_temp.try_set(%s, %s);\n" \
      "$(sqlq "$n")" "$(sqlq "$v")" "$(sqlq "$n")" "$(sqlq "$v")"
  done
}
sqlq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }

{
cat <<'SQL'
CREATE FUNCTION pg_temp.try_set(n text, v text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text; det text; hin text;
BEGIN
  BEGIN
    PERFORM set_config(n, v, false);
    RETURN 'ok' || chr(9) || coalesce((SELECT setting FROM pg_settings WHERE name = n), current_setting(n))
                || chr(9) || current_setting(n);
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, hin = PG_EXCEPTION_HINT;
    RETURN 'error' || chr(9) || st || chr(9) || msg || chr(9) || coalesce(det, '') || chr(9) || coalesce(hin, '');
  END;
END $$;
SQL
cases
} | "${PSQL[@]}" > "$DIR/set-golden.tsv"

# Invalid values for settings SET cannot reach: ALTER SYSTEM validates them the same way.
ALTER_CASES='port	abc
port	70000
port	5432x
port	0
shared_buffers	1kB
shared_buffers	128 parsecs
shared_buffers	10000000000
max_connections	0
max_connections	many
checkpoint_timeout	10
checkpoint_timeout	2d
wal_level	bogus
archive_mode	maybe
huge_pages	perhaps'
: > "$DIR/alter-golden.tsv"
printf '%s\n' "$ALTER_CASES" | while IFS=$'\t' read -r n v; do
  [ -n "$n" ] || continue
  out=$("${PSQL[@]}" -v VERBOSITY=verbose -c "ALTER SYSTEM SET \"$n\" = $(sqlq "$v")" 2>&1 || true)
  if ! printf '%s' "$out" | grep -q '^ERROR:'; then
    "${PSQL[@]}" -c "ALTER SYSTEM RESET \"$n\"" >/dev/null
    echo "unexpectedly accepted: $n = $v" >&2; exit 1
  fi
  st=$(printf '%s\n' "$out" | sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\): .*/\1/p')
  msg=$(printf '%s\n' "$out" | sed -n 's/^ERROR:  [0-9A-Z]\{5\}: //p')
  det=$(printf '%s\n' "$out" | sed -n 's/^DETAIL:  //p')
  hin=$(printf '%s\n' "$out" | sed -n 's/^HINT:  //p')
  printf '%s\t%s\terror\t%s\t%s\t%s\t%s\n' "$n" "$v" "$st" "$msg" "$det" "$hin" >> "$DIR/alter-golden.tsv"
done

"${PSQL[@]}" -c "SELECT name, setting, current_setting(name) FROM pg_settings ORDER BY lower(name)" > "$DIR/show-golden.tsv"
wc -l "$DIR"/*-golden.tsv
