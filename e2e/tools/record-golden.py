#!/usr/bin/env python3
"""Record PostgreSQL 15's answers into e2e/src/test/resources/golden/.

Run as root on a machine with PostgreSQL 15 (/usr/lib/postgresql/15/bin) and a
user 'pgref' (initdb refuses root). It makes a scratch cluster with superuser
'root' and trust authentication, like `osgres initdb` as root, and records:

  protocol/*.txt  raw wire-protocol cases: the steps above the '---' line are
                  hand-written (a first step 'unix' connects through the Unix
                  socket: PostgreSQL built with GSSAPI answers a GSSENCRequest
                  with 'G' on TCP, 'N' on a Unix socket, and osgres has no
                  GSSAPI); the transcript below it is rewritten here.
                  ProtocolGoldenIT replays the same steps against osgres and
                  renders the answers the same way (keep the two in step).
  psql/*.txt      psql runs: arguments above the '---' line; exit code, stdout
                  and stderr below.
  pg_ctl/*.txt    pg_ctl messages and exit codes (status, stop), normalised.
  lockfile.txt    a second postmaster on a running data directory.

Usage: e2e/tools/record-golden.py [--keep]
"""
import os, socket, struct, subprocess, sys, tempfile, time, glob, re, shutil

PGBIN = '/usr/lib/postgresql/15/bin'
HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, '..', 'src', 'test', 'resources', 'golden')
SEP = '--- recorded from PostgreSQL 15 ---'
USER = 'root'
TIMEOUT = 5.0


def as_pgref(cmd, check=True):
    r = subprocess.run(['su', 'pgref', '-c', cmd], capture_output=True, text=True)
    if check and r.returncode != 0:
        sys.exit('failed: %s\n%s%s' % (cmd, r.stdout, r.stderr))
    return r


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    p = s.getsockname()[1]
    s.close()
    return p


# ---------------------------------------------------------------- protocol
def startup_packet(version, params):
    major, minor = (int(x) for x in version.split('.'))
    body = struct.pack('!I', (major << 16) | minor)
    for kv in params:
        k, v = kv.split('=', 1)
        body += k.encode() + b'\0' + v.encode() + b'\0'
    body += b'\0'
    return struct.pack('!I', len(body) + 4) + body


def recv_exact(sock, n):
    buf = b''
    while len(buf) < n:
        try:
            chunk = sock.recv(n - len(buf))
        except ConnectionResetError:
            return None
        if not chunk:
            return None
        buf += chunk
    return buf


FIELD_ORDER = 'SVCMDHP'


def render_message(t, payload):
    if t in 'EN':
        fields = {}
        for part in payload.split(b'\0'):
            if part:
                fields[chr(part[0])] = part[1:].decode()
        return 'msg %s %s' % (t, '|'.join('%s=%s' % (c, fields[c]) for c in FIELD_ORDER if c in fields))
    if t == 'S':
        return 'msg S ' + payload.split(b'\0')[0].decode()
    if t == 'K':
        return 'msg K'
    return ('msg %s %s' % (t, payload.hex())).rstrip()


def read_messages(sock, out):
    while True:
        hdr = recv_exact(sock, 5)
        if hdr is None:
            out.append('closed')
            return False
        t = chr(hdr[0])
        (n,) = struct.unpack('!I', hdr[1:])
        payload = recv_exact(sock, n - 4)
        if payload is None:
            out.append('closed')
            return False
        out.append(render_message(t, payload))
        if t == 'Z':
            return True


def read_raw(sock, out):
    data = b''
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            chunk = b''
        if not chunk:
            break
        data += chunk
    out.append('raw ' + data.hex())
    out.append('# text: ' + data.decode('latin-1').replace('\0', '\\0').replace('\n', '\\n'))
    out.append('closed')


def run_steps(steps, port, user, sockdir):
    out = []
    if steps and steps[0] == 'unix':
        steps = steps[1:]
        sock = socket.socket(socket.AF_UNIX)
        sock.connect(os.path.join(sockdir, '.s.PGSQL.%d' % port))
    else:
        sock = socket.create_connection(('127.0.0.1', port))
    sock.settimeout(TIMEOUT)
    try:
        for step in steps:
            op, _, arg = step.partition(' ')
            arg = arg.replace('{user}', user)
            try:
                if op == 'startup':
                    ver, *params = arg.split()
                    sock.sendall(startup_packet(ver, params))
                elif op == 'ssl':
                    sock.sendall(struct.pack('!II', 8, 80877103))
                elif op == 'gss':
                    sock.sendall(struct.pack('!II', 8, 80877104))
                elif op == 'cancel':
                    pid, key = (int(x) for x in arg.split())
                    sock.sendall(struct.pack('!IIii', 16, 80877102, pid, key))
                elif op == 'query':
                    q = arg.encode() + b'\0'
                    sock.sendall(b'Q' + struct.pack('!I', len(q) + 4) + q)
                elif op == 'terminate':
                    sock.sendall(b'X\0\0\0\4')
                elif op == 'raw':
                    sock.sendall(bytes.fromhex(arg.replace(' ', '')))
                elif op == 'shutdown':
                    sock.shutdown(socket.SHUT_WR)
                elif op == 'close':
                    sock.close()
                    return out
                elif op == 'read-byte':
                    b = recv_exact(sock, 1)
                    out.append('closed' if b is None else 'byte ' + b.hex())
                elif op == 'read':
                    read_messages(sock, out)
                elif op == 'read-raw':
                    read_raw(sock, out)
                else:
                    raise SystemExit('unknown step: ' + step)
            except socket.timeout:
                out.append('timeout')
                return out
    finally:
        sock.close()
    return out


