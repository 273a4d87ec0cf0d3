package org.osgres.sql.exec;

import java.util.List;

import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.LockWaitPolicy;
import org.osgres.api.heap.ModifyResult;
import org.osgres.api.heap.RowLockMode;
import org.osgres.sql.exec.Nodes.Node;
import org.osgres.sql.exec.PlanNodes.PlanNode;

/*
 * LockRows: SELECT ... FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE (PostgreSQL:
 * executor/nodeLockRows.c). Each row that passed WHERE has its table rows locked through
 * HeapAccess.lockTuple; under READ COMMITTED a row updated meanwhile is replaced by its newest
 * version, which must pass WHERE again (EvalPlanQual), a deleted one is skipped, and SKIP
 * LOCKED skips locked ones. The shared strengths lock as FOR NO KEY UPDATE: the heap has no
 * shared row locks (MultiXacts) yet.
 *
 * Entry points: open(), next(), close().
 */
public final class LockRows implements PlanNode {
    private final PlanNode child;
    private final List<TableScan> scans;
    private final List<Integer> offsets;
    private final RowLockMode mode;
    private final LockWaitPolicy policy;
    private final Node where;

    public LockRows(PlanNode child, List<TableScan> scans, List<Integer> offsets, RowLockMode mode,
            LockWaitPolicy policy, Node where) {
        this.child = child;
        this.scans = scans;
        this.offsets = offsets;
        this.mode = mode;
        this.policy = policy;
        this.where = where;
    }

    @Override
    public void open(EvalContext ctx) {
        child.open(ctx);
    }

    @Override
    public Object[] next(EvalContext ctx) {
        rows:
        for (Object[] row = child.next(ctx); row != null; row = child.next(ctx)) {
            for (int s = 0; s < scans.size(); s++) {
                TableScan scan = scans.get(s);
                int off = offsets.get(s);
                int n = scan.types().length;
                while (true) {
                    ItemPointer tid = (ItemPointer) row[off + n];
                    ModifyResult m = ctx.services().heap().lockTuple(scan.table().heap(),
                            Tables.transaction(ctx.session()), tid, mode, policy);
                    if (m.ok()) {
                        break;
                    }
                    if (m.result() != org.osgres.api.heap.TmResult.UPDATED || m.latest() == null) {
                        continue rows;
                    }
                    HeapTuple latest = m.latest();
                    row = row.clone();
                    System.arraycopy(Tables.row(latest, scan.types()), 0, row, off, n + 1);
                    ctx.row = row;
                    if (where != null && !Boolean.TRUE.equals(where.eval(ctx))) {
                        continue rows;
                    }
                    break; // the newest version is locked already (heap_lock_tuple follows the update chain)
                }
            }
            return row;
        }
        return null;
    }

    @Override
    public void close() {
        child.close();
    }
}
