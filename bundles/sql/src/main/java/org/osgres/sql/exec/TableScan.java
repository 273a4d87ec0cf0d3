package org.osgres.sql.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.osgres.api.catalog.ColumnInfo;
import org.osgres.api.catalog.IndexInfo;
import org.osgres.api.catalog.TableInfo;
import org.osgres.api.heap.HeapScan;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.index.IndexAccess;
import org.osgres.api.index.IndexScan;
import org.osgres.api.index.ScanKey;
import org.osgres.api.xact.LockMode;
import org.osgres.sql.exec.Nodes.Node;
import org.osgres.sql.exec.PlanNodes.PlanNode;
import org.osgres.sql.types.PgType;

/*
 * TableScan: a table in FROM, read by a sequential scan or, when the WHERE clause compares a
 * leading index column with a value known before the scan starts, by an index scan
 * (PostgreSQL: nodeSeqscan.c and nodeIndexscan.c, with a rule in place of the planner's cost
 * model: indxpath.c's match_clause_to_indexcol finds the quals, and the index with the most
 * leading equality columns wins).
 *
 * The choice is made when the scan opens, against the table's indexes as the transaction sees
 * them then, so a prepared statement picks up an index created after it was prepared. The
 * quals stay in the Filter above, so index quals only narrow what is read. Each tuple is the
 * table's columns followed by its ctid (the hidden last column of the scope entry).
 *
 * Entry points: addQuals() (analysis), open() / next() / close(), table(), usedIndex().
 * See also: Tables -- catalog access; ModifyTable -- UPDATE and DELETE read through this.
 */
public final class TableScan implements PlanNode {
    /** A comparison of index-able form: column attnum op value. */
    public record IndexQual(int attnum, ScanKey.Strategy op, Node value) {
    }

    private static final Set<String> COMPARISONS = Set.of("=", "<", "<=", ">", ">=");

    private final int relOid;
    private final String name;
    private final LockMode lockMode;
    private final PgType[] types;
    private final int[] typmods;
    private final List<IndexQual> quals = new ArrayList<>();
    private TableInfo table;
    private HeapScan heapScan;
    private IndexScan indexScan;
    private IndexInfo usedIndex;
    private boolean empty;

    public TableScan(TableInfo t, LockMode lockMode) {
        this.relOid = t.oid();
        this.name = t.name();
        this.lockMode = lockMode;
        this.types = Tables.types(t);
        this.typmods = new int[types.length];
        for (int i = 0; i < types.length; i++) {
            typmods[i] = t.columns().get(i).typmod();
        }
    }

    public int relOid() {
        return relOid;
    }

    public String name() {
        return name;
    }

    public PgType[] types() {
        return types;
    }

    /** The table as the current execution opened it. */
    public TableInfo table() {
        return table;
    }

    /** The index the last open() chose, or null for a sequential scan. */
    public IndexInfo usedIndex() {
        return usedIndex;
    }

    /**
     * Collects the index-able quals of a WHERE clause for this table, whose columns sit at
     * offset in the joined tuple: the ANDed comparisons of a column with a value that does not
     * depend on the current row.
     */
    public void addQuals(Node where, int offset) {
        if (where instanceof Nodes.And and) {
            for (Node n : and.args()) {
                addQuals(n, offset);
            }
            return;
        }
        if (!(where instanceof Nodes.Call c) || !COMPARISONS.contains(c.name()) || c.args().size() != 2) {
            return;
        }
        Node l = c.args().get(0);
        Node r = c.args().get(1);
        if (l instanceof Nodes.Var v && isConstant(r)) {
            add(v, offset, strategy(c.name(), false), r);
        } else if (r instanceof Nodes.Var v && isConstant(l)) {
            add(v, offset, strategy(c.name(), true), l);
        }
    }

    private void add(Nodes.Var v, int offset, ScanKey.Strategy op, Node value) {
        int i = v.index() - offset;
        if (i < 0 || i >= types.length) {
            return;
        }
        if (types[i] == PgType.BPCHAR && op != ScanKey.Strategy.EQUAL) {
            return; // padded keys: only equality is mapped (see padded())
        }
        quals.add(new IndexQual(i + 1, op, value));
    }

    private static boolean isConstant(Node n) {
        return switch (n) {
            case Nodes.Const c -> true;
            case Nodes.Param p -> true;
            case Nodes.OuterVar o -> true;
            case Nodes.Cast c -> isConstant(c.arg());
            default -> false;
        };
    }

