package org.osgres.sql.exec;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgres.api.error.PgException;
import org.osgres.sql.exec.Nodes.Node;
import org.osgres.sql.exec.PlanNodes.PlanNode;
import org.osgres.sql.types.PgType;

/** The executor's plan nodes, built directly over fixed row sources. */
class PlanNodesTest {
    private final EvalContext ctx = new EvalContext(null, new Object[0]);

    private static PlanNode scan(Object[]... rows) {
        return new PlanNodes.Scan(x -> List.of(rows));
    }

    private List<List<Object>> drain(PlanNode n) {
        List<List<Object>> out = new ArrayList<>();
        n.open(ctx);
        for (Object[] t = n.next(ctx); t != null; t = n.next(ctx)) {
            out.add(Arrays.asList(t));
        }
        return out;
    }

    private static Node var(int i, PgType t) {
        return new Nodes.Var(i, t, -1);
    }

    private static Node isA(int col, String value) {
        return new Node() {
            @Override
            public PgType type() {
                return PgType.BOOL;
            }

            @Override
            public Object eval(EvalContext c) {
                return value.equals(c.row()[col]);
            }
        };
    }

    @Test
    void filterKeepsRowsWhoseQualIsTrue() {
        PlanNode n = new PlanNodes.Filter(scan(new Object[] {"a", 1}, new Object[] {"b", 2}, new Object[] {"a", 3}),
                isA(0, "a"));
        assertEquals(List.of(List.of("a", 1), List.of("a", 3)), drain(n));
    }

    @Test
    void nestLoopInnerAndLeftJoins() {
        PlanNode outer = scan(new Object[] {"x"}, new Object[] {"y"});
        PlanNode inner = scan(new Object[] {"x", 1}, new Object[] {"x", 2});
        Node eq = new Node() {
            @Override
            public PgType type() {
                return PgType.BOOL;
            }

            @Override
            public Object eval(EvalContext c) {
                return c.row()[0].equals(c.row()[1]);
            }
        };
        assertEquals(List.of(List.of("x", "x", 1), List.of("x", "x", 2)),
                drain(new PlanNodes.NestLoop(outer, inner, eq, false, 2)));
        assertEquals(List.of(List.of("x", "x", 1), List.of("x", "x", 2), Arrays.asList("y", null, null)),
                drain(new PlanNodes.NestLoop(outer, inner, eq, true, 2)));
        assertEquals(4, drain(new PlanNodes.NestLoop(outer, inner, null, false, 2)).size());
    }

    @Test
    void aggregateGroupsInFirstAppearanceOrder() {
        PlanNode in = scan(new Object[] {"b", 1}, new Object[] {"a", 2}, new Object[] {"b", null},
                new Object[] {"b", 4});
        List<AggCall> aggs = List.of(
                new AggCall(AggCall.Kind.COUNT_STAR, null, null, false, PgType.INT8, null),
                new AggCall(AggCall.Kind.COUNT, var(1, PgType.INT4), null, false, PgType.INT8, null),
                new AggCall(AggCall.Kind.SUM, var(1, PgType.INT4), null, false, PgType.INT8, null),
                new AggCall(AggCall.Kind.MAX, var(1, PgType.INT4), null, false, PgType.INT4, null));
        assertEquals(List.of(List.of("b", 1, 3L, 2L, 5L, 4), List.of("a", 2, 1L, 1L, 2L, 2)),
                drain(new PlanNodes.Agg(in, List.of(var(0, PgType.TEXT)), aggs, 2)));
    }

    @Test
    void plainAggregateOverNoRowsGivesOneRow() {
        List<AggCall> aggs = List.of(new AggCall(AggCall.Kind.COUNT_STAR, null, null, false, PgType.INT8, null),
                new AggCall(AggCall.Kind.SUM, var(0, PgType.INT4), null, false, PgType.INT8, null));
        assertEquals(List.of(Arrays.asList(null, 0L, null)), drain(new PlanNodes.Agg(scan(), List.of(), aggs, 1)));
        assertEquals(List.of(), drain(new PlanNodes.Agg(scan(), List.of(var(0, PgType.INT4)), aggs, 1)));
    }

