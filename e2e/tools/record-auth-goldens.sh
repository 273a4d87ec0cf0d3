#!/usr/bin/env bash
# Records PostgreSQL 15's answers for the authentication e2e tests (AuthTlsIT, AuthViewsIT,
# InitdbAuthIT) into e2e/src/test/resources/golden/auth/. Needs root, user pgref and openssl.
#   tls-auth.txt        CASE<TAB>SQLSTATE (server log, %e)<TAB>psql's first error line (or "ok")
#   hba_file_rules.txt  pg_hba_file_rules for hba_file_rules.conf (psql -A, '|' separated), ssl = off;
#                       hba_file_rules-ssl.txt the same with ssl = on
#   role-views.txt      QUERY-ID<TAB>psql -A output (rows joined by \n) or its ERROR line
#   initdb-errors.txt   CASE<TAB>exit code<TAB>initdb's stderr (lines joined by \n), paths as
#                       DATADIR, PWFILE, EMPTYFILE, NONEMPTY, NOSUCHFILE
# A scratch cluster (port 5521, socket in the work directory) is made and stopped.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT="$REPO/e2e/src/test/resources/golden/auth"
PGBIN=/usr/lib/postgresql/15/bin
PORT=5521
W=$(mktemp -d /tmp/osgres-auth-rec-XXXXXX)
chmod 755 "$W"
cd "$W"
stop() { su pgref -c "$PGBIN/pg_ctl -D $W/data -m fast stop" >/dev/null 2>&1 || true; rm -rf "$W"; }
trap stop EXIT
mkdir -p "$OUT"

# ------------------------------------------------------------ the test CA (as TestCertificates)
o() { openssl "$@" >/dev/null 2>&1; }
o req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 30 -subj "/CN=osgres test CA"
issue() {  # NAME SUBJECT [EXT]
  o req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2"
  if [ -n "${3:-}" ]; then echo "$3" > "$1.ext"; o x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$1.crt" -days 30 -extfile "$1.ext"
  else o x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$1.crt" -days 30; fi
  chmod 600 "$1.key"
}
issue server "/CN=localhost" "subjectAltName=DNS:localhost,IP:127.0.0.1"
issue client "/CN=alice/O=Osgres Test, Inc./C=DE"
issue vf "/CN=vf_user"
chown -R pgref "$W"