def split_golden(path):
    lines = open(path).read().splitlines()
    head = lines[:lines.index(SEP)] if SEP in lines else lines
    return head


def record_protocol(port, sockdir):
    for path in sorted(glob.glob(os.path.join(GOLDEN, 'protocol', '*.txt'))):
        head = split_golden(path)
        steps = [l for l in head if l.strip() and not l.startswith('#')]
        out = run_steps(steps, port, USER, sockdir)
        with open(path, 'w') as f:
            f.write('\n'.join(head + [SEP] + out) + '\n')
        print('recorded', os.path.relpath(path, GOLDEN))


# ---------------------------------------------------------------- psql
def record_psql(port, sockdir):
    """psql/*.txt: the non-comment lines are psql's arguments, one a line, after
    -X -v ON_ERROR_STOP=1 -h HOST -p PORT -U USER -d postgres."""
    for path in sorted(glob.glob(os.path.join(GOLDEN, 'psql', '*.txt'))):
        head = split_golden(path)
        args = [l for l in head if l.strip() and not l.startswith('#')]
        argv = ['psql', '-X', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', str(port), '-U', USER, '-d', 'postgres'] + args
        r = subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                           env=dict(os.environ, PGAPPNAME='psql', LC_ALL='C.UTF-8'))
        out = ['exit %d' % r.returncode]
        out += ['stdout ' + l for l in r.stdout.splitlines()]
        out += ['stderr ' + l for l in r.stderr.splitlines()]
        with open(path, 'w') as f:
            f.write('\n'.join(head + [SEP] + out) + '\n')
        print('recorded', os.path.relpath(path, GOLDEN))


# ---------------------------------------------------------------- pg_ctl
def normalise(text, datadir, pid=None):
    text = text.replace(datadir, '{datadir}')
    if pid:
        text = re.sub(r'\b%d\b' % pid, '{pid}', text)
    text = re.sub(r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \w+ \[\d+\] ', '', text, flags=re.M)
    text = re.sub(r'\.{2,} done', '... done', text)
    return text


def write_golden(path, head, out):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write('\n'.join(head + [SEP] + out) + '\n')
    print('recorded', os.path.relpath(path, GOLDEN))


def record_ctl(tmp):
    datadir = os.path.join(tmp, 'ctl')
    as_pgref('%s/initdb -D %s -U %s --auth=trust' % (PGBIN, datadir, USER))
    port = free_port()
    log = os.path.join(tmp, 'ctl.log')

    def ctl(args):
        r = as_pgref('%s/pg_ctl %s' % (PGBIN, args), check=False)
        return r

    def pid_of():
        with open(os.path.join(datadir, 'postmaster.pid')) as f:
            return int(f.readline())

    r = ctl('start -D %s -w -l %s -o "-p %d -k %s"' % (datadir, log, port, tmp))
    pid = pid_of()
    cases = [('start', r)]
    cases.append(('status-running', ctl('status -D %s' % datadir)))
    # a second postmaster on the same data directory: the lock file
    r2 = as_pgref('%s/postgres -D %s -p %d -k %s' % (PGBIN, datadir, free_port(), tmp), check=False)
    write_golden(os.path.join(GOLDEN, 'lockfile.txt'),
                 ['# a second server started on a running data directory; {pid} is the first one'],
                 ['exit nonzero' if r2.returncode != 0 else 'exit 0']
                 + ['stderr ' + l for l in normalise(r2.stderr, datadir, pid).splitlines()])
    cases.append(('stop-fast', ctl('stop -D %s -m fast -w' % datadir)))
    cases.append(('status-stopped', ctl('status -D %s' % datadir)))
    cases.append(('stop-stopped', ctl('stop -D %s -m fast -w' % datadir)))
    for name, r in cases:
        out = ['exit %d' % r.returncode]
        out += ['stdout ' + l for l in normalise(r.stdout, datadir, pid).splitlines()]
        out += ['stderr ' + l for l in normalise(r.stderr, datadir, pid).splitlines()]
        write_golden(os.path.join(GOLDEN, 'pg_ctl', name + '.txt'),
                     ['# pg_ctl ' + name + '; {datadir} and {pid} are placeholders'], out)


def main():
    tmp = tempfile.mkdtemp(prefix='osgres-golden-')
    shutil.chown(tmp, 'pgref')
    os.chmod(tmp, 0o755)
    datadir = os.path.join(tmp, 'data')
    as_pgref('%s/initdb -D %s -U %s --auth=trust' % (PGBIN, datadir, USER))
    port = free_port()
    as_pgref('%s/pg_ctl -D %s -w -l %s/log -o "-p %d -k %s -c listen_addresses=127.0.0.1" start'
             % (PGBIN, datadir, tmp, port, tmp))
    try:
        record_protocol(port, tmp)
        record_psql(port, tmp)
    finally:
        as_pgref('%s/pg_ctl -D %s -m fast -w stop' % (PGBIN, datadir))
    record_ctl(tmp)
    if '--keep' not in sys.argv:
        shutil.rmtree(tmp)
    else:
        print('kept', tmp)


if __name__ == '__main__':
    main()
