package org.osgres.sql.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.osgres.sql.exec.PlanNodes.PlanNode;

/*
 * QueryPlan: a planned SELECT over a tree of plan nodes (PostgreSQL: a PlannedStmt run by
 * executor/execMain.c ExecutorRun, with the junk filter of execJunk.c dropping the resjunk
 * sort columns from each tuple).
 *
 * Entry points: columns(), run().
 * See also: PlanNodes -- the nodes; analyze.QueryAnalyzer -- builds the tree.
 */
public final class QueryPlan implements Plan {
    private final List<Column> columns;
    private final PlanNode root;

    public QueryPlan(List<Column> columns, PlanNode root) {
        this.columns = columns;
        this.root = root;
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    public PlanNode root() {
        return root;
    }

    @Override
    public Output run(EvalContext ctx) {
        List<Object[]> out = new ArrayList<>();
        try {
            root.open(ctx);
            int width = columns.size();
            for (Object[] t = root.next(ctx); t != null; t = root.next(ctx)) {
                out.add(t.length == width ? t : Arrays.copyOf(t, width));
            }
        } finally {
            root.close();
        }
        return new Output(out, "SELECT", true);
    }
}