su pgref -c "$PGBIN/initdb -D $W/data -U postgres --auth=trust" >/dev/null
cp server.crt server.key ca.crt data/
chown pgref data/*
cat >> data/postgresql.conf <<CONF
ssl = on
ssl_ca_file = 'ca.crt'
ssl_min_protocol_version = 'TLSv1.3'
listen_addresses = '127.0.0.1'
unix_socket_directories = '$W'
log_line_prefix = '%e '
logging_collector = off
CONF
# the lines AuthTlsIT writes (its probe and superuser lines aside)
cat > data/pg_hba.conf <<HBA
local all all trust
hostssl all alice,bob 127.0.0.1/32 cert
hostssl all carol,dave 127.0.0.1/32 cert map=certmap
hostssl all vf_user 127.0.0.1/32 scram-sha-256 clientcert=verify-full
host all scram_cb 127.0.0.1/32 scram-sha-256
HBA
echo "certmap alice carol" > data/pg_ident.conf
su pgref -c "$PGBIN/pg_ctl -D $W/data -o '-p $PORT' -l $W/log -w start" >/dev/null
SQL() { psql -X -q -h "$W" -p $PORT -U postgres -d postgres "$@"; }
SQL -c "CREATE ROLE alice LOGIN" -c "CREATE ROLE bob LOGIN" -c "CREATE ROLE carol LOGIN" \
    -c "CREATE ROLE dave LOGIN" -c "SET password_encryption = 'scram-sha-256'" \
    -c "CREATE ROLE vf_user LOGIN PASSWORD 'pw'" -c "CREATE ROLE scram_cb LOGIN PASSWORD 'pw'"

# ------------------------------------------------------------ tls-auth.txt
tls() {  # CASE USER "CONNINFO"
  local before after out state
  before=$(wc -l < log)
  out=$(PGPASSWORD=pw PGCONNECT_TIMEOUT=10 psql -X -w -A -t "host=127.0.0.1 port=$PORT dbname=postgres user=$2 $3" -c "select 1" 2>&1 || true)
  if [ "$out" = "1" ]; then out=ok; else out=$(printf '%s\n' "$out" | grep -m1 -E 'FATAL|error|failed|required' | sed 's/^psql: error: //; s/^connection to server at "[^"]*"\( ([^)]*)\)\{0,1\}, port [0-9]* failed: //'); fi
  after=$(tail -n +$((before + 1)) log | grep -m1 -E '^[0-9A-Z]{5} FATAL:' | cut -c1-5 || true)
  printf '%s\t%s\t%s\n' "$1" "${after:--}" "$out"
}
CERT="sslmode=require sslcert=$W/client.crt sslkey=$W/client.key"
VF="sslmode=require sslcert=$W/vf.crt sslkey=$W/vf.key"
{
  tls cert-ok alice "$CERT"
  tls cert-wrong-cn bob "$CERT"
  tls cert-no-certificate alice "sslmode=require sslcert=$W/none.crt"
  tls cert-map-ok carol "$CERT"
  tls cert-map-no-match dave "$CERT"
  tls verify-full-ok vf_user "$VF"
  tls verify-full-wrong-cn vf_user "$CERT"
  tls verify-full-wrong-password vf_user "$VF password=wrong"
  tls verify-full-no-certificate vf_user "sslmode=require sslcert=$W/none.crt"
  tls channel-binding-require-tls scram_cb "sslmode=require channel_binding=require"
  tls channel-binding-require-no-tls scram_cb "sslmode=disable channel_binding=require"
  tls channel-binding-disable-tls scram_cb "sslmode=require channel_binding=disable"
  tls scram-wrong-password-tls scram_cb "sslmode=require channel_binding=require password=wrong"
} > "$OUT/tls-auth.txt"  # password= in the conninfo wins over PGPASSWORD

# ------------------------------------------------------------ hba_file_rules*.txt
# with ssl = on (AuthTlsIT's server), then with ssl = off (AuthViewsIT's): hostssl lines then
# carry "hostssl record cannot match because SSL is disabled"
rules() {  # OUTFILE
  cp data/pg_hba.conf hba.saved
  cp "$OUT/hba_file_rules.conf" data/pg_hba.conf
  chown pgref data/pg_hba.conf
  SQL -A -F '|' -P null='(null)' -P footer=off -c "SELECT line_number, type, database, user_name, address, netmask, auth_method, options, error FROM pg_hba_file_rules ORDER BY line_number" > "$1"
  cp hba.saved data/pg_hba.conf
}
rules "$OUT/hba_file_rules-ssl.txt"
su pgref -c "$PGBIN/pg_ctl -D $W/data -m fast -w stop" >/dev/null
su pgref -c "$PGBIN/pg_ctl -D $W/data -o '-p $PORT -c ssl=off' -l $W/log -w start" >/dev/null
rules "$OUT/hba_file_rules.txt"

# ------------------------------------------------------------ role-views.txt
SQL -c "CREATE ROLE viewer LOGIN PASSWORD 'pw'" -c "CREATE ROLE grp NOLOGIN" -c "GRANT grp TO viewer" \
    -c "GRANT grp TO alice WITH ADMIN OPTION"
views() {  # ID USER QUERY
  local out
  out=$(psql -X -A -F '|' -P footer=off -h "$W" -p $PORT -U "$2" -d postgres -c "$3" 2>&1 || true)
  printf '%s\t%s\n' "$1" "$(printf '%s' "$out" | sed ':a;N;$!ba;s/\n/\\n/g')"
}
{
  views authid-as-viewer viewer "SELECT rolname FROM pg_authid"
  views shadow-as-viewer viewer "SELECT usename FROM pg_shadow"
  views authid-as-superuser postgres "SELECT rolname, rolsuper, rolcanlogin, rolpassword IS NOT NULL AS has_password, left(rolpassword, 14) AS kind FROM pg_authid WHERE rolname IN ('viewer', 'grp') ORDER BY rolname"
  views roles-as-viewer viewer "SELECT rolname, rolpassword, rolsuper, rolinherit, rolcanlogin FROM pg_roles WHERE rolname IN ('viewer', 'grp', 'alice') ORDER BY rolname"
  views user-as-viewer viewer "SELECT usename, passwd, usesuper FROM pg_user WHERE usename IN ('viewer', 'alice') ORDER BY usename"
  views auth-members postgres "SELECT r.rolname AS role, m.rolname AS member, a.grantor = 10 AS by_bootstrap, a.admin_option FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member WHERE r.rolname = 'grp' ORDER BY m.rolname"
  views revoke postgres "REVOKE grp FROM viewer"
  views auth-members-after-revoke viewer "SELECT r.rolname AS role, m.rolname AS member FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member WHERE r.rolname = 'grp' ORDER BY m.rolname"
} > "$OUT/role-views.txt"

# ------------------------------------------------------------ initdb-errors.txt
mkdir -p nonempty && touch nonempty/x && : > empty.pw && echo secret > pw.txt
chown -R pgref "$W"
initdb_case() {  # CASE ARGS... (DATADIR etc. substituted)
  local name=$1; shift
  local args="$*" out rc
  args=${args//DATADIR/$W/newdata}; args=${args//NONEMPTY/$W/nonempty}; args=${args//EMPTYFILE/$W/empty.pw}
  args=${args//NOSUCHFILE/$W/nosuch.pw}; args=${args//PWFILE/$W/pw.txt}
  set +e
  out=$(su pgref -c "cd $W && env -u PGDATA $PGBIN/initdb $args" 2>&1 >/dev/null)
  rc=$?
  set -e
  rm -rf "$W/newdata"
  out=${out//$W\/newdata/DATADIR}; out=${out//$W\/nonempty/NONEMPTY}; out=${out//$W\/empty.pw/EMPTYFILE}
  out=${out//$W\/nosuch.pw/NOSUCHFILE}; out=${out//$W\/pw.txt/PWFILE}
  printf '%s\t%s\t%s\n' "$name" "$rc" "$(printf '%s' "$out" | sed ':a;N;$!ba;s/\n/\\n/g')"
}
{
  initdb_case auth-unknown -D DATADIR --auth=foo
  initdb_case auth-local-invalid -D DATADIR --auth-local=cert
  initdb_case auth-host-invalid -D DATADIR --auth-host=peer
  initdb_case password-needed -D DATADIR --auth=scram-sha-256
  initdb_case password-needed-md5 -D DATADIR --auth-local=md5 --auth-host=password
  initdb_case pwfile-missing -D DATADIR --auth=scram-sha-256 --pwfile=NOSUCHFILE
  initdb_case pwfile-empty -D DATADIR --auth=scram-sha-256 --pwfile=EMPTYFILE
  initdb_case superuser-pg -D DATADIR -U pg_admin
  initdb_case no-data-directory --auth=trust
  initdb_case not-empty -D NONEMPTY --auth=trust
} > "$OUT/initdb-errors.txt"
cat "$OUT"/tls-auth.txt "$OUT"/hba_file_rules*.txt "$OUT"/role-views.txt "$OUT"/initdb-errors.txt
