package org.osgres.sql.exec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.sql.exec.Nodes.Node;

/*
 * PlanNodes: the executor's plan nodes, pulled one tuple at a time (PostgreSQL: executor/
 * nodeSeqscan.c, nodeNestloop.c, nodeResult.c's qual, nodeAgg.c, nodeSort.c, nodeUnique.c /
 * hashed DISTINCT, nodeLimit.c, and ExecProject).
 *
 * A tuple is an Object[] of internal values. Expressions read the current tuple through
 * EvalContext.row (Nodes.Var), so each node sets it before it evaluates anything. A scan reads
 * a RowSource (a system view), TableScan a heap relation or one of its indexes. close() ends
 * scans early (a portal closed before its end, an error), releasing their buffer pins. Aggregation appends the aggregate
 * results after a representative input tuple of the group, so expressions above it see grouped
 * columns and aggregate values (Nodes.Var at index width + i) the same way.
 *
 * Entry points: PlanNode.open() / next(); the node classes below.
 * See also: QueryPlan -- runs a tree; analyze.QueryAnalyzer -- builds one; AggCall -- transition functions.
 */
public final class PlanNodes {
    private PlanNodes() {
    }

    /** A node of the plan tree (PostgreSQL: PlanState with ExecProcNode). */
    public interface PlanNode {
        /** Starts (or restarts) the scan. */
        void open(EvalContext ctx);

        /** The next tuple, or null at the end. */
        Object[] next(EvalContext ctx);

        /** Ends the scan early or at its end, releasing buffer pins (ExecEndNode). Idempotent. */
        default void close() {
        }
    }

    /** Where a scan gets its tuples from: a system view's rows, later a heap relation. */
    @FunctionalInterface
    public interface RowSource {
        List<Object[]> rows(EvalContext ctx);
    }

    private static void checkInterrupts(EvalContext ctx) {
        if (ctx.session() != null) {
            ctx.session().interrupts().check();
        }
    }

    /** Sequential scan of a row source (nodeSeqscan.c). */
    public static final class Scan implements PlanNode {
        private final RowSource source;
        private List<Object[]> rows;
        private int pos;

        public Scan(RowSource source) {
            this.source = source;
        }

        @Override
        public void open(EvalContext ctx) {
            rows = source.rows(ctx);
            pos = 0;
        }

        @Override
        public Object[] next(EvalContext ctx) {
            checkInterrupts(ctx);
            return pos < rows.size() ? rows.get(pos++) : null;
        }
    }

    /** The one empty tuple of a SELECT without FROM (nodeResult.c without an outer plan). */
    public static final class OneRow implements PlanNode {
        private boolean done;

        @Override
        public void open(EvalContext ctx) {
            done = false;
        }

        @Override
        public Object[] next(EvalContext ctx) {
            if (done) {
                return null;
            }
            done = true;
            return new Object[0];
        }
    }

    /** Nested loop join (nodeNestloop.c) with a materialized inner side; LEFT pads with NULLs. */
    public static final class NestLoop implements PlanNode {
        private final PlanNode outer;
        private final PlanNode inner;
        private final Node quals;
        private final boolean left;
        private final int innerWidth;
        private List<Object[]> innerRows;
        private Object[] outerTuple;
        private int innerPos;
        private boolean matched;

        public NestLoop(PlanNode outer, PlanNode inner, Node quals, boolean left, int innerWidth) {
            this.outer = outer;
            this.inner = inner;
            this.quals = quals;
            this.left = left;
            this.innerWidth = innerWidth;
        }

        @Override
        public void open(EvalContext ctx) {
            outer.open(ctx);
            inner.open(ctx);
            innerRows = new ArrayList<>();
            for (Object[] t = inner.next(ctx); t != null; t = inner.next(ctx)) {
                innerRows.add(t);
            }
            inner.close();
            outerTuple = null;
        }

        @Override
        public void close() {
            outer.close();
            inner.close();
        }

