package org.osgres.sql.analyze;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.sql.exec.AggCall;
import org.osgres.sql.exec.Nodes;
import org.osgres.sql.exec.Nodes.Node;
import org.osgres.sql.exec.Plan;
import org.osgres.sql.exec.PlanNodes;
import org.osgres.sql.exec.PlanNodes.PlanNode;
import org.osgres.sql.exec.QueryPlan;
import org.osgres.sql.exec.SelectPlan;
import org.osgres.sql.exec.SortSupport;
import org.osgres.sql.parser.Ast;
import org.osgres.sql.types.PgType;

/*
 * QueryAnalyzer: SELECT with WITH, FROM, WHERE, GROUP BY, HAVING, DISTINCT, ORDER BY, LIMIT and
 * OFFSET, analyzed and planned in one pass (PostgreSQL: analyze.c transformSelectStmt,
 * parse_clause.c transformSortClause / transformGroupClause / findTargetlistEntrySQL92 and
 * SQL99, parse_target.c ExpandColumnRefStar, parse_agg.c parseCheckAggregates /
 * check_ungrouped_columns; then planner.c's fixed plan shape).
 *
 * The plan is always: FROM items joined by nested loops, Filter (WHERE), Agg and Filter (HAVING)
 * when grouped, ProjectSet when the select list has set-returning calls, Project (targets plus
 * resjunk sort keys), Distinct, Sort, Limit. The WITH list is analyzed first (CteAnalyzer), then
 * the FROM items (FromAnalyzer: tables, views, functions, subqueries, WITH queries); FOR UPDATE
 * adds a LockRows node above WHERE. A VALUES list as a query (in FROM, WITH or a sublink) is
 * SelectPlan's rows as a scan.
 *
 * Entry points: plan() -- a QueryPlan for a SELECT; subLink() -- EXISTS and scalar subqueries.
 * See also: Scope -- column references; FromAnalyzer -- FROM; Aggregates -- aggregate calls;
 * SetReturning -- set-returning calls; exec.PlanNodes -- execution.
 */
public final class QueryAnalyzer {
    private QueryAnalyzer() {
    }

    record Target(Ast.Expr ast, Node node, String name) {
    }

