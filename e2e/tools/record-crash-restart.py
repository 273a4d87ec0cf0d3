#!/usr/bin/env python3
"""Record what PostgreSQL 15 does on a crash and while it recovers, for CrashRestartIT.

Run as root on a machine with PostgreSQL 15 and a user 'pgref' (initdb refuses root). It makes
a scratch cluster in a temporary directory, and writes e2e/src/test/resources/golden/crash-restart/:

  warning.txt   the NoticeResponse an idle session gets when another backend crashes
                (kill -ABRT of that backend: what a PANIC's abort() does), field by field
  refused.txt   the ErrorResponse of a connection attempt while the crash recovery runs, and
                of one while the server starts up after an immediate shutdown
  log-lines.txt the postmaster's lines about the crash, as shapes: numbers replaced by N
  off.txt       with restart_after_crash=off: the postmaster's exit code, whether postmaster.pid
                is left, and its LOG lines from the crash on (shapes)

Usage: e2e/tools/record-crash-restart.py [--keep]
"""
import os, re, shutil, socket, struct, subprocess, sys, tempfile, time

PGBIN = '/usr/lib/postgresql/15/bin'
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'src', 'test', 'resources', 'golden', 'crash-restart')
PORT = 5499


def as_pgref(*argv):
    return subprocess.run(['setpriv', '--reuid=pgref', '--regid=pgref', '--init-groups', *argv],
                          check=True, capture_output=True, text=True)


def startup(sock):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock)
    params = b'user\0postgres\0database\0postgres\0\0'
    s.sendall(struct.pack('!ii', 8 + len(params), 196608) + params)
    return s


def read_all(s, timeout):
    s.settimeout(timeout)
    out = b''
    try:
        while True:
            d = s.recv(65536)
            if not d:
                break
            out += d
    except (socket.timeout, ConnectionResetError):
        pass
    return out


def messages(b):
    """(type, {field: value}) for each backend message."""
    res, i = [], 0
    while i + 5 <= len(b):
        t = chr(b[i])
        n = struct.unpack('!i', b[i + 1:i + 5])[0]
        body = b[i + 5:i + 1 + n]
        i += 1 + n
        fields = {}
        if t in 'EN':
            for f in body.split(b'\0'):
                if f:
                    fields[chr(f[0])] = f[1:].decode()
        res.append((t, fields))
    return res


def render(msg):
    """A message as the test renders it: type, then S V C M D H (only those present)."""
    t, f = msg
    return '|'.join([t] + [k + '=' + f[k] for k in 'SVCMDH' if k in f])


