package org.osgres.sql.exec;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.osgres.api.catalog.ColumnInfo;
import org.osgres.api.catalog.ConstraintInfo;
import org.osgres.api.catalog.IndexInfo;
import org.osgres.api.catalog.TableInfo;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.heap.HeapAccess;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.LockWaitPolicy;
import org.osgres.api.heap.ModifyResult;
import org.osgres.api.heap.RowLockMode;
import org.osgres.api.index.IndexAccess;
import org.osgres.api.xact.LockMode;
import org.osgres.api.xact.Snapshot;
import org.osgres.api.xact.Transaction;
import org.osgres.sql.exec.Nodes.Node;
import org.osgres.sql.exec.PlanNodes.PlanNode;
import org.osgres.sql.types.PgType;
import org.osgres.sql.types.TypeIO;

/*
 * ModifyTable: INSERT, UPDATE and DELETE (PostgreSQL: executor/nodeModifyTable.c ExecInsert,
 * ExecUpdate, ExecDelete with EvalPlanQual (execMain.c), execMain.c ExecConstraints for NOT
 * NULL, execIndexing.c ExecInsertIndexTuples, and the RI triggers of utils/adt/ri_triggers.c
 * for foreign keys).
 *
 * INSERT evaluates one full row of the table's columns per VALUES row or per row of its SELECT
 * (already coerced to the column types, defaults filled in by TableAnalyzer); UPDATE evaluates
 * the new row over the joined tuple of its scan, whose target columns sit at targetOffset with
 * the ctid after them; DELETE takes the ctid. Every new tuple version gets entries in every
 * index (no HOT); unique violations come from IndexAccess.insert.
 *
 * Concurrent updates (READ COMMITTED): when the heap reports the row UPDATED with its newest
 * version locked, the WHERE clause is evaluated again on that version and, if it still holds,
 * the new values are computed from it and that version is changed instead (EvalPlanQual).
 * REPEATABLE READ gets 40001 from the heap.
 *
 * Foreign keys, as the RI triggers at the end of the statement: a new or changed referencing
 * key must find its row in the referenced table through the referenced unique index, with a
 * fresh snapshot, and lock it (FOR KEY SHARE in PostgreSQL; osgres's heap has no shared row
 * locks yet, so FOR NO KEY UPDATE); a deleted or changed referenced key must have no
 * referencing rows left (NO ACTION / RESTRICT).
 *
 * Entry points: insertValues(), insertSelect(), update(), delete(), run().
 * See also: analyze.TableAnalyzer -- builds these; TableScan -- the scans; Tables -- catalog access.
 */
public final class ModifyTable implements Plan {
    enum Kind { INSERT, UPDATE, DELETE }

    private final Kind kind;
    private final int relOid;
    private final String relName;
    private final List<List<Node>> valuesRows;
    private final PlanNode source;
    private final List<Node> projection;
    private final TableScan target;
    private final int targetOffset;
    private final Node where;
    private final List<Node> returning;
    private final List<Column> columns;

    private ModifyTable(Kind kind, int relOid, String relName, List<List<Node>> valuesRows, PlanNode source,
            List<Node> projection, TableScan target, int targetOffset, Node where, List<Node> returning,
            List<Column> columns) {
        this.kind = kind;
        this.relOid = relOid;
        this.relName = relName;
        this.valuesRows = valuesRows;
        this.source = source;
        this.projection = projection;
        this.target = target;
        this.targetOffset = targetOffset;
        this.where = where;
        this.returning = returning;
        this.columns = columns;
    }

    /** INSERT ... VALUES: each row a full list of the table's columns. */
    public static ModifyTable insertValues(TableInfo t, List<List<Node>> rows, List<Node> returning,
            List<Column> columns) {
        return new ModifyTable(Kind.INSERT, t.oid(), t.name(), rows, null, null, null, 0, null, returning, columns);
    }

    /** INSERT ... SELECT: the projection computes the table's columns from each source row. */
    public static ModifyTable insertSelect(TableInfo t, PlanNode source, List<Node> projection, List<Node> returning,
            List<Column> columns) {
        return new ModifyTable(Kind.INSERT, t.oid(), t.name(), null, source, projection, null, 0, null, returning,
                columns);
    }

    /** UPDATE: source yields the joined rows that pass WHERE; projection the new column values. */
    public static ModifyTable update(TableInfo t, PlanNode source, TableScan target, int targetOffset, Node where,
            List<Node> projection, List<Node> returning, List<Column> columns) {
        return new ModifyTable(Kind.UPDATE, t.oid(), t.name(), null, source, projection, target, targetOffset, where,
                returning, columns);
    }

