#!/bin/bash
# Records password secrets made by PostgreSQL 15 (the reference server on port 5415) for the
# auth-hba unit tests: role, password, password_encryption, the rolpassword PostgreSQL stored.
# Usage: tools/record-auth-golden.sh > bundles/auth-hba/src/test/resources/org/osgres/auth/hba/pg-secrets.tsv
set -euo pipefail
PSQL=(psql -h /tmp -p "${PGPORT:-5415}" -U postgres -d postgres -X -q -A -t)
# role<TAB>password (non-ASCII ones exercise SASLprep as 002_saslprep.pl does)
cases=$'golden_a\tfoo\ngolden_b\tpassword with spaces\ngolden_c\tI\xc2\xadX\ngolden_d\t\xe2\x85\xa8\ngolden_e\t\xc2\xaa\ngolden_f\tx\xe2\x80\x8by\ngolden_g\t\xd8\xa7\xd9\x84\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a\xd8\xa9a\ngolden_h\t'
echo -e "# role\tpassword\tmethod\trolpassword (recorded from PostgreSQL 15 by tools/record-auth-golden.sh)"
while IFS=$'\t' read -r role pw; do
  [ -z "$pw" ] && pw='s3cr3t'
  for method in scram-sha-256 md5; do
    lit=${pw//\'/\'\'}
    "${PSQL[@]}" -c "DROP ROLE IF EXISTS $role" >/dev/null
    "${PSQL[@]}" -c "SET password_encryption = '$method'; CREATE ROLE $role PASSWORD '$lit'" >/dev/null
    secret=$("${PSQL[@]}" -c "SELECT rolpassword FROM pg_authid WHERE rolname = '$role'")
    "${PSQL[@]}" -c "DROP ROLE $role" >/dev/null
    printf '%s\t%s\t%s\t%s\n' "$role" "$pw" "$method" "$secret"
  done
done <<< "$cases"
