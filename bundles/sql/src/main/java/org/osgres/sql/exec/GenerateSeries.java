package org.osgres.sql.exec;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.sql.exec.Nodes.Node;
import org.osgres.sql.exec.PlanNodes.PlanNode;
import org.osgres.sql.types.PgType;

/*
 * GenerateSeries: generate_series(start, stop [, step]) over int4 or int8, in FROM or run by a
 * ProjectSet for a select list (PostgreSQL:
 * nodeFunctionscan.c running int.c generate_series_step_int4 / int8.c generate_series_step_int8
 * in value-per-call mode). Rows are produced one at a time, never materialized, so
 * INSERT ... SELECT ... FROM generate_series(1, 5000000) streams.
 *
 * Entry points: open(), next().
 */
public final class GenerateSeries implements PlanNode {
    private final PgType type;
    private final Node start;
    private final Node stop;
    private final Node step;
    private long current;
    private long last;
    private long by;
    private boolean done;

    public GenerateSeries(PgType type, Node start, Node stop, Node step) {
        this.type = type;
        this.start = start;
        this.stop = stop;
        this.step = step;
    }

    /** The series' type: int4 or int8. */
    public PgType type() {
        return type;
    }

    @Override
    public void open(EvalContext ctx) {
        Object a = start.eval(ctx);
        Object b = stop.eval(ctx);
        Object s = step == null ? Long.valueOf(1) : step.eval(ctx);
        done = a == null || b == null || s == null;
        if (done) {
            return;
        }
        current = ((Number) a).longValue();
        last = ((Number) b).longValue();
        by = ((Number) s).longValue();
        if (by == 0) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "step size cannot equal zero");
        }
    }

    @Override
    public Object[] next(EvalContext ctx) {
        if (done || (by > 0 ? current > last : current < last)) {
            done = true;
            return null;
        }
        if ((current & 0xffff) == 0 && ctx.session() != null) {
            ctx.session().interrupts().check();
        }
        long v = current;
        try {
            current = Math.addExact(current, by);
        } catch (ArithmeticException overflow) {
            done = true; // the next value would overflow: this one is the last (as PostgreSQL's check)
        }
        if (type == PgType.INT4 && (current > Integer.MAX_VALUE || current < Integer.MIN_VALUE)) {
            done = true;
        }
        return new Object[] {type == PgType.INT4 ? (Object) (int) v : (Object) v};
    }
}
