package org.osgres.sql.analyze;

import java.util.ArrayList;
import java.util.List;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.sql.SystemView;
import org.osgres.sql.exec.Nodes.Node;
import org.osgres.sql.exec.Plan;
import org.osgres.sql.exec.PlanNodes;
import org.osgres.sql.exec.PlanNodes.PlanNode;
import org.osgres.sql.exec.QueryPlan;
import org.osgres.sql.exec.SubqueryScan;
import org.osgres.sql.exec.ViewScan;
import org.osgres.sql.parser.Ast;
import org.osgres.sql.types.PgType;

/*
 * FromAnalyzer: the items of a FROM clause (PostgreSQL: parser/parse_clause.c
 * transformFromClauseItem, transformRangeSubselect, transformRangeFunction; parse_relation.c
 * addRangeTableEntryForSubquery, addRangeTableEntryForCTE).
 *
 * A name is, in this order: a WITH query visible here (CteAnalyzer), a system view (pg_catalog
 * implied), or a table through the catalog (TableAnalyzer). A subquery is analyzed as a query of
 * its own whose outer references skip this query level (it is not LATERAL: the FROM items beside
 * it are not visible), and runs inside this query's plan as a SubqueryScan. Its alias names it;
 * column aliases rename its first columns (42P10 when there are more aliases than columns). Joins
 * are nested loops, their ON conditions analyzed after both sides.
 *
 * Entry points: fromItem().
 * See also: QueryAnalyzer -- the rest of SELECT; CteAnalyzer -- WITH; SetReturning -- functions
 * in FROM; exec.SubqueryScan -- the scan of a subquery.
 */
final class FromAnalyzer {
    private FromAnalyzer() {
    }

    /** One FROM item: its plan node, its columns added to scope. */
    static PlanNode fromItem(Analyzer an, Scope scope, Ast.FromItem fi) {
        return switch (fi) {
            case Ast.FunctionRange fr -> SetReturning.fromFunction(an, scope, fr);
            case Ast.RangeSubselect rs -> subquery(an, scope, rs);
            case Ast.RangeVar rv -> relation(an, scope, rv);
            case Ast.JoinExpr j -> {
                PlanNode left = fromItem(an, scope, j.left());
                int mid = scope.width();
                PlanNode right = fromItem(an, scope, j.right());
                Node quals = null;
                if (j.quals() != null) {
                    an.aggregates = null;
                    an.aggContext = "JOIN conditions";
                    an.forbidSetReturning("JOIN conditions");
                    quals = an.toBoolean(an.transform(j.quals()), "JOIN/ON", j.quals().location());
                }
                yield new PlanNodes.NestLoop(left, right, quals, j.kind() == Ast.JoinKind.LEFT, scope.width() - mid);
            }
        };
    }

    private static PlanNode relation(Analyzer an, Scope scope, Ast.RangeVar rv) {
        String name = rv.name();
        if (name.indexOf('.') < 0) {
            CteAnalyzer.Cte cte = CteAnalyzer.find(an, name);
            if (cte != null) {
                return CteAnalyzer.reference(an, scope, cte, rv);
            }
        }
        String rel = name;
        int dot = name.lastIndexOf('.');
        if (dot >= 0) {
            rel = name.substring(dot + 1);
            if (!name.substring(0, dot).equals("pg_catalog")) {
                rel = null;
            }
        }
        SystemView view = rel == null ? null : an.services.view(rel).orElse(null);
        if (view == null) {
            org.osgres.api.catalog.TableInfo t;
            try {
                t = TableAnalyzer.open(an, name, rv.location(), an.fromLock);
            } catch (PgException e) {
                if (e.sqlState() == SqlState.UNDEFINED_TABLE && dot < 0 && CteAnalyzer.isForwardReference(an, name)) {
                    // parserOpenTable's errdetail and errhint for a WITH item not visible yet
                    e.withDetail("There is a WITH item named \"" + name
                            + "\", but it cannot be referenced from this part of the query.")
                            .withHint("Use WITH RECURSIVE, or re-order the WITH items to remove forward references.");
                }
                throw e;
            }
            return TableAnalyzer.fromTable(an, scope, t, rv.alias(), rv.location(), an.fromLock);
        }
        List<PgType> types = ViewScan.types(view);
        List<Scope.Column> cols = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            cols.add(new Scope.Column(view.columns().get(i).name(), types.get(i), -1));
        }
        scope.add(an, rel, rv.alias(), cols, rv.location());
        return new PlanNodes.Scan(ViewScan.source(view, types));
    }

    /** transformRangeSubselect: the subquery planned on its own, its outer references past this query. */
    private static PlanNode subquery(Analyzer an, Scope scope, Ast.RangeSubselect rs) {
        Analyzer sub = new Analyzer(an);
        sub.parent = an.parent;
        sub.depth = an.depth;
        QueryPlan p = QueryAnalyzer.plan(rs.query(), sub);
        List<Scope.Column> columns = columns(p, rs.columnAliases(), () -> new PgException(
                SqlState.INVALID_COLUMN_REFERENCE, "table \"" + rs.alias() + "\" has " + p.columns().size()
                        + " columns available but " + rs.columnAliases().size() + " columns specified"));
        scope.addSubquery(rs.alias(), rs.alias(), columns, origins(p));
        an.subqueryInFrom = true;
        return new SubqueryScan(p.root(), columns.size());
    }

    /** A subquery's output columns as scope columns, the first ones renamed by aliases. */
    static List<Scope.Column> columns(QueryPlan p, List<String> aliases,
            java.util.function.Supplier<PgException> tooMany) {
        if (aliases.size() > p.columns().size()) {
            throw tooMany.get();
        }
        List<Scope.Column> out = new ArrayList<>();
        for (int i = 0; i < p.columns().size(); i++) {
            Plan.Column c = p.columns().get(i);
            out.add(new Scope.Column(i < aliases.size() ? aliases.get(i) : c.name(), c.type(), c.typmod()));
        }
        return out;
    }

    /** The table column each output column of a subquery shows, as RowDescription reports it. */
    static List<int[]> origins(QueryPlan p) {
        List<int[]> out = new ArrayList<>();
        for (Plan.Column c : p.columns()) {
            out.add(c.tableOid() == 0 ? null : new int[] {c.tableOid(), c.attnum()});
        }
        return out;
    }
}
