package org.osgres.sql.analyze;

import java.util.ArrayList;
import java.util.List;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.sql.exec.PlanNodes.PlanNode;
import org.osgres.sql.exec.QueryPlan;
import org.osgres.sql.exec.SubqueryScan;
import org.osgres.sql.parser.Ast;

/*
 * CteAnalyzer: WITH lists of non-recursive, SELECT-only queries (PostgreSQL: parser/parse_cte.c
 * transformWithClause, analyzeCTE, analyzeCTETargetList; parse_relation.c scanNameSpaceForCTE
 * and addRangeTableEntryForCTE).
 *
 * transformWith() analyzes each WITH query once, in order, when its statement is analyzed (so
 * an unreferenced one still reports its errors, as PostgreSQL does), fixing its column names
 * (the column aliases, then its own names) and types. A WITH query sees the ones before it in its
 * list and those of the queries it is written in. A FROM name that is not schema-qualified is
 * looked up among them first, innermost query first, before tables and views.
 *
 * Each reference plans the WITH query again and scans it with a SubqueryScan, so a WITH query
 * referenced twice runs twice. PostgreSQL runs it once into a tuplestore that every reference
 * reads; for SELECT-only WITH queries under the statement's snapshot the rows are the same (only
 * volatile functions such as random() could tell). The plan is made with outer references
 * counted from the referencing query (Analyzer.levelShift), since it runs inside that query.
 * WITH RECURSIVE and INSERT / UPDATE / DELETE in WITH are refused by the parser (0A000).
 *
 * Entry points: transformWith(), find(), reference().
 * See also: FromAnalyzer -- FROM items; exec.SubqueryScan -- the scan.
 */
final class CteAnalyzer {
    private CteAnalyzer() {
    }

    /** One analyzed WITH query: its columns, the query it belongs to and its place in that WITH list. */
    record Cte(Ast.CommonTableExpr ast, List<Scope.Column> columns, List<int[]> origins, Analyzer owner,
            int index) {
    }

    /** transformWithClause: each WITH query analyzed in order, then visible to the ones after it. */
    static void transformWith(Analyzer an, List<Ast.CommonTableExpr> with) {
        List<Cte> ctes = new ArrayList<>();
        an.ctes = ctes;
        an.pendingCtes = with;
        for (Ast.CommonTableExpr c : with) {
            for (Cte other : ctes) {
                if (other.ast().name().equals(c.name())) {
                    throw an.error(SqlState.DUPLICATE_ALIAS, "WITH query name \"" + c.name()
                            + "\" specified more than once", c.location());
                }
            }
            QueryPlan p = plan(an, c, ctes.size(), an);
            List<Scope.Column> columns = FromAnalyzer.columns(p, c.columnAliases(), () -> an.error(
                    SqlState.INVALID_COLUMN_REFERENCE, "WITH query \"" + c.name() + "\" has " + p.columns().size()
                            + " columns available but " + c.columnAliases().size() + " columns specified",
                    c.location()));
            ctes.add(new Cte(c, columns, FromAnalyzer.origins(p), an, ctes.size()));
        }
    }

    /** scanNameSpaceForCTE: the WITH query of that name visible from an, innermost first, or null. */
    static Cte find(Analyzer an, String name) {
        int limit = -1;
        for (Analyzer level = an; level != null; level = level.cteOuter) {
            List<Cte> ctes = level.ctes;
            int visible = limit < 0 ? ctes.size() : Math.min(limit, ctes.size());
            for (int i = 0; i < visible; i++) {
                if (ctes.get(i).ast().name().equals(name)) {
                    return ctes.get(i);
                }
            }
            limit = level.cteOuterLimit;
        }
        return null;
    }

    /** True when a WITH list being analyzed has a query of that name after the one looking (a forward reference). */
    static boolean isForwardReference(Analyzer an, String name) {
        for (Analyzer level = an; level != null; level = level.cteOuter) {
            if (level.cteOuterLimit >= 0 && level.cteOuter != null) {
                if (level.cteOuter.pendingCtes != null) {
                    for (int i = level.cteOuterLimit; i < level.cteOuter.pendingCtes.size(); i++) {
                        if (level.cteOuter.pendingCtes.get(i).name().equals(name)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /** A reference in FROM: the WITH query planned for this place, its columns under the alias or its name. */
    static PlanNode reference(Analyzer an, Scope scope, Cte cte, Ast.RangeVar rv) {
        QueryPlan p = plan(cte.owner(), cte.ast(), cte.index(), an);
        scope.addSubquery(cte.ast().name(), rv.alias(), cte.columns(), cte.origins());
        an.subqueryInFrom = true;
        return new SubqueryScan(p.root(), cte.columns().size());
    }

    /**
     * The WITH query planned as written in owner (seeing owner's WITH queries before index) to run
     * inside the query at: outer references past owner count the SubPlans between the two.
     */
    private static QueryPlan plan(Analyzer owner, Ast.CommonTableExpr c, int index, Analyzer at) {
        Analyzer body = new Analyzer(owner);
        body.parent = owner.parent;
        body.cteOuterLimit = index;
        body.depth = at.depth;
        body.levelShift = at.depth - owner.depth;
        return QueryAnalyzer.plan(c.query(), body);
    }
}
