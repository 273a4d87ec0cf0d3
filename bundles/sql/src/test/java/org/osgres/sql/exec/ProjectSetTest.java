package org.osgres.sql.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgres.sql.exec.Nodes.Node;
import org.osgres.sql.exec.PlanNodes.PlanNode;
import org.osgres.sql.types.PgType;

/** ProjectSet over generate_series, built directly: lockstep, NULL padding, empty series, SubqueryScan's cut. */
class ProjectSetTest {
    private final EvalContext ctx = new EvalContext(null, new Object[0]);

    private static PlanNode scan(Object[]... rows) {
        return new PlanNodes.Scan(x -> List.of(rows));
    }

    private static Node constant(int v) {
        return new Nodes.Const(PgType.INT4, -1, v);
    }

    private static Node column(int i) {
        return new Nodes.Var(i, PgType.INT4, -1);
    }

    private List<List<Object>> drain(PlanNode n) {
        List<List<Object>> out = new ArrayList<>();
        n.open(ctx);
        for (Object[] t = n.next(ctx); t != null; t = n.next(ctx)) {
            out.add(Arrays.asList(t));
        }
        n.close();
        return out;
    }

    @Test
    void seriesRunInLockstepAndTheShorterIsPaddedWithNull() {
        PlanNode n = new ProjectSet(scan(new Object[] {"a"}), List.of(
                new GenerateSeries(PgType.INT4, constant(1), constant(3), null),
                new GenerateSeries(PgType.INT4, constant(10), constant(11), null)), 1);
        assertEquals(List.of(List.of("a", 1, 10), List.of("a", 2, 11), Arrays.asList("a", 3, null)), drain(n));
    }

    @Test
    void eachInputTupleStartsTheSeriesAgainAndAnEmptyOneGivesNoRow() {
        // generate_series(1, x) over x = 2, 0, 1
        PlanNode n = new ProjectSet(scan(new Object[] {2}, new Object[] {0}, new Object[] {1}),
                List.of(new GenerateSeries(PgType.INT4, constant(1), column(0), null)), 1);
        List<List<Object>> expected = List.of(List.of(2, 1), List.of(2, 2), List.of(1, 1));
        assertEquals(expected, drain(n));
        assertEquals(expected, drain(n), "reopened, as a SubPlan reopens its plan");
    }

    @Test
    void aSlotReadsItsFunctionsColumnAndSubqueryScanCutsJunk() {
        ProjectSet.Slot slot = new ProjectSet.Slot(PgType.INT4);
        slot.setIndex(2);
        PlanNode n = new ProjectSet(scan(new Object[] {"a", "b"}),
                List.of(new GenerateSeries(PgType.INT4, constant(5), constant(6), null)), 2);
        PlanNode project = new PlanNodes.Project(n, List.of(slot, column(0)));
        assertEquals(List.of(List.of(5, "a"), List.of(6, "a")), drain(project));
        assertEquals(List.of(List.of(5), List.of(6)), drain(new SubqueryScan(project, 1)));
    }
}