    public static ModifyTable delete(TableInfo t, PlanNode source, TableScan target, int targetOffset, Node where,
            List<Node> returning, List<Column> columns) {
        return new ModifyTable(Kind.DELETE, t.oid(), t.name(), null, source, null, target, targetOffset, where,
                returning, columns);
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    /**
     * ExecInsert for callers that produce rows themselves (COPY FROM): the table opened with
     * RowExclusiveLock, then insert() per row of executor values in column order (already of the
     * columns' types), then finish() for the statement's foreign key checks and its
     * CommandCounterIncrement. NOT NULL, unique and foreign key errors are as INSERT's.
     */
    public static final class Inserter {
        private final ModifyTable plan;
        private final Run run;

        private Inserter(ModifyTable plan, Run run) {
            this.plan = plan;
            this.run = run;
        }

        public static Inserter open(EvalContext ctx, TableInfo t) {
            if (t.systemCatalog()) {
                throw new PgException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied: \"" + t.name()
                        + "\" is a system catalog");
            }
            ModifyTable plan = insertValues(t, List.of(), List.of(), List.of());
            return new Inserter(plan, plan.new Run(ctx, Tables.open(ctx, t.oid(), t.name(), LockMode.ROW_EXCLUSIVE)));
        }

        /** The table as opened for this statement. */
        public TableInfo table() {
            return run.table;
        }

        /** One row: values in column order (executor form, typmods applied). */
        public void insert(Object[] values) {
            plan.insert(run, values);
        }

        /** Ends the statement: CommandCounterIncrement, then the deferred foreign key checks. Returns the rows inserted. */
        public long finish() {
            run.tx.commandCounterIncrement();
            for (Runnable check : run.afterStatement) {
                check.run();
            }
            return run.count;
        }
    }

    /** One statement's state: the table as opened, the services, the deferred RI checks. */
    private final class Run {
        final EvalContext ctx;
        final Transaction tx;
        final HeapAccess heap;
        final TableInfo table;
        final PgType[] types;
        final List<Runnable> afterStatement = new ArrayList<>();
        final List<Object[]> returned = new ArrayList<>();
        long count;

        Run(EvalContext ctx, TableInfo table) {
            this.ctx = ctx;
            this.tx = Tables.transaction(ctx.session());
            this.heap = ctx.services().heap();
            this.table = table;
            this.types = Tables.types(table);
        }
    }

    @Override
    public Output run(EvalContext ctx) {
        Run r;
        try {
            if (kind == Kind.INSERT) {
                r = new Run(ctx, Tables.open(ctx, relOid, relName, LockMode.ROW_EXCLUSIVE));
                if (valuesRows != null) {
                    for (List<Node> row : valuesRows) {
                        ctx.row = new Object[0];
                        Object[] values = new Object[row.size()];
                        for (int i = 0; i < values.length; i++) {
                            values[i] = row.get(i).eval(ctx);
                        }
                        insert(r, values);
                    }
                } else {
                    source.open(ctx);
                    for (Object[] t = source.next(ctx); t != null; t = source.next(ctx)) {
                        ctx.row = t;
                        Object[] values = new Object[projection.size()];
                        for (int i = 0; i < values.length; i++) {
                            values[i] = projection.get(i).eval(ctx);
                        }
                        insert(r, values);
                    }
                }
            } else {
                source.open(ctx);
                r = new Run(ctx, target.table());
                for (Object[] t = source.next(ctx); t != null; t = source.next(ctx)) {
                    if (kind == Kind.UPDATE) {
                        update(r, t);
                    } else {
                        delete(r, t);
                    }
                }
            }
        } finally {
            if (source != null) {
                source.close();
            }
        }
        // the statement's changes become visible to what follows, its AFTER checks first (AfterTriggerEndQuery)
        r.tx.commandCounterIncrement();
        for (Runnable check : r.afterStatement) {
            check.run();
        }
        String tag = switch (kind) {
            case INSERT -> "INSERT 0 " + r.count;
            case UPDATE -> "UPDATE " + r.count;
            case DELETE -> "DELETE " + r.count;
        };
        return new Output(r.returned, tag, false);
    }

    // ---- INSERT