def main():
    keep = '--keep' in sys.argv
    work = tempfile.mkdtemp(prefix='osgres-crash-')
    os.chmod(work, 0o777)
    data, log, sock = os.path.join(work, 'data'), os.path.join(work, 'log'), os.path.join(work, 'sock')
    os.mkdir(sock)
    os.chmod(sock, 0o777)
    sockfile = os.path.join(sock, '.s.PGSQL.%d' % PORT)
    as_pgref(PGBIN + '/initdb', '-U', 'postgres', '--auth=trust', '-D', data)
    opts = '-p %d -k %s' % (PORT, sock)
    as_pgref(PGBIN + '/pg_ctl', '-D', data, '-o', opts, '-l', log, '-w', 'start')
    try:
        idle = startup(sockfile)
        read_all(idle, 0.5)
        victim = startup(sockfile)
        read_all(victim, 0.5)
        pid = read_pid(victim)
        os.kill(pid, 6)  # SIGABRT: what abort() after a PANIC does
        refused = []
        deadline = time.time() + 30
        while time.time() < deadline:
            c = startup(sockfile)
            got = messages(read_all(c, 0.5))
            if got and got[0][0] == 'E':
                if not refused:
                    refused.append(render(got[0]))
                continue
            if any(t == 'Z' for t, _ in got):
                break
        warning = [render(m) for m in messages(read_all(idle, 1.0)) if m[0] in 'EN']
        # and a start after an immediate shutdown: "starting up"
        as_pgref(PGBIN + '/pg_ctl', '-D', data, '-m', 'immediate', 'stop')
        subprocess.Popen(['setpriv', '--reuid=pgref', '--regid=pgref', '--init-groups',
                          PGBIN + '/pg_ctl', '-D', data, '-o', opts, '-l', log, 'start'],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                c = startup(sockfile)
            except OSError:
                time.sleep(0.001)
                continue
            got = messages(read_all(c, 0.5))
            if got and got[0][0] == 'E':
                refused.append(render(got[0]))
                break
            if any(t == 'Z' for t, _ in got):
                print('the start was too quick to see a refusal; run again', file=sys.stderr)
                break
        time.sleep(1)
        as_pgref(PGBIN + '/pg_ctl', '-D', data, '-m', 'fast', 'stop')
        off = restart_after_crash_off(data, sockfile, os.path.join(work, 'off.log'), opts)
        os.makedirs(OUT, exist_ok=True)
        with open(os.path.join(OUT, 'off.txt'), 'w') as f:
            f.write('\n'.join(off) + '\n')
        with open(os.path.join(OUT, 'warning.txt'), 'w') as f:
            f.write('\n'.join(warning) + '\n')
        with open(os.path.join(OUT, 'refused.txt'), 'w') as f:
            f.write('\n'.join(refused) + '\n')
        lines = []
        wanted = ('was terminated by signal', 'Failed process was running', 'terminating any other active',
                  'all server processes terminated', 'ready to accept connections')
        for line in open(log):
            m = re.search(r'\] ((LOG|DETAIL|FATAL):  .*)$', line.rstrip('\n'))
            if m and any(w in m.group(1) for w in wanted):
                lines.append(re.sub(r'\d+', 'N', m.group(1)))
        with open(os.path.join(OUT, 'log-lines.txt'), 'w') as f:
            f.write('\n'.join(dict.fromkeys(lines)) + '\n')
    finally:
        subprocess.run(['setpriv', '--reuid=pgref', '--regid=pgref', '--init-groups',
                        PGBIN + '/pg_ctl', '-D', data, '-m', 'immediate', 'stop'], capture_output=True)
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def restart_after_crash_off(data, sockfile, log, opts):
    """A postgres run with restart_after_crash=off whose backend aborts: exit code, pid file, LOG lines."""
    with open(log, 'w') as out:
        os.chmod(log, 0o666)
        p = subprocess.Popen(['setpriv', '--reuid=pgref', '--regid=pgref', '--init-groups', PGBIN + '/postgres',
                              '-D', data, *opts.split(), '-c', 'restart_after_crash=off'], stdout=out, stderr=out)
    deadline = time.time() + 30
    while True:
        try:
            victim = startup(sockfile)
            if any(t == 'Z' for t, _ in messages(read_all(victim, 1.0))):
                break
        except OSError:
            pass
        if time.time() > deadline:
            raise SystemExit('postgres did not start')
        time.sleep(0.1)
    os.kill(read_pid(victim), 6)
    code = p.wait(30)
    lines = [m.group(1) for m in (re.search(r'\] ((LOG|DETAIL):  .*)$', l.rstrip('\n')) for l in open(log)) if m]
    after = [re.sub(r'\d+', 'N', l) for l in lines[next(i for i, l in enumerate(lines) if 'terminated by signal' in l):]
             if not l.startswith('DETAIL')]
    pidfile = 'remains' if os.path.exists(os.path.join(data, 'postmaster.pid')) else 'removed'
    return ['exit code %d' % code, 'postmaster.pid %s' % pidfile] + after


def read_pid(s):
    """The backend's pid, asked through the session (which also shows it works)."""
    q = b'SELECT pg_backend_pid()\0'
    s.sendall(b'Q' + struct.pack('!i', 4 + len(q)) + q)
    b = read_all(s, 1.0)
    i = b.index(b'D')
    n = struct.unpack('!i', b[i + 7:i + 11])[0]
    return int(b[i + 11:i + 11 + n])


if __name__ == '__main__':
    main()