        @Override
        public Object[] next(EvalContext ctx) {
            while (true) {
                if (outerTuple == null) {
                    outerTuple = outer.next(ctx);
                    if (outerTuple == null) {
                        return null;
                    }
                    innerPos = 0;
                    matched = false;
                }
                while (innerPos < innerRows.size()) {
                    checkInterrupts(ctx);
                    Object[] joined = concat(outerTuple, innerRows.get(innerPos++));
                    ctx.row = joined;
                    if (quals == null || Boolean.TRUE.equals(quals.eval(ctx))) {
                        matched = true;
                        return joined;
                    }
                }
                Object[] last = outerTuple;
                outerTuple = null;
                if (left && !matched) {
                    return concat(last, new Object[innerWidth]);
                }
            }
        }

        private static Object[] concat(Object[] a, Object[] b) {
            Object[] out = new Object[a.length + b.length];
            System.arraycopy(a, 0, out, 0, a.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }
    }

    /** A qual over its input (WHERE, HAVING). */
    public static final class Filter implements PlanNode {
        private final PlanNode child;
        private final Node qual;

        public Filter(PlanNode child, Node qual) {
            this.child = child;
            this.qual = qual;
        }

        @Override
        public void open(EvalContext ctx) {
            child.open(ctx);
        }

        @Override
        public void close() {
            child.close();
        }

        @Override
        public Object[] next(EvalContext ctx) {
            for (Object[] t = child.next(ctx); t != null; t = child.next(ctx)) {
                ctx.row = t;
                if (Boolean.TRUE.equals(qual.eval(ctx))) {
                    return t;
                }
            }
            return null;
        }
    }

    /**
     * Grouped or plain aggregation (nodeAgg.c, hashed, groups in order of first appearance).
     * Output: the group's first input tuple followed by one value per aggregate. Without GROUP BY
     * there is exactly one group, even over no input (then the input part is all NULL).
     */
    public static final class Agg implements PlanNode {
        private final PlanNode child;
        private final List<Node> groupKeys;
        private final List<AggCall> aggs;
        private final int inputWidth;
        private List<Object[]> out;
        private int pos;

        public Agg(PlanNode child, List<Node> groupKeys, List<AggCall> aggs, int inputWidth) {
            this.child = child;
            this.groupKeys = groupKeys;
            this.aggs = aggs;
            this.inputWidth = inputWidth;
        }

        private record Group(Object[] first, AggCall.State[] states) {
        }

        @Override
        public void open(EvalContext ctx) {
            child.open(ctx);
            Map<List<Object>, Group> groups = new LinkedHashMap<>();
            for (Object[] t = child.next(ctx); t != null; t = child.next(ctx)) {
                ctx.row = t;
                List<Object> key = new ArrayList<>(groupKeys.size());
                for (Node k : groupKeys) {
                    key.add(SortSupport.hashKey(k.eval(ctx)));
                }
                Group g = groups.get(key);
                if (g == null) {
                    g = new Group(t, newStates());
                    groups.put(key, g);
                }
                for (int i = 0; i < aggs.size(); i++) {
                    ctx.row = t;
                    aggs.get(i).advance(g.states()[i], ctx);
                }
            }
            child.close();
            if (groups.isEmpty() && groupKeys.isEmpty()) {
                groups.put(List.of(), new Group(new Object[inputWidth], newStates()));
            }
            out = new ArrayList<>();
            for (Group g : groups.values()) {
                Object[] row = new Object[inputWidth + aggs.size()];
                System.arraycopy(g.first(), 0, row, 0, Math.min(inputWidth, g.first().length));
                for (int i = 0; i < aggs.size(); i++) {
                    row[inputWidth + i] = aggs.get(i).finish(g.states()[i], ctx);
                }
                out.add(row);
            }
            pos = 0;
        }

        @Override
        public void close() {
            child.close();
        }

        private AggCall.State[] newStates() {
            AggCall.State[] s = new AggCall.State[aggs.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = aggs.get(i).newState();
            }
            return s;
        }

        @Override
        public Object[] next(EvalContext ctx) {
            return pos < out.size() ? out.get(pos++) : null;
        }
    }

