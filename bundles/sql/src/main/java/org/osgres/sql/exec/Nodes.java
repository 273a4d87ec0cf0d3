package org.osgres.sql.exec;

import java.util.List;
import java.util.function.BiFunction;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.sql.types.PgType;

/*
 * Nodes: the executable, typed expression tree (PostgreSQL: nodes/primnodes.h after parse
 * analysis, evaluated as executor/execExprInterp.c does). The analyzer builds these; each
 * node knows its result type and typmod and evaluates itself. SQL NULL is Java null.
 *
 * AND, OR and NOT follow SQL's three-valued logic; CASE, COALESCE, NULLIF, GREATEST and LEAST
 * evaluate lazily as PostgreSQL does; strict functions return NULL on any NULL argument.
 *
 * Entry points: Node.eval(); the node records below.
 * See also: org.osgres.sql.analyze.Analyzer -- builds them; Builtins -- function bodies.
 */
public final class Nodes {
    private Nodes() {
    }

    /** A typed, executable expression. */
    public interface Node {
        PgType type();

        default int typmod() {
            return -1;
        }

        Object eval(EvalContext ctx);
    }

    /** A function body: the arguments evaluated, NULLs included for non-strict functions. */
    @FunctionalInterface
    public interface Impl {
        Object apply(Object[] args, EvalContext ctx);
    }

