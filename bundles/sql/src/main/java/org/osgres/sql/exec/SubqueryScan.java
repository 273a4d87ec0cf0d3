package org.osgres.sql.exec;

import java.util.Arrays;

import org.osgres.sql.exec.PlanNodes.PlanNode;

/*
 * SubqueryScan: a subquery or WITH query in FROM, read as a relation (PostgreSQL:
 * executor/nodeSubqueryscan.c, and nodeCtescan.c for a WITH query).
 *
 * The subquery's plan runs inside the outer query's plan; its tuples are cut to its output
 * columns (dropping resjunk sort columns) so the columns after it in the joined tuple keep their
 * offsets. A WITH query is planned again for each reference and runs once per reference: for
 * SELECT-only WITH queries under one snapshot this gives what PostgreSQL's shared CTE tuplestore
 * gives (a volatile function such as random() in a WITH query referenced twice would differ).
 *
 * Entry points: open(), next(), close().
 * See also: analyze.FromAnalyzer -- builds these.
 */
public final class SubqueryScan implements PlanNode {
    private final PlanNode subplan;
    private final int width;

    public SubqueryScan(PlanNode subplan, int width) {
        this.subplan = subplan;
        this.width = width;
    }

    @Override
    public void open(EvalContext ctx) {
        subplan.open(ctx);
    }

    @Override
    public Object[] next(EvalContext ctx) {
        Object[] t = subplan.next(ctx);
        return t == null || t.length == width ? t : Arrays.copyOf(t, width);
    }

    @Override
    public void close() {
        subplan.close();
    }
}
