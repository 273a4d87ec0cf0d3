package org.osgres.sql.exec;

import java.util.ArrayList;
import java.util.List;

import org.osgres.api.catalog.ColumnInfo;
import org.osgres.api.catalog.IndexInfo;
import org.osgres.api.catalog.RelationCatalog;
import org.osgres.api.catalog.SystemCatalog;
import org.osgres.api.catalog.TableInfo;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.heap.HeapScan;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.index.IndexScan;
import org.osgres.api.index.ScanKey;
import org.osgres.api.sql.SessionContext;
import org.osgres.api.xact.LockMode;
import org.osgres.api.xact.LockTag;
import org.osgres.api.xact.Snapshot;
import org.osgres.api.xact.Transaction;
import org.osgres.sql.types.PgType;

/*
 * Tables: what the executor needs to reach a table while a statement runs (PostgreSQL: the
 * relcache lookups of execMain.c InitPlan / ExecOpenScanRelation, namespace.c's search path,
 * and the executor's conversions between heap datums and its own values).
 *
 * A plan remembers a table by oid and name; each execution locks it again and reads the
 * catalog as its transaction sees it (a TRUNCATE gives the table a new relfilenode, a CREATE
 * INDEX new indexes), as PostgreSQL's plan cache revalidation does.
 *
 * Entry points: transaction(), catalog(), searchPath(), open(), columnType(), toInternal(),
 * toHeap(), findRow().
 * See also: TableScan -- scans; ModifyTable -- changes; DdlCommands -- DDL.
 */
public final class Tables {
    private Tables() {
    }

    /** The statement's transaction; XX000 when the backend runs without one. */
    public static Transaction transaction(SessionContext session) {
        Transaction tx = session == null ? null : session.transaction();
        if (tx == null) {
            throw new PgException(SqlState.INTERNAL_ERROR, "tables need a transaction, and this session has none");
        }
        return tx;
    }

    /** The catalog of the session's database, or null when no catalog is installed. */
    public static RelationCatalog catalog(EngineServices services, SessionContext session) {
        SystemCatalog c = services.catalogOrNull();
        if (c == null || session == null || session.transaction() == null) {
            return null;
        }
        return c.relations(session.databaseOid());
    }

    /** The search_path setting as a list of schema names (unquoted; "$user" kept as written). */
    public static List<String> searchPath(SessionContext session) {
        List<String> out = new ArrayList<>();
        String value;
        try {
            value = session.getSetting("search_path");
        } catch (RuntimeException e) {
            value = "\"$user\", public";
        }
        for (String part : value.split(",")) {
            String s = part.trim();
            if (s.isEmpty()) {
                continue;
            }
            if (s.startsWith("\"") && s.endsWith("\"") && s.length() >= 2) {
                s = s.substring(1, s.length() - 1).replace("\"\"", "\"");
            } else {
                s = s.toLowerCase(java.util.Locale.ROOT);
            }
            out.add(s);
        }
        return out;
    }

    /** Locks the table again for this execution and reads it as the transaction sees it now. */
    public static TableInfo open(EvalContext ctx, int relOid, String name, LockMode mode) {
        SessionContext session = ctx.session();
        Transaction tx = transaction(session);
        tx.lock(LockTag.relation(session.databaseOid(), relOid), mode);
        RelationCatalog catalog = catalog(ctx.services(), session);
        TableInfo t = catalog == null ? null : catalog.table(tx, relOid);
        if (t == null) {
            throw new PgException(SqlState.UNDEFINED_TABLE, "relation \"" + name + "\" does not exist");
        }
        return t;
    }

    /** The engine's type for a column; types osgres has no executor support for read as text. */
    public static PgType columnType(ColumnInfo c) {
        PgType t = PgType.byOid(c.typeOid());
        return t == null ? PgType.TEXT : t;
    }

    /** A heap value as the executor holds it (oid and xid as Long, unknown types as text). */
    public static Object toInternal(PgType type, Object v) {
        if (v == null) {
            return null;
        }
        return switch (type) {
            case OID, XID -> v instanceof Integer i ? Integer.toUnsignedLong(i) : ((Number) v).longValue();
            case INT8 -> ((Number) v).longValue();
            case INT4 -> ((Number) v).intValue();
            case INT2 -> ((Number) v).shortValue();
            case TEXT, NAME, VARCHAR, BPCHAR -> v instanceof String ? v : v.toString();
            default -> v;
        };
    }

