package org.osgres.sql.exec;

import java.util.Arrays;
import java.util.List;

import org.osgres.sql.exec.Nodes.Node;
import org.osgres.sql.exec.PlanNodes.PlanNode;
import org.osgres.sql.types.PgType;

/*
 * ProjectSet: set-returning functions of a select list, run in lockstep over each input tuple
 * (PostgreSQL: executor/nodeProjectSet.c ExecProjectSet / ExecProjectSRF, PostgreSQL 10's
 * semantics).
 *
 * For each input tuple every function is started with the tuple as its scan row; each output
 * tuple is the input tuple (padded or cut to baseWidth) followed by one value per function. A
 * function that has run out gives NULL while others still return rows; when all have run out,
 * the next input tuple is read (an input tuple for which every function returns nothing gives
 * no output). The select list reads a function's value through a Slot, a Var-like reference to
 * its column. Nested calls (generate_series(1, generate_series(1, 3))) stack one ProjectSet per
 * level, as the planner's split_pathtarget_at_srfs does: an outer level reads the Slots of the
 * levels below it from its input tuple.
 *
 * Entry points: open(), next(), close(); Slot -- the value of one function in the output tuple.
 * See also: analyze.SetReturning -- builds these; GenerateSeries -- the function it runs.
 */
public final class ProjectSet implements PlanNode {
    /** One function's output column; the index is set when the plan is built (after all analysis). */
    public static final class Slot implements Node {
        private final PgType type;
        private int index = -1;

        public Slot(PgType type) {
            this.type = type;
        }

        public void setIndex(int index) {
            this.index = index;
        }

        @Override
        public PgType type() {
            return type;
        }

        @Override
        public Object eval(EvalContext ctx) {
            return ctx.row[index];
        }
    }

    private final PlanNode child;
    private final List<PlanNode> functions;
    private final int baseWidth;
    private final boolean[] done;
    private Object[] input;

    /** functions: value-per-call nodes of one column, started over each input tuple (its Vars). */
    public ProjectSet(PlanNode child, List<PlanNode> functions, int baseWidth) {
        this.child = child;
        this.functions = functions;
        this.baseWidth = baseWidth;
        this.done = new boolean[functions.size()];
    }

    @Override
    public void open(EvalContext ctx) {
        child.open(ctx);
        input = null;
    }

    @Override
    public Object[] next(EvalContext ctx) {
        while (true) {
            if (input == null) {
                input = child.next(ctx);
                if (input == null) {
                    return null;
                }
                for (int i = 0; i < functions.size(); i++) {
                    ctx.row = input;
                    functions.get(i).open(ctx);
                    done[i] = false;
                }
            }
            Object[] out = Arrays.copyOf(input, baseWidth + functions.size());
            boolean any = false;
            for (int i = 0; i < functions.size(); i++) {
                if (done[i]) {
                    continue;
                }
                ctx.row = input;
                Object[] t = functions.get(i).next(ctx);
                if (t == null) {
                    done[i] = true;
                    functions.get(i).close();
                } else {
                    out[baseWidth + i] = t[0];
                    any = true;
                }
            }
            if (any) {
                return out;
            }
            input = null;
        }
    }

    @Override
    public void close() {
        child.close();
        for (PlanNode f : functions) {
            f.close();
        }
    }
}