    private void insert(Run r, Object[] values) {
        checkNotNull(r, values);
        Object[] heapValues = heapValues(r, values);
        ItemPointer tid = r.heap.insert(r.table.heap(), r.tx, heapValues);
        insertIndexEntries(r, heapValues, tid);
        checkReferencesLater(r, heapValues, null);
        r.count++;
        if (!returning.isEmpty()) {
            Object[] row = new Object[values.length + 1];
            System.arraycopy(values, 0, row, 0, values.length);
            row[values.length] = tid;
            r.returned.add(project(r.ctx, row));
        }
    }

    private Object[] heapValues(Run r, Object[] values) {
        Object[] out = new Object[r.types.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Tables.toHeap(r.types[i], values[i]);
        }
        return out;
    }

    private void insertIndexEntries(Run r, Object[] heapValues, ItemPointer tid) {
        if (r.table.indexes().isEmpty()) {
            return;
        }
        IndexAccess am = r.ctx.services().indexes();
        for (IndexInfo ix : r.table.indexes()) {
            am.insert(ix.index(), r.tx, ix.index().keyOf(heapValues), tid);
        }
    }

    /** ExecConstraints: 23502 with the failing row. */
    private void checkNotNull(Run r, Object[] values) {
        List<ColumnInfo> cols = r.table.columns();
        for (int i = 0; i < cols.size(); i++) {
            if (cols.get(i).notNull() && values[i] == null) {
                throw new PgException(SqlState.NOT_NULL_VIOLATION, "null value in column \"" + cols.get(i).name()
                        + "\" of relation \"" + r.table.name() + "\" violates not-null constraint")
                        .withDetail("Failing row contains " + rowText(r, values) + ".");
            }
        }
    }

    private static String rowText(Run r, Object[] values) {
        StringBuilder sb = new StringBuilder("(");
        ZoneId zone = r.ctx.zone();
        for (int i = 0; i < r.types.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(values[i] == null ? "null" : TypeIO.output(r.types[i], values[i], zone));
        }
        return sb.append(")").toString();
    }

    private Object[] project(EvalContext ctx, Object[] row) {
        ctx.row = row;
        Object[] out = new Object[returning.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = returning.get(i).eval(ctx);
        }
        return out;
    }

    // ---- UPDATE and DELETE

    private Object[] withTarget(Object[] joined, Object[] targetRow) {
        Object[] out = joined.clone();
        System.arraycopy(targetRow, 0, out, targetOffset, targetRow.length);
        return out;
    }

    private void update(Run r, Object[] joined) {
        int n = r.types.length;
        Object[] row = joined;
        ItemPointer tid = (ItemPointer) row[targetOffset + n];
        while (true) {
            r.ctx.row = row;
            Object[] values = new Object[n];
            for (int i = 0; i < n; i++) {
                values[i] = projection.get(i).eval(r.ctx);
            }
            checkNotNull(r, values);
            Object[] heapValues = heapValues(r, values);
            ModifyResult m = r.heap.update(r.table.heap(), r.tx, tid, heapValues);
            switch (m.result()) {
                case OK -> {
                    Object[] old = new Object[n];
                    System.arraycopy(row, targetOffset, old, 0, n);
                    insertIndexEntries(r, heapValues, m.tid());
                    checkReferencesLater(r, heapValues, heapValues(r, old));
                    checkReferencedLater(r, heapValues(r, old), heapValues);
                    r.count++;
                    if (!returning.isEmpty()) {
                        Object[] newRow = new Object[n + 1];
                        System.arraycopy(values, 0, newRow, 0, n);
                        newRow[n] = m.tid();
                        r.returned.add(project(r.ctx, withTarget(row, newRow)));
                    }
                    return;
                }
                case UPDATED -> {
                    HeapTuple latest = m.latest();
                    if (latest == null) {
                        return;
                    }
                    row = withTarget(row, Tables.row(latest, r.types));
                    if (!recheck(r, row)) {
                        return;
                    }
                    tid = latest.tid();
                }
                default -> {
                    return; // SELF_MODIFIED, DELETED: the row is gone for this statement
                }
            }
        }
    }

    private void delete(Run r, Object[] joined) {
        int n = r.types.length;
        Object[] row = joined;
        ItemPointer tid = (ItemPointer) row[targetOffset + n];
        while (true) {
            ModifyResult m = r.heap.delete(r.table.heap(), r.tx, tid);
            switch (m.result()) {
                case OK -> {
                    Object[] old = new Object[n];
                    System.arraycopy(row, targetOffset, old, 0, n);
                    checkReferencedLater(r, heapValues(r, old), null);
                    r.count++;
                    if (!returning.isEmpty()) {
                        r.returned.add(project(r.ctx, row));
                    }
                    return;
                }
                case UPDATED -> {
                    HeapTuple latest = m.latest();
                    if (latest == null) {
                        return;
                    }
                    row = withTarget(row, Tables.row(latest, r.types));
                    if (!recheck(r, row)) {
                        return;
                    }
                    tid = latest.tid();
                }
                default -> {
                    return;
                }
            }
        }
    }