    private static ScanKey.Strategy strategy(String op, boolean commuted) {
        return switch (op) {
            case "=" -> ScanKey.Strategy.EQUAL;
            case "<" -> commuted ? ScanKey.Strategy.GREATER : ScanKey.Strategy.LESS;
            case "<=" -> commuted ? ScanKey.Strategy.GREATER_EQUAL : ScanKey.Strategy.LESS_EQUAL;
            case ">" -> commuted ? ScanKey.Strategy.LESS : ScanKey.Strategy.GREATER;
            default -> commuted ? ScanKey.Strategy.LESS_EQUAL : ScanKey.Strategy.GREATER_EQUAL;
        };
    }

    @Override
    public void open(EvalContext ctx) {
        close();
        table = Tables.open(ctx, relOid, name, lockMode);
        empty = false;
        usedIndex = null;
        IndexAccess am = ctx.services().indexesOrNull();
        IndexInfo best = am == null ? null : chooseIndex();
        if (best != null) {
            usedIndex = best;
            List<ScanKey> keys = scanKeys(best, ctx);
            if (keys == null) {
                empty = true; // a key compares with NULL: nothing to read
                return;
            }
            indexScan = am.beginScan(best.index(), Tables.transaction(ctx.session()), ctx.snapshot(), keys);
            return;
        }
        heapScan = ctx.services().heap().beginScan(table.heap(), Tables.transaction(ctx.session()), ctx.snapshot());
    }

    /** The index whose leading columns the quals cover best: equalities count double, a range on the next column once. */
    private IndexInfo chooseIndex() {
        IndexInfo best = null;
        int bestScore = 0;
        for (IndexInfo ix : table.indexes()) {
            int score = 0;
            for (int attnum : ix.index().keyAttnums()) {
                if (has(attnum, true)) {
                    score += 2;
                } else {
                    if (has(attnum, false)) {
                        score += 1;
                    }
                    break;
                }
            }
            if (score > bestScore || (score == bestScore && score > 0 && ix.unique() && !best.unique())) {
                best = ix;
                bestScore = score;
            }
        }
        return best;
    }

    private boolean has(int attnum, boolean equality) {
        for (IndexQual q : quals) {
            if (q.attnum() == attnum && (q.op() == ScanKey.Strategy.EQUAL) == equality) {
                return true;
            }
        }
        return false;
    }

    /** The scan keys for the chosen index; null when a value is NULL (the qual is never true). */
    private List<ScanKey> scanKeys(IndexInfo ix, EvalContext ctx) {
        List<ScanKey> keys = new ArrayList<>();
        List<Integer> cols = ix.index().keyAttnums();
        for (int k = 0; k < cols.size(); k++) {
            int attnum = cols.get(k);
            boolean equality = has(attnum, true);
            for (IndexQual q : quals) {
                if (q.attnum() != attnum || (q.op() == ScanKey.Strategy.EQUAL) != equality) {
                    continue;
                }
                Object v = q.value().eval(ctx);
                if (v == null) {
                    return null;
                }
                keys.add(new ScanKey(k + 1, q.op(), Tables.toHeap(types[attnum - 1], padded(attnum, v))));
            }
            if (!equality) {
                break;
            }
        }
        return keys;
    }

    /** A bpchar(n) key compares with the stored, blank-padded value. */
    private Object padded(int attnum, Object v) {
        ColumnInfo c = table.columns().get(attnum - 1);
        if (types[attnum - 1] == PgType.BPCHAR && c.typmod() > 4 && v instanceof String s) {
            int n = s.codePointCount(0, s.length());
            String trimmed = s.stripTrailing();
            int want = c.typmod() - 4;
            return n >= want ? trimmed + " ".repeat(Math.max(0, want - trimmed.codePointCount(0, trimmed.length())))
                    : s + " ".repeat(want - n);
        }
        return v;
    }

    @Override
    public Object[] next(EvalContext ctx) {
        if (ctx.session() != null) {
            ctx.session().interrupts().check();
        }
        if (empty) {
            return null;
        }
        HeapTuple t = indexScan != null ? indexScan.next() : heapScan != null ? heapScan.next() : null;
        if (t == null) {
            close();
            empty = true;
            return null;
        }
        return Tables.row(t, types);
    }

    @Override
    public void close() {
        try {
            if (indexScan != null) {
                indexScan.close();
            }
        } finally {
            indexScan = null;
            if (heapScan != null) {
                HeapScan h = heapScan;
                heapScan = null;
                h.close();
            }
        }
    }
}