    /** ExecProject: evaluates the target list (plus resjunk sort columns) over each tuple. */
    public static final class Project implements PlanNode {
        private final PlanNode child;
        private final List<Node> exprs;

        public Project(PlanNode child, List<Node> exprs) {
            this.child = child;
            this.exprs = exprs;
        }

        @Override
        public void open(EvalContext ctx) {
            child.open(ctx);
        }

        @Override
        public void close() {
            child.close();
        }

        @Override
        public Object[] next(EvalContext ctx) {
            Object[] t = child.next(ctx);
            if (t == null) {
                return null;
            }
            ctx.row = t;
            Object[] out = new Object[exprs.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = exprs.get(i).eval(ctx);
            }
            return out;
        }
    }

    /** DISTINCT over the first width columns, keeping the first tuple of each set of equal ones. */
    public static final class Distinct implements PlanNode {
        private final PlanNode child;
        private final int width;
        private Set<List<Object>> seen;

        public Distinct(PlanNode child, int width) {
            this.child = child;
            this.width = width;
        }

        @Override
        public void open(EvalContext ctx) {
            child.open(ctx);
            seen = new HashSet<>();
        }

        @Override
        public void close() {
            child.close();
        }

        @Override
        public Object[] next(EvalContext ctx) {
            for (Object[] t = child.next(ctx); t != null; t = child.next(ctx)) {
                List<Object> key = new ArrayList<>(width);
                for (int i = 0; i < width; i++) {
                    key.add(SortSupport.hashKey(t[i]));
                }
                if (seen.add(key)) {
                    return t;
                }
            }
            return null;
        }
    }

    /** Sorts its whole input (nodeSort.c); the sort is stable, as a tie-keeping merge sort. */
    public static final class Sort implements PlanNode {
        private final PlanNode child;
        private final Comparator<Object[]> order;
        private List<Object[]> rows;
        private int pos;

        public Sort(PlanNode child, Comparator<Object[]> order) {
            this.child = child;
            this.order = order;
        }

        @Override
        public void open(EvalContext ctx) {
            child.open(ctx);
            rows = new ArrayList<>();
            for (Object[] t = child.next(ctx); t != null; t = child.next(ctx)) {
                rows.add(t);
            }
            child.close();
            rows.sort(order);
            pos = 0;
        }

        @Override
        public void close() {
            child.close();
        }

        @Override
        public Object[] next(EvalContext ctx) {
            return pos < rows.size() ? rows.get(pos++) : null;
        }
    }

    /** LIMIT / OFFSET (nodeLimit.c): both are evaluated once, before the first tuple. */
    public static final class Limit implements PlanNode {
        private final PlanNode child;
        private final Node count;
        private final Node offset;
        private long remaining;
        private long skip;

        public Limit(PlanNode child, Node count, Node offset) {
            this.child = child;
            this.count = count;
            this.offset = offset;
        }

        @Override
        public void open(EvalContext ctx) {
            remaining = Long.MAX_VALUE;
            skip = 0;
            if (count != null) {
                Object v = count.eval(ctx);
                if (v != null) {
                    remaining = (Long) v;
                    if (remaining < 0) {
                        throw new PgException(SqlState.INVALID_ROW_COUNT_IN_LIMIT_CLAUSE, "LIMIT must not be negative");
                    }
                }
            }
            if (offset != null) {
                Object v = offset.eval(ctx);
                if (v != null) {
                    skip = (Long) v;
                    if (skip < 0) {
                        throw new PgException(SqlState.INVALID_ROW_COUNT_IN_RESULT_OFFSET_CLAUSE,
                                "OFFSET must not be negative");
                    }
                }
            }
            if (remaining > 0) {
                child.open(ctx);
            }
        }

        @Override
        public void close() {
            child.close();
        }

        @Override
        public Object[] next(EvalContext ctx) {
            if (remaining == 0) {
                return null;
            }
            while (skip > 0) {
                if (child.next(ctx) == null) {
                    remaining = 0;
                    return null;
                }
                skip--;
            }
            Object[] t = child.next(ctx);
            if (t == null) {
                remaining = 0;
                return null;
            }
            remaining--;
            return t;
        }
    }
}
