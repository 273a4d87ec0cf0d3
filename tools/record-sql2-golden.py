#!/usr/bin/env python3
"""Records golden cases for the sql bundle's system views, role DDL and admin functions from a
PostgreSQL 15 server, with notices and with statements run as other roles.

Usage: tools/record-sql2-golden.py NAME [conninfo]
Reads bundles/sql/src/test/resources/golden/NAME-queries.txt and writes NAME-cases.txt.
Query file: one statement a line; '#' comments; "@as<TAB>role<TAB>sql" runs sql on a connection
as that role (one connection per role, opened on first use, closed at the end).
Output, every case in order, separated by blank lines:

  Q sql            the query
  U role           the role it ran as (for @as cases)
  N severity<TAB>message     one line per notice or warning, in order
  C name<TAB>typeoid         one line per result column
  R v1<TAB>v2      one line per row, \\N for NULL
  T tag            the command tag
  E sqlstate<TAB>message<TAB>position<TAB>hint<TAB>detail   for an error
Fields escape backslash, tab and newline as \\\\, \\t, \\n.
Default conninfo: host=/tmp port=5415 user=postgres dbname=postgres (the reference server).
"""
import ctypes, os, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN = os.path.join(ROOT, "bundles/sql/src/test/resources/golden")
name = sys.argv[1]
conninfo = sys.argv[2] if len(sys.argv) > 2 else "host=/tmp port=5415 user=postgres dbname=postgres"

pq = ctypes.CDLL("libpq.so.5")
pq.PQconnectdb.restype = ctypes.c_void_p
pq.PQconnectdb.argtypes = [ctypes.c_char_p]
pq.PQstatus.argtypes = [ctypes.c_void_p]
pq.PQfinish.argtypes = [ctypes.c_void_p]
pq.PQerrorMessage.restype = ctypes.c_char_p
pq.PQerrorMessage.argtypes = [ctypes.c_void_p]
pq.PQexec.restype = ctypes.c_void_p
pq.PQexec.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
for f in ("PQresultStatus", "PQntuples", "PQnfields"):
    getattr(pq, f).argtypes = [ctypes.c_void_p]
pq.PQfname.argtypes = [ctypes.c_void_p, ctypes.c_int]
pq.PQfname.restype = ctypes.c_char_p
pq.PQftype.argtypes = [ctypes.c_void_p, ctypes.c_int]
pq.PQftype.restype = ctypes.c_uint
pq.PQgetvalue.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
pq.PQgetvalue.restype = ctypes.c_char_p
pq.PQgetisnull.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
pq.PQcmdStatus.argtypes = [ctypes.c_void_p]
pq.PQcmdStatus.restype = ctypes.c_char_p
pq.PQresultErrorField.argtypes = [ctypes.c_void_p, ctypes.c_int]
pq.PQresultErrorField.restype = ctypes.c_char_p
pq.PQclear.argtypes = [ctypes.c_void_p]
NOTICE_RECEIVER = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)
pq.PQsetNoticeReceiver.argtypes = [ctypes.c_void_p, NOTICE_RECEIVER, ctypes.c_void_p]
pq.PQsetNoticeReceiver.restype = ctypes.c_void_p

PGRES_FATAL_ERROR = 7
notices = []


def esc(s):
    if s is None:
        return "\\N"
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def dec(b):
    return None if b is None else b.decode("utf-8")


def field(res, c):
    return dec(pq.PQresultErrorField(res, ord(c)))


@NOTICE_RECEIVER
def on_notice(arg, res):
    notices.append("N " + esc(field(res, "V")) + "\t" + esc(field(res, "M")))


def connect(info):
    conn = pq.PQconnectdb(info.encode())
    if pq.PQstatus(conn) != 0:
        sys.exit("connection failed: " + dec(pq.PQerrorMessage(conn)))
    pq.PQsetNoticeReceiver(conn, on_notice, None)
    return conn


def describe_result(res, out):
    if pq.PQresultStatus(res) == PGRES_FATAL_ERROR:
        out.append("E " + "\t".join(esc(x or "") for x in (field(res, "C"), field(res, "M"), field(res, "P") or "0",
                                                             field(res, "H"), field(res, "D"))))
        return
    n = pq.PQnfields(res)
    for i in range(n):
        out.append("C " + esc(dec(pq.PQfname(res, i))) + "\t" + str(pq.PQftype(res, i)))
    for r in range(pq.PQntuples(res)):
        vals = [None if pq.PQgetisnull(res, r, c) else dec(pq.PQgetvalue(res, r, c)) for c in range(n)]
        out.append("R " + "\t".join(esc(v) for v in vals))
    out.append("T " + esc(dec(pq.PQcmdStatus(res))))


def main():
    main_conn = connect(conninfo)
    others = {}
    out = []
    n = 0
    with open(os.path.join(GOLDEN, name + "-queries.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            n += 1
            conn = main_conn
            out.append("Q " + esc(line.split("\t", 2)[2] if line.startswith("@as\t") else line))
            if line.startswith("@as\t"):
                _, role, sql = line.split("\t", 2)
                if role not in others:
                    others[role] = connect(conninfo.replace("user=postgres", "user=" + role))
                conn = others[role]
                out.append("U " + role)
            else:
                sql = line
            del notices[:]
            res = pq.PQexec(conn, sql.encode())
            out.extend(notices)
            describe_result(res, out)
            pq.PQclear(res)
            out.append("")
    for c in others.values():
        pq.PQfinish(c)
    pq.PQfinish(main_conn)
    with open(os.path.join(GOLDEN, name + "-cases.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    print("recorded %d cases" % n)


main()