    /** EvalPlanQual: does the newest version still satisfy WHERE? */
    private boolean recheck(Run r, Object[] row) {
        if (where == null) {
            return true;
        }
        r.ctx.row = row;
        return Boolean.TRUE.equals(where.eval(r.ctx));
    }

    // ---- foreign keys

    /** RI_FKey_check_ins / _upd: each foreign key of this table whose key is new or changed. */
    private void checkReferencesLater(Run r, Object[] newValues, Object[] oldValues) {
        for (ConstraintInfo c : r.table.constraints()) {
            if (c.type() != 'f') {
                continue;
            }
            Object[] key = key(newValues, c.columns());
            if (key == null || (oldValues != null && sameKey(key, key(oldValues, c.columns())))) {
                continue;
            }
            r.afterStatement.add(() -> checkReference(r, c, key));
        }
    }

    private void checkReference(Run r, ConstraintInfo c, Object[] key) {
        TableInfo ref = Tables.open(r.ctx, c.refTableOid(), "oid " + c.refTableOid(), LockMode.ROW_SHARE);
        Snapshot fresh = r.tx.statementSnapshot();
        List<Integer> refColumns = c.refColumns();
        while (true) {
            HeapTuple h = Tables.findRow(r.ctx.services(), r.tx, fresh, ref, refColumns, key);
            if (h == null) {
                throw new PgException(SqlState.FOREIGN_KEY_VIOLATION, "insert or update on table \""
                        + r.table.name() + "\" violates foreign key constraint \"" + c.name() + "\"")
                        .withDetail("Key " + Tables.keyText(r.table, c.columns(), key, r.ctx.zone())
                                + " is not present in table \"" + ref.name() + "\".");
            }
            ModifyResult m = r.heap.lockTuple(ref.heap(), r.tx, h.tid(), RowLockMode.FOR_NO_KEY_UPDATE,
                    LockWaitPolicy.BLOCK);
            switch (m.result()) {
                case OK, SELF_MODIFIED -> {
                    return;
                }
                case UPDATED -> {
                    if (m.latest() != null && sameKey(key(m.latest().values(), refColumns), key)) {
                        return;
                    }
                    fresh = r.tx.statementSnapshot();
                }
                default -> fresh = r.tx.statementSnapshot();
            }
        }
    }

    /** RI_FKey_noaction_del / _upd: a removed or changed referenced key must not be referenced any more. */
    private void checkReferencedLater(Run r, Object[] oldValues, Object[] newValues) {
        for (TableInfo.ReferencingKey rk : r.table.referencedBy()) {
            ConstraintInfo c = rk.constraint();
            Object[] key = key(oldValues, c.refColumns());
            if (key == null || (newValues != null && sameKey(key, key(newValues, c.refColumns())))) {
                continue;
            }
            r.afterStatement.add(() -> {
                TableInfo referencing = Tables.open(r.ctx, rk.tableOid(), "oid " + rk.tableOid(),
                        LockMode.ROW_SHARE);
                HeapTuple h = Tables.findRow(r.ctx.services(), r.tx, r.tx.statementSnapshot(), referencing,
                        c.columns(), key);
                if (h != null) {
                    throw new PgException(SqlState.FOREIGN_KEY_VIOLATION, "update or delete on table \""
                            + r.table.name() + "\" violates foreign key constraint \"" + c.name() + "\" on table \""
                            + referencing.name() + "\"")
                            .withDetail("Key " + Tables.keyText(r.table, c.refColumns(), key, r.ctx.zone())
                                    + " is still referenced from table \"" + referencing.name() + "\".");
                }
            });
        }
    }

    /** The key columns' values, or null when one is NULL (MATCH SIMPLE: no check). */
    private static Object[] key(Object[] values, List<Integer> attnums) {
        Object[] key = new Object[attnums.size()];
        for (int i = 0; i < key.length; i++) {
            key[i] = values[attnums.get(i) - 1];
            if (key[i] == null) {
                return null;
            }
        }
        return key;
    }

    private static boolean sameKey(Object[] a, Object[] b) {
        if (a == null || b == null || a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!SortSupport.sameKey(a[i], b[i])) {
                return false;
            }
        }
        return true;
    }
}
