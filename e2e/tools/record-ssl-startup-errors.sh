#!/usr/bin/env bash
# Records PostgreSQL 15's startup errors for bad ssl_* files and settings into
#   bundles/postmaster/src/test/resources/org/osgres/postmaster/tls/ssl-startup-errors.golden
# (SslServerContextTest compares osgres's messages with it). Needs root, user pgref and openssl.
# Each line: CASE<TAB>first FATAL message[\nDETAIL:  detail]; files as TestPki makes them.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT="$REPO/bundles/postmaster/src/test/resources/org/osgres/postmaster/tls/ssl-startup-errors.golden"
PGBIN=/usr/lib/postgresql/15/bin
W=$(mktemp -d /tmp/osgres-ssl-errors-XXXXXX)
trap 'rm -rf "$W"' EXIT
chmod 755 "$W"
cd "$W"
o() { openssl "$@" >/dev/null 2>&1; }
o req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 30 -subj "/CN=osgres test CA"
for n in server client; do
  o req -newkey rsa:2048 -nodes -keyout $n.key -out $n.csr -subj "/CN=$n"
  o x509 -req -in $n.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out $n.crt -days 30
done
chown -R pgref "$W"
su pgref -c "$PGBIN/initdb -D $W/data -U postgres --auth=trust" >/dev/null
cp server.crt server.key client.key ca.crt data/
echo garbage > data/garbage.pem
cp server.key data/open.key
chown pgref data/*
chmod 600 data/server.key data/client.key data/garbage.pem
chmod 644 data/open.key
run() {  # CASE SETTINGS...
  local name=$1; shift
  local msg
  msg=$(set +o pipefail; su pgref -c "timeout 10 $PGBIN/postgres -D $W/data -p 5519 -c listen_addresses= -c unix_socket_directories=$W -c ssl=on $*" 2>&1 \
    | sed 's/^[0-9-]* [0-9:.]* [A-Z]* \[[0-9]*\] //' | grep -A1 '^FATAL:' | sed 's/^FATAL:  //' \
    | sed "s#$W/data#DATADIR#g" | awk 'NR==1{printf "%s", $0} NR==2 && /^DETAIL:/{printf "\\n%s", $0}')
  printf '%s\t%s\n' "$name" "$msg"
}
{
  run missing-cert -c ssl_cert_file=nope.crt
  run missing-key -c ssl_key_file=nope.key
  run missing-ca -c ssl_ca_file=nope.crt
  run missing-crl -c ssl_ca_file=ca.crt -c ssl_crl_file=nope.crl
  run garbage-cert -c ssl_cert_file=garbage.pem
  run garbage-key -c ssl_key_file=garbage.pem
  run garbage-ca -c ssl_ca_file=garbage.pem
  run garbage-crl -c ssl_ca_file=ca.crt -c ssl_crl_file=garbage.pem
  run mismatched-key -c ssl_key_file=client.key
  run open-key -c ssl_key_file=open.key
  run directory-key -c ssl_key_file=$W/data
  run protocol-range -c ssl_min_protocol_version=TLSv1.3 -c ssl_max_protocol_version=TLSv1.2
  run bad-ciphers -c ssl_ciphers=foo
} > "$OUT"
cat "$OUT"