    @Test
    void distinctAndStringAggAndAvg() {
        PlanNode in = scan(new Object[] {"x", new BigDecimal("1.0")}, new Object[] {"y", new BigDecimal("1.00")},
                new Object[] {"z", new BigDecimal("2")});
        assertEquals(2, drain(new PlanNodes.Distinct(new PlanNodes.Project(in, List.of(var(1, PgType.NUMERIC))), 1))
                .size());
        Node comma = new Nodes.Const(PgType.TEXT, -1, ",");
        List<AggCall> aggs = List.of(new AggCall(AggCall.Kind.STRING_AGG, var(0, PgType.TEXT), comma, false,
                PgType.TEXT, null), new AggCall(AggCall.Kind.COUNT, var(1, PgType.NUMERIC), null, true, PgType.INT8,
                null));
        assertEquals(List.of(List.of("x", new BigDecimal("1.0"), "x,y,z", 2L)),
                drain(new PlanNodes.Agg(in, List.of(), aggs, 2)));
    }

    @Test
    void sortHonoursDirectionAndNullPlacement() {
        PlanNode in = scan(new Object[] {2}, new Object[] {null}, new Object[] {1}, new Object[] {3});
        var cmp = SortSupport.comparator(PgType.INT4);
        assertEquals(List.of(List.of(1), List.of(2), List.of(3), Arrays.asList((Object) null)),
                drain(new PlanNodes.Sort(in, SortSupport.sortKey(0, cmp, false, false))));
        assertEquals(List.of(Arrays.asList((Object) null), List.of(3), List.of(2), List.of(1)),
                drain(new PlanNodes.Sort(in, SortSupport.sortKey(0, cmp, true, true))));
        assertEquals(List.of(List.of(3), List.of(2), List.of(1), Arrays.asList((Object) null)),
                drain(new PlanNodes.Sort(in, SortSupport.sortKey(0, cmp, true, false))));
    }

    @Test
    void limitAndOffset() {
        PlanNode in = scan(new Object[] {1}, new Object[] {2}, new Object[] {3});
        Node two = new Nodes.Const(PgType.INT8, -1, 2L);
        Node one = new Nodes.Const(PgType.INT8, -1, 1L);
        assertEquals(List.of(List.of(2), List.of(3)), drain(new PlanNodes.Limit(in, two, one)));
        assertEquals(List.of(), drain(new PlanNodes.Limit(in, new Nodes.Const(PgType.INT8, -1, 0L), null)));
        assertThrows(PgException.class, () -> drain(new PlanNodes.Limit(in,
                new Nodes.Const(PgType.INT8, -1, -1L), null)));
    }

    @Test
    void scalarSubPlanRefusesTwoRows() {
        PlanNode two = scan(new Object[] {1}, new Object[] {2});
        PgException e = assertThrows(PgException.class,
                () -> new Nodes.SubPlan(false, two, PgType.INT4, -1).eval(ctx));
        assertEquals("21000", e.sqlState().code());
        assertEquals(true, new Nodes.SubPlan(true, two, PgType.BOOL, -1).eval(ctx));
        assertNull(new Nodes.SubPlan(false, scan(), PgType.INT4, -1).eval(ctx));
    }

    @Test
    void textArrayOutputQuotesAsArrayOut() {
        assertEquals("{a,\"b c\",\"\",NULL,\"NULL\",\"x\\\"y\",\"{}\"}", org.osgres.sql.types.TypeIO.arrayOut(
                new String[] {"a", "b c", "", null, "NULL", "x\"y", "{}"}));
        assertEquals("{}", org.osgres.sql.types.TypeIO.arrayOut(new String[0]));
    }
}