    public static QueryPlan plan(Ast.SelectStmt s, Analyzer an) {
        if (!s.with().isEmpty()) {
            CteAnalyzer.transformWith(an, s.with());
        }
        if (!s.values().isEmpty()) {
            SelectPlan values = SelectPlan.analyze(s, an, an.src());
            return new QueryPlan(values.columns(), values.scan());
        }
        Scope scope = new Scope();
        an.scope = scope;
        if (s.locking() != null) {
            an.fromLock = org.osgres.api.xact.LockMode.ROW_SHARE;
        }
        PlanNode node = null;
        for (Ast.FromItem fi : s.from()) {
            int before = scope.width();
            PlanNode n = FromAnalyzer.fromItem(an, scope, fi);
            node = node == null ? n : new PlanNodes.NestLoop(node, n, null, false, scope.width() - before);
        }
        if (node == null) {
            node = new PlanNodes.OneRow();
        }
        Node whereNode = null;
        if (s.where() != null) {
            forbidAggregates(an, "WHERE");
            whereNode = an.toBoolean(an.transform(s.where()), "WHERE", s.where().location());
            node = new PlanNodes.Filter(node, whereNode);
            pushQuals(an, whereNode);
        }

        List<AggCall> aggs = new ArrayList<>();
        an.aggregates = aggs;
        List<SetReturning.SrfCall> srfs = new ArrayList<>();
        an.srfs = srfs;
        List<Target> targets = targets(an, scope, s);

        forbidAggregates(an, "GROUP BY");
        List<Ast.Expr> groupAsts = new ArrayList<>();
        List<Node> groupNodes = new ArrayList<>();
        for (Ast.Expr g : s.groupBy()) {
            Target t = targetEntrySql92(an, scope, g, targets, "GROUP BY");
            if (t != null && SetReturning.appearsIn(t.ast())) {
                throw an.error(SqlState.FEATURE_NOT_SUPPORTED,
                        "set-returning functions in GROUP BY are not supported by osgres yet", g.location());
            }
            if (t != null) {
                groupAsts.add(t.ast());
                groupNodes.add(t.node());
            } else {
                groupAsts.add(g);
                groupNodes.add(an.resolveUnknown(an.transform(g)));
            }
        }

        an.aggregates = aggs;
        an.forbidSetReturning("HAVING");
        Node having = s.having() == null ? null
                : an.toBoolean(an.transform(s.having()), "HAVING", s.having().location());

        an.srfs = srfs;

        List<Integer> sortColumns = new ArrayList<>();
        List<Target> junk = new ArrayList<>();
        for (Ast.SortBy sb : s.orderBy()) {
            Target t = targetEntrySql92(an, scope, sb.expr(), targets, "ORDER BY");
            int index = t == null ? -1 : targets.indexOf(t);
            if (t == null) {
                for (int i = 0; i < targets.size() && index < 0; i++) {
                    if (same(an, scope, targets.get(i).ast(), sb.expr())) {
                        index = i;
                    }
                }
            }
            if (index < 0) {
                if (s.distinct()) {
                    throw an.error(SqlState.INVALID_COLUMN_REFERENCE,
                            "for SELECT DISTINCT, ORDER BY expressions must appear in select list",
                            sb.expr().location());
                }
                junk.add(new Target(sb.expr(), an.resolveUnknown(an.transform(sb.expr())), null));
                index = targets.size() + junk.size() - 1;
            }
            sortColumns.add(index);
        }
        an.forbidSetReturning("this context");

        if (s.locking() != null) {
            node = lockRows(an, s, node, whereNode, !aggs.isEmpty());
        }
        if (!aggs.isEmpty() || !s.groupBy().isEmpty() || s.having() != null) {
            for (Target t : targets) {
                checkUngrouped(an, scope, t.ast(), groupAsts);
            }
            if (s.having() != null) {
                checkUngrouped(an, scope, s.having(), groupAsts);
            }
            for (Target t : junk) {
                checkUngrouped(an, scope, t.ast(), groupAsts);
            }
            node = new PlanNodes.Agg(node, groupNodes, aggs, scope.width());
            if (having != null) {
                node = new PlanNodes.Filter(node, having);
            }
        }
        if (!srfs.isEmpty()) {
            boolean grouped = !aggs.isEmpty() || !s.groupBy().isEmpty() || s.having() != null;
            node = SetReturning.projectSet(node, srfs, scope.width() + (grouped ? aggs.size() : 0));
        }

        List<Node> exprs = new ArrayList<>();
        List<Plan.Column> columns = new ArrayList<>();
        for (Target t : targets) {
            exprs.add(t.node());
            columns.add(aggs.isEmpty() && s.groupBy().isEmpty() ? column(scope, t)
                    : new Plan.Column(t.name(), t.node().type(), t.node().typmod()));
        }
        for (Target t : junk) {
            exprs.add(t.node());
        }
        node = new PlanNodes.Project(node, exprs);
        if (s.distinct()) {
            node = new PlanNodes.Distinct(node, targets.size());
        }
        if (!sortColumns.isEmpty()) {
            Comparator<Object[]> order = null;
            for (int i = 0; i < sortColumns.size(); i++) {
                Ast.SortBy sb = s.orderBy().get(i);
                int col = sortColumns.get(i);
                PgType type = exprs.get(col).type();
                Comparator<Object> cmp = SortSupport.comparator(type);
                if (cmp == null) {
                    throw an.at(new PgException(SqlState.UNDEFINED_FUNCTION,
                            "could not identify an ordering operator for type " + type.displayName())
                            .withHint("Use an explicit ordering operator or modify the query."), sb.expr().location());
                }
                boolean nullsFirst = sb.nullsFirst() != null ? sb.nullsFirst() : sb.desc();
                Comparator<Object[]> key = SortSupport.sortKey(col, cmp, sb.desc(), nullsFirst);
                order = order == null ? key : order.thenComparing(key);
            }
            node = new PlanNodes.Sort(node, order);
        }
        if (s.limit() != null || s.offset() != null) {
            an.scope = null;
            forbidAggregates(an, "LIMIT");
            Node limit = s.limit() == null ? null : an.coerceTo(an.transform(s.limit()), PgType.INT8, "LIMIT",
                    s.limit().location());
            forbidAggregates(an, "OFFSET");
            Node offset = s.offset() == null ? null : an.coerceTo(an.transform(s.offset()), PgType.INT8, "OFFSET",
                    s.offset().location());
            node = new PlanNodes.Limit(node, limit, offset);
        }
        return new QueryPlan(columns, node);
    }

