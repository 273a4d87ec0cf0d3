# bench/lib.sh: what the side-by-side benchmarks share. Source it after setting TMP (a scratch
# directory the script removes on exit).

# A TCP port nothing listens on now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits until a server answers on 127.0.0.1:$1 (60 s at most).
wait_ready() {
  for _ in $(seq 1 600); do pg_isready -q -h 127.0.0.1 -p "$1" && return 0; sleep 0.1; done
  echo "server on port $1 did not become ready" >&2
  return 1
}

# PostgreSQL's initdb refuses root: as root, run its binaries through "${as_pg[@]}" as user
# pgref, who gets $TMP.
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  id pgref >/dev/null 2>&1 || useradd -m pgref
  chown pgref "$TMP"
  as_pg=(setpriv --reuid=pgref --regid=pgref --init-groups)
fi
