#!/usr/bin/env python3
"""Records the sql bundle's golden cases from a PostgreSQL 15 server.

Reads bundles/sql/src/test/resources/golden/queries.txt (one case a line; '#' comments;
"@prep<TAB>declared oids,comma separated<TAB>values, '|' separated, \\N for NULL<TAB>sql" for
the extended protocol) and writes golden/cases.txt, every case in one session, in order:

  Q sql            the query
  D oids           declared parameter types (prepared cases)
  V v1<TAB>v2      parameter values, text format (prepared cases)
  A oids           parameter types the server inferred (ParameterDescription)
  C name<TAB>typeoid<TAB>typlen<TAB>typmod   one line per result column
  R v1<TAB>v2      one line per row, \\N for NULL
  T tag            the command tag
  E sqlstate<TAB>message<TAB>position<TAB>hint   for an error
Fields escape backslash, tab and newline as \\\\, \\t, \\n.

Uses libpq through ctypes (no psycopg2 needed), so it sees the raw wire values.
Usage: tools/record-sql-golden.py [conninfo]   (default: host=/tmp port=5415 user=postgres dbname=postgres)
"""
import ctypes, os, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN = os.path.join(ROOT, "bundles/sql/src/test/resources/golden")
conninfo = sys.argv[1] if len(sys.argv) > 1 else "host=/tmp port=5415 user=postgres dbname=postgres"

pq = ctypes.CDLL("libpq.so.5")
pq.PQconnectdb.restype = ctypes.c_void_p
pq.PQconnectdb.argtypes = [ctypes.c_char_p]
pq.PQstatus.argtypes = [ctypes.c_void_p]
pq.PQerrorMessage.restype = ctypes.c_char_p
pq.PQerrorMessage.argtypes = [ctypes.c_void_p]
pq.PQexec.restype = ctypes.c_void_p
pq.PQexec.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
pq.PQprepare.restype = ctypes.c_void_p
pq.PQprepare.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_uint)]
pq.PQdescribePrepared.restype = ctypes.c_void_p
pq.PQdescribePrepared.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
pq.PQexecPrepared.restype = ctypes.c_void_p
pq.PQexecPrepared.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_char_p),
                              ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int), ctypes.c_int]
for f in ("PQresultStatus", "PQntuples", "PQnfields", "PQnparams"):
    getattr(pq, f).argtypes = [ctypes.c_void_p]
pq.PQparamtype.argtypes = [ctypes.c_void_p, ctypes.c_int]
pq.PQparamtype.restype = ctypes.c_uint
pq.PQfname.argtypes = [ctypes.c_void_p, ctypes.c_int]
pq.PQfname.restype = ctypes.c_char_p
pq.PQftype.argtypes = [ctypes.c_void_p, ctypes.c_int]
pq.PQftype.restype = ctypes.c_uint
pq.PQfsize.argtypes = [ctypes.c_void_p, ctypes.c_int]
pq.PQfmod.argtypes = [ctypes.c_void_p, ctypes.c_int]
pq.PQgetvalue.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
pq.PQgetvalue.restype = ctypes.c_char_p
pq.PQgetisnull.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
pq.PQcmdStatus.argtypes = [ctypes.c_void_p]
pq.PQcmdStatus.restype = ctypes.c_char_p
pq.PQresultErrorField.argtypes = [ctypes.c_void_p, ctypes.c_int]
pq.PQresultErrorField.restype = ctypes.c_char_p
pq.PQclear.argtypes = [ctypes.c_void_p]

PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_FATAL_ERROR = 1, 2, 7


def esc(s):
    if s is None:
        return "\\N"
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def dec(b):
    return None if b is None else b.decode("utf-8")


def describe_result(res, out):
    st = pq.PQresultStatus(res)
    if st == PGRES_FATAL_ERROR:
        f = lambda c: dec(pq.PQresultErrorField(res, ord(c)))
        out.append("E " + "\t".join(esc(x or "") for x in (f("C"), f("M"), f("P") or "0", f("H"))))
        return
    n = pq.PQnfields(res)
    for i in range(n):
        out.append("C " + "\t".join([esc(dec(pq.PQfname(res, i))), str(pq.PQftype(res, i)),
                                     str(pq.PQfsize(res, i)), str(pq.PQfmod(res, i))]))
    for r in range(pq.PQntuples(res)):
        vals = [None if pq.PQgetisnull(res, r, c) else dec(pq.PQgetvalue(res, r, c)) for c in range(n)]
        out.append("R " + "\t".join(esc(v) for v in vals))
    out.append("T " + esc(dec(pq.PQcmdStatus(res))))


def main():
    conn = pq.PQconnectdb(conninfo.encode())
    if pq.PQstatus(conn) != 0:
        sys.exit("connection failed: " + dec(pq.PQerrorMessage(conn)))
    out = []
    n = 0
    with open(os.path.join(GOLDEN, "queries.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            n += 1
            if line.startswith("@prep\t"):
                _, decl, vals, sql = line.split("\t", 3)
                oids = [int(x) for x in decl.split(",") if x]
                values = [None if v == "\\N" else v for v in vals.split("|")] if vals else []
                out.append("Q " + esc(sql))
                out.append("D " + ",".join(str(o) for o in oids))
                out.append("V " + "\t".join(esc(v) for v in values))
                arr = (ctypes.c_uint * max(1, len(oids)))(*oids)
                res = pq.PQprepare(conn, b"", sql.encode(), len(oids), arr)
                if pq.PQresultStatus(res) == PGRES_FATAL_ERROR:
                    describe_result(res, out)
                    pq.PQclear(res)
                    out.append("")
                    continue
                pq.PQclear(res)
                d = pq.PQdescribePrepared(conn, b"")
                out.append("A " + ",".join(str(pq.PQparamtype(d, i)) for i in range(pq.PQnparams(d))))
                pq.PQclear(d)
                pv = (ctypes.c_char_p * max(1, len(values)))(*[None if v is None else v.encode() for v in values])
                res = pq.PQexecPrepared(conn, b"", len(values), pv, None, None, 0)
            else:
                out.append("Q " + esc(line))
                res = pq.PQexec(conn, line.encode())
            describe_result(res, out)
            pq.PQclear(res)
            out.append("")
    with open(os.path.join(GOLDEN, "cases.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    print("recorded %d cases" % n)


main()