    /** An executor value as the heap stores it for a column of that type. */
    public static Object toHeap(PgType type, Object v) {
        if (v == null) {
            return null;
        }
        if (v == org.osgres.sql.types.Numerics.NAN) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "numeric NaN cannot be stored in a table by osgres yet");
        }
        return switch (type) {
            case OID, XID -> (int) ((Number) v).longValue();
            default -> v;
        };
    }

    /** The columns' values of a heap tuple in executor form, plus its ctid as the last element. */
    public static Object[] row(HeapTuple t, PgType[] types) {
        Object[] values = t.values();
        Object[] out = new Object[types.length + 1];
        for (int i = 0; i < types.length; i++) {
            out[i] = i < values.length ? toInternal(types[i], values[i]) : null;
        }
        out[types.length] = t.tid();
        return out;
    }

    /** The executor types of a table's columns. */
    public static PgType[] types(TableInfo t) {
        PgType[] out = new PgType[t.columns().size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = columnType(t.columns().get(i));
        }
        return out;
    }

    /**
     * The first row of the table the snapshot sees whose columns (attnums) equal the values
     * (heap form), through an index on those columns when there is one (RI_FKey_check's and
     * ri_Check_Pk_Match's query), else by a sequential scan. Null when there is none.
     */
    public static HeapTuple findRow(EngineServices services, Transaction tx, Snapshot snapshot, TableInfo t,
            List<Integer> attnums, Object[] values) {
        IndexInfo best = null;
        for (IndexInfo ix : t.indexes()) {
            List<Integer> keys = ix.index().keyAttnums();
            if (!keys.isEmpty() && attnums.contains(keys.get(0))
                    && (best == null || matched(keys, attnums) > matched(best.index().keyAttnums(), attnums))) {
                best = ix;
            }
        }
        if (best != null && services.indexesOrNull() != null) {
            List<ScanKey> keys = new ArrayList<>();
            List<Integer> ixCols = best.index().keyAttnums();
            for (int i = 0; i < ixCols.size() && attnums.contains(ixCols.get(i)); i++) {
                keys.add(new ScanKey(i + 1, ScanKey.Strategy.EQUAL, values[attnums.indexOf(ixCols.get(i))]));
            }
            try (IndexScan scan = services.indexes().beginScan(best.index(), tx, snapshot, keys)) {
                for (HeapTuple h = scan.next(); h != null; h = scan.next()) {
                    if (matches(h, attnums, values)) {
                        return h;
                    }
                }
            }
            return null;
        }
        try (HeapScan scan = services.heap().beginScan(t.heap(), tx, snapshot)) {
            for (HeapTuple h = scan.next(); h != null; h = scan.next()) {
                if (matches(h, attnums, values)) {
                    return h;
                }
            }
        }
        return null;
    }

    private static int matched(List<Integer> keys, List<Integer> attnums) {
        int n = 0;
        while (n < keys.size() && attnums.contains(keys.get(n))) {
            n++;
        }
        return n;
    }

    private static boolean matches(HeapTuple h, List<Integer> attnums, Object[] values) {
        Object[] v = h.values();
        for (int i = 0; i < attnums.size(); i++) {
            if (!SortSupport.sameKey(v[attnums.get(i) - 1], values[i])) {
                return false;
            }
        }
        return true;
    }

    /** "(a, b)=(1, 2)" as the key details of RI messages print them. */
    public static String keyText(TableInfo t, List<Integer> attnums, Object[] values, java.time.ZoneId zone) {
        StringBuilder names = new StringBuilder("(");
        StringBuilder vals = new StringBuilder("(");
        for (int i = 0; i < attnums.size(); i++) {
            ColumnInfo c = t.columns().get(attnums.get(i) - 1);
            if (i > 0) {
                names.append(", ");
                vals.append(", ");
            }
            names.append(c.name());
            Object v = values[i];
            vals.append(v == null ? "null" : org.osgres.sql.types.TypeIO.output(columnType(c), toInternal(columnType(c), v), zone));
        }
        return names.append(")=").append(vals).append(")").toString();
    }
}
