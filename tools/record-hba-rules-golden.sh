#!/bin/bash
# Records pg_hba_file_rules of the fixture hba-rules.conf from a scratch PostgreSQL 15 cluster
# (initdb as user pgref, port 5498), for HbaFileRulesViewTest. Run as root.
# Usage: tools/record-hba-rules-golden.sh
set -euo pipefail
R=$(cd "$(dirname "$0")/.." && pwd)/bundles/auth-hba/src/test/resources/org/osgres/auth/hba
PGBIN=/usr/lib/postgresql/15/bin
D=$(mktemp -d /tmp/hbarules.XXXXXX); chown pgref "$D"
su pgref -c "$PGBIN/initdb -D $D/data -U postgres --auth=trust" >/dev/null
su pgref -c "$PGBIN/pg_ctl -D $D/data -o '-p 5498 -k $D' -l $D/log -w start" >/dev/null
trap 'su pgref -c "$PGBIN/pg_ctl -D $D/data -m fast -w stop" >/dev/null; rm -rf "$D"' EXIT
cp "$R/hba-rules.conf" "$D/data/pg_hba.conf"
# array columns as JSON-like text so that quoting in elements is kept exactly
psql -h "$D" -p 5498 -U postgres -d postgres -X -q -A -t -F $'\t' -c "SELECT line_number, coalesce(type,'\N'),
  coalesce(database::text,'\N'), coalesce(user_name::text,'\N'), coalesce(address,'\N'), coalesce(netmask,'\N'),
  coalesce(auth_method,'\N'), coalesce(options::text,'\N'), coalesce(error,'\N') FROM pg_hba_file_rules" \
  > "$R/hba-rules.golden"