    /** A result column, with its table column when the target shows one unchanged. */
    static Plan.Column column(Scope scope, Target t) {
        int[] tc = scope.tableColumn(t.node());
        return tc == null ? new Plan.Column(t.name(), t.node().type(), t.node().typmod())
                : new Plan.Column(t.name(), t.node().type(), t.node().typmod(), tc[0], tc[1]);
    }

    /** Gives each table scan of this query the index-able quals of WHERE. */
    static void pushQuals(Analyzer an, Node where) {
        for (TableAnalyzer.ScanRef ref : an.scans) {
            ref.scan().addQuals(where, ref.offset());
        }
    }

    /** FOR UPDATE and friends (transformLockingClause, CheckSelectLocking): a LockRows over the filtered rows. */
    private static PlanNode lockRows(Analyzer an, Ast.SelectStmt s, PlanNode node, Node where, boolean aggregates) {
        Ast.Locking l = s.locking();
        String clause = "FOR " + l.strength().toUpperCase(java.util.Locale.ROOT);
        String problem = s.distinct() ? "DISTINCT clause" : !s.groupBy().isEmpty() ? "GROUP BY clause"
                : s.having() != null ? "HAVING clause" : aggregates ? "aggregate functions" : null;
        if (problem != null) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, clause + " is not allowed with " + problem);
        }
        if (an.subqueryInFrom) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, clause
                    + " with a subquery or WITH query in FROM is not supported by osgres yet");
        }
        List<org.osgres.sql.exec.TableScan> scans = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        for (TableAnalyzer.ScanRef ref : an.scans) {
            scans.add(ref.scan());
            offsets.add(ref.offset());
        }
        org.osgres.api.heap.RowLockMode mode = l.strength().equals("update")
                ? org.osgres.api.heap.RowLockMode.FOR_UPDATE : org.osgres.api.heap.RowLockMode.FOR_NO_KEY_UPDATE;
        org.osgres.api.heap.LockWaitPolicy policy = switch (l.waitPolicy()) {
            case "nowait" -> org.osgres.api.heap.LockWaitPolicy.ERROR;
            case "skip" -> org.osgres.api.heap.LockWaitPolicy.SKIP;
            default -> org.osgres.api.heap.LockWaitPolicy.BLOCK;
        };
        return new org.osgres.sql.exec.LockRows(node, scans, offsets, mode, policy, where);
    }

    /** Aggregates and set-returning functions are not allowed in the clause analyzed next. */
    private static void forbidAggregates(Analyzer an, String clause) {
        an.aggregates = null;
        an.aggContext = clause;
        an.forbidSetReturning(clause);
    }

    /** EXISTS (SELECT ...), (SELECT ...) and x IN (SELECT ...); outer references are allowed. */
    static Node subLink(Analyzer an, Ast.SubLink l) {
        Analyzer sub = new Analyzer(an);
        QueryPlan p = plan(l.select(), sub);
        if (l.kind() == Ast.SubLinkKind.EXISTS) {
            return new Nodes.SubPlan(true, p.root(), PgType.BOOL, -1);
        }
        if (l.kind() == Ast.SubLinkKind.ANY) {
            if (p.columns().size() != 1) {
                throw an.error(SqlState.SYNTAX_ERROR, p.columns().size() > 1 ? "subquery has too many columns"
                        : "subquery has too few columns", l.location());
            }
            Node test = an.transform(l.testExpr());
            Plan.Column c = p.columns().get(0);
            if (test.type() == PgType.UNKNOWN) {
                // an unknown literal takes the subquery column's type, as make_scalar_array_op's resolution does
                Node typed = an.coercion.coerce(test, c.type() == PgType.UNKNOWN ? PgType.TEXT : c.type(), -1,
                        Coercion.Context.IMPLICIT, l.testExpr().location());
                test = typed != null ? typed : an.resolveUnknown(test);
            }
            Nodes.Holder holder = new Nodes.Holder(test.type(), test.typmod());
            Node cmp = an.operator("=", holder, new Nodes.Var(0, c.type(), c.typmod()), l.testExpr().location(),
                    l.location(), l.location());
            return new Nodes.SubPlan(false, p.root(), PgType.BOOL, -1, new Nodes.AnyTest(test, holder, cmp));
        }
        if (p.columns().size() != 1) {
            throw an.error(SqlState.SYNTAX_ERROR, "subquery must return only one column", l.location());
        }
        Plan.Column c = p.columns().get(0);
        return new Nodes.SubPlan(false, p.root(), c.type(), c.typmod());
    }

    // ---- target list

    static List<Target> targets(Analyzer an, Scope scope, Ast.SelectStmt s) {
        List<Target> out = new ArrayList<>();
        for (Ast.ResTarget t : s.targets()) {
            if (t.expr() instanceof Ast.ColumnRef c && c.names().get(c.names().size() - 1).equals("*")) {
                if (scope.entries().isEmpty()) {
                    throw an.error(SqlState.SYNTAX_ERROR, "SELECT * with no tables specified is not valid",
                            c.location());
                }
                List<Scope.Entry> entries = c.names().size() == 1 ? scope.entries()
                        : List.of(scope.entry(an, c.names(), c.location()));
                for (Scope.Entry e : entries) {
                    for (int i = 0; i < e.columns().size(); i++) {
                        Scope.Column col = e.columns().get(i);
                        if (e.relOid() != 0 && col.type() == PgType.TID && col.name().equals("ctid")) {
                            continue; // a system column: not part of *
                        }
                        Ast.ColumnRef ref = new Ast.ColumnRef(List.of(e.refname(), col.name()), c.location());
                        out.add(new Target(ref, Scope.columnAt(e, i), col.name()));
                    }
                }
                continue;
            }
            Node n = an.resolveUnknown(an.transform(t.expr()));
            out.add(new Target(t.expr(), n, t.alias() != null ? t.alias() : Analyzer.columnName(t.expr())));
        }
        return out;
    }

    /**
     * findTargetlistEntrySQL92(): a bare name matching an output column (in GROUP BY only when
     * no input column has that name) or an integer position. Null when neither applies.
     */
    private static Target targetEntrySql92(Analyzer an, Scope scope, Ast.Expr e, List<Target> targets,
            String clause) {
        if (e instanceof Ast.ColumnRef c && c.names().size() == 1 && !c.names().get(0).equals("*")) {
            String name = c.names().get(0);
            boolean inputColumn = false;
            if (clause.equals("GROUP BY")) {
                for (Scope.Entry entry : scope.entries()) {
                    inputColumn |= Scope.column(entry, name) != null;
                }
            }
            if (!inputColumn) {
                Target found = null;
                for (Target t : targets) {
                    if (name.equals(t.name())) {
                        if (found != null && !same(an, scope, found.ast(), t.ast())) {
                            throw an.error(SqlState.AMBIGUOUS_COLUMN, clause + " \"" + name + "\" is ambiguous",
                                    c.location());
                        }
                        if (found == null) {
                            found = t;
                        }
                    }
                }
                if (found != null) {
                    return found;
                }
            }
        }
        if (e instanceof Ast.Const k && k.kind() != Ast.ConstKind.NULL) {
            if (k.kind() != Ast.ConstKind.INTEGER || !k.value().matches("-?\\d+")) {
                throw an.error(SqlState.SYNTAX_ERROR, "non-integer constant in " + clause, k.location());
            }
            long pos = Long.parseLong(k.value());
            if (pos < 1 || pos > targets.size()) {
                throw an.error(SqlState.INVALID_COLUMN_REFERENCE, clause + " position " + pos
                        + " is not in select list", k.location());
            }
            return targets.get((int) pos - 1);
        }
        return null;
    }

    // ---- grouping checks

    /** check_ungrouped_columns(): every column outside an aggregate must be a GROUP BY item. */
    private static void checkUngrouped(Analyzer an, Scope scope, Ast.Expr e, List<Ast.Expr> groupAsts) {
        for (Ast.Expr g : groupAsts) {
            if (same(an, scope, e, g)) {
                return;
            }
        }
        switch (e) {
            case Ast.FuncCall f when Aggregates.isAggregate(f) -> {
                return;
            }
            case Ast.SubLink l -> {
                return;
            }
            case Ast.ColumnRef c -> {
                if (!(scope.resolve(an, c) instanceof Nodes.Var v)) {
                    return; // an outer reference is a constant within this query
                }
                for (Scope.Entry entry : scope.entries()) {
                    int i = v.index() - entry.offset();
                    if (i >= 0 && i < entry.columns().size()) {
                        throw an.error(SqlState.GROUPING_ERROR, "column \"" + entry.refname() + "."
                                + entry.columns().get(i).name()
                                + "\" must appear in the GROUP BY clause or be used in an aggregate function",
                                c.location());
                    }
                }
                return;
            }
            default -> {
                for (Ast.Expr child : children(e)) {
                    checkUngrouped(an, scope, child, groupAsts);
                }
            }
        }
    }

    /** The sub-expressions of an expression node, found through its record components. */
    private static List<Ast.Expr> children(Object node) {
        List<Ast.Expr> out = new ArrayList<>();
        if (node instanceof Record r) {
            for (RecordComponent rc : r.getClass().getRecordComponents()) {
                collect(value(rc, r), out);
            }
        }
        return out;
    }

    private static void collect(Object v, List<Ast.Expr> out) {
        if (v instanceof Ast.Expr e) {
            out.add(e);
        } else if (v instanceof List<?> list) {
            for (Object o : list) {
                collect(o, out);
            }
        } else if (v instanceof Ast.When w) {
            collect(w.condition(), out);
            collect(w.result(), out);
        }
    }

    static Object value(RecordComponent rc, Record r) {
        try {
            return rc.getAccessor().invoke(r);
        } catch (ReflectiveOperationException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** equal() on raw expressions: the same shape and values, locations ignored, columns by what they resolve to. */
    static boolean same(Analyzer an, Scope scope, Object a, Object b) {
        if (a instanceof Ast.ColumnRef x && b instanceof Ast.ColumnRef y) {
            if (x.names().equals(y.names())) {
                return true;
            }
            try {
                Node vx = scope.resolve(an, x);
                Node vy = scope.resolve(an, y);
                return vx instanceof Nodes.Var p && vy instanceof Nodes.Var q && p.index() == q.index();
            } catch (PgException e) {
                return false;
            }
        }
        if (a instanceof Record ra && b instanceof Record rb) {
            if (a.getClass() != b.getClass()) {
                return false;
            }
            for (RecordComponent rc : ra.getClass().getRecordComponents()) {
                if (rc.getName().equals("location")) {
                    continue;
                }
                if (!same(an, scope, value(rc, ra), value(rc, rb))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!same(an, scope, la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }
}