    public record Const(PgType type, int typmod, Object value) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            return value;
        }
    }

    /** $n, 0-based index; its type is fixed by the time the tree runs. */
    public record Param(int index, ParamSlot slot) implements Node {
        @Override
        public PgType type() {
            return slot.type == null ? PgType.UNKNOWN : slot.type;
        }

        @Override
        public Object eval(EvalContext ctx) {
            return ctx.param(index);
        }
    }

    /** A parameter's type, inferred during analysis (PostgreSQL: parse_param.c's variable params). */
    public static final class ParamSlot {
        public PgType type;
        public final boolean declared;

        public ParamSlot(PgType type, boolean declared) {
            this.type = type;
            this.declared = declared;
        }
    }

    public record Call(String name, PgType type, int typmod, boolean strict, Impl impl, List<Node> args)
            implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            Object[] values = new Object[args.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = args.get(i).eval(ctx);
                if (values[i] == null && strict) {
                    return null;
                }
            }
            return impl.apply(values, ctx);
        }
    }

    /** A cast or length coercion of a non-null value. */
    public record Cast(Node arg, PgType type, int typmod, BiFunction<Object, EvalContext, Object> fn) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            Object v = arg.eval(ctx);
            return v == null ? null : fn.apply(v, ctx);
        }
    }

    public record And(List<Node> args) implements Node {
        @Override
        public PgType type() {
            return PgType.BOOL;
        }

        @Override
        public Object eval(EvalContext ctx) {
            boolean sawNull = false;
            for (Node n : args) {
                Object v = n.eval(ctx);
                if (v == null) {
                    sawNull = true;
                } else if (!(Boolean) v) {
                    return false;
                }
            }
            return sawNull ? null : true;
        }
    }

    public record Or(List<Node> args) implements Node {
        @Override
        public PgType type() {
            return PgType.BOOL;
        }

        @Override
        public Object eval(EvalContext ctx) {
            boolean sawNull = false;
            for (Node n : args) {
                Object v = n.eval(ctx);
                if (v == null) {
                    sawNull = true;
                } else if ((Boolean) v) {
                    return true;
                }
            }
            return sawNull ? null : false;
        }
    }

    public record Not(Node arg) implements Node {
        @Override
        public PgType type() {
            return PgType.BOOL;
        }

        @Override
        public Object eval(EvalContext ctx) {
            Object v = arg.eval(ctx);
            return v == null ? null : !(Boolean) v;
        }
    }

    public record NullTest(Node arg, boolean isNot) implements Node {
        @Override
        public PgType type() {
            return PgType.BOOL;
        }

        @Override
        public Object eval(EvalContext ctx) {
            return (arg.eval(ctx) == null) != isNot;
        }
    }

    /** IS [NOT] TRUE/FALSE/UNKNOWN; expected is TRUE, FALSE or null for UNKNOWN. */
    public record BoolTest(Node arg, Boolean expected, boolean isNot) implements Node {
        @Override
        public PgType type() {
            return PgType.BOOL;
        }

        @Override
        public Object eval(EvalContext ctx) {
            Object v = arg.eval(ctx);
            boolean r = expected == null ? v == null : expected.equals(v);
            return r != isNot;
        }
    }

    public record When(Node condition, Node result) {
    }

    public record Case(PgType type, int typmod, List<When> whens, Node otherwise) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            for (When w : whens) {
                if (Boolean.TRUE.equals(w.condition().eval(ctx))) {
                    return w.result().eval(ctx);
                }
            }
            return otherwise == null ? null : otherwise.eval(ctx);
        }
    }

    public record Coalesce(PgType type, int typmod, List<Node> args) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            for (Node n : args) {
                Object v = n.eval(ctx);
                if (v != null) {
                    return v;
                }
            }
            return null;
        }
    }

    /** NULLIF(a, b): a unless a = b (using the resolved = operator). */
    public record NullIf(Node left, Node right, Impl equals) implements Node {
        @Override
        public PgType type() {
            return left.type();
        }

        @Override
        public int typmod() {
            return left.typmod();
        }

        @Override
        public Object eval(EvalContext ctx) {
            Object a = left.eval(ctx);
            Object b = right.eval(ctx);
            if (a != null && b != null && Boolean.TRUE.equals(equals.apply(new Object[] {a, b}, ctx))) {
                return null;
            }
            return a;
        }
    }

    /** GREATEST / LEAST: NULLs are ignored; compare is the resolved > or < operator. */
    public record MinMax(PgType type, int typmod, List<Node> args, Impl better) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            Object best = null;
            for (Node n : args) {
                Object v = n.eval(ctx);
                if (v != null && (best == null || Boolean.TRUE.equals(better.apply(new Object[] {v, best}, ctx)))) {
                    best = v;
                }
            }
            return best;
        }
    }

    /** IS [NOT] DISTINCT FROM. */
    public record Distinct(Node left, Node right, Impl equals, boolean not) implements Node {
        @Override
        public PgType type() {
            return PgType.BOOL;
        }

        @Override
        public Object eval(EvalContext ctx) {
            Object a = left.eval(ctx);
            Object b = right.eval(ctx);
            boolean distinct;
            if (a == null || b == null) {
                distinct = a != b;
            } else {
                distinct = !Boolean.TRUE.equals(equals.apply(new Object[] {a, b}, ctx));
            }
            return distinct != not;
        }
    }

    /** A column of the current tuple (PostgreSQL: Var), 0-based over the whole joined tuple. */
    public record Var(int index, PgType type, int typmod) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            return ctx.row[index];
        }
    }

    /** A column of an enclosing query's tuple, levelsUp queries out (PostgreSQL: Var with varlevelsup). */
    public record OuterVar(int levelsUp, int index, PgType type, int typmod) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            return ctx.outerRows.get(ctx.outerRows.size() - levelsUp)[index];
        }
    }

    /** A value set from outside before each evaluation (the left side of IN (SELECT ...)). */
    public static final class Holder implements Node {
        private final PgType type;
        private final int typmod;
        Object value;

        public Holder(PgType type, int typmod) {
            this.type = type;
            this.typmod = typmod;
        }

        @Override
        public PgType type() {
            return type;
        }

        @Override
        public int typmod() {
            return typmod;
        }

        @Override
        public Object eval(EvalContext ctx) {
            return value;
        }
    }

    /**
     * The comparison of an ANY sublink: test is evaluated in the outer tuple, held in holder,
     * and compared by cmp (which reads the subquery's column as Var 0) with each subquery row.
     */
    public record AnyTest(Node test, Holder holder, Node cmp) {
    }

    /**
     * A subquery in an expression (PostgreSQL: SubPlan): EXISTS; a scalar subquery that yields
     * its one row's one column, NULL for no row, 21000 for more than one; or x IN (SELECT ...),
     * true when a row compares equal, else NULL when a comparison was NULL, else false. The
     * current tuple is pushed for outer references while the subquery runs.
     */
    public record SubPlan(boolean exists, PlanNodes.PlanNode plan, PgType type, int typmod, AnyTest any)
            implements Node {
        public SubPlan(boolean exists, PlanNodes.PlanNode plan, PgType type, int typmod) {
            this(exists, plan, type, typmod, null);
        }

        @Override
        public Object eval(EvalContext ctx) {
            Object[] saved = ctx.row;
            Object testValue = any == null ? null : any.test().eval(ctx);
            ctx.outerRows.add(saved);
            try {
                plan.open(ctx);
                if (any != null) {
                    boolean sawNull = false;
                    for (Object[] t = plan.next(ctx); t != null; t = plan.next(ctx)) {
                        any.holder().value = testValue;
                        ctx.row = t;
                        Object r = any.cmp().eval(ctx);
                        if (Boolean.TRUE.equals(r)) {
                            return true;
                        }
                        sawNull |= r == null;
                    }
                    return sawNull ? null : false;
                }
                Object[] first = plan.next(ctx);
                if (exists) {
                    return first != null;
                }
                if (first == null) {
                    return null;
                }
                if (plan.next(ctx) != null) {
                    throw new PgException(SqlState.CARDINALITY_VIOLATION,
                            "more than one row returned by a subquery used as an expression");
                }
                return first[0];
            } finally {
                plan.close();
                ctx.outerRows.remove(ctx.outerRows.size() - 1);
                ctx.row = saved;
            }
        }
    }

    static PgException outOfRange(String what) {
        return new PgException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, what + " out of range");
    }
}
