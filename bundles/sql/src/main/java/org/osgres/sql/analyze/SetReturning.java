package org.osgres.sql.analyze;

import java.util.ArrayList;
import java.util.List;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.sql.exec.GenerateSeries;
import org.osgres.sql.exec.Nodes.Node;
import org.osgres.sql.exec.PlanNodes.PlanNode;
import org.osgres.sql.exec.ProjectSet;
import org.osgres.sql.parser.Ast;
import org.osgres.sql.types.PgType;

/*
 * SetReturning: set-returning functions -- generate_series over int4 or int8 -- in FROM and in
 * a select list (PostgreSQL: parse_func.c ParseFuncOrColumn's retset handling and
 * check_srf_call_placement; parse_agg.c's check for SRFs inside aggregates; the planner's
 * split_pathtarget_at_srfs, which puts them in ProjectSet nodes).
 *
 * In a select list (and ORDER BY, whose expressions join it as resjunk) a call becomes a
 * ProjectSet.Slot, and the call itself is remembered in Analyzer.srfs with its level: 1, or one
 * more than the deepest call among its arguments. QueryAnalyzer then puts one ProjectSet per
 * level between grouping and the projection (projectSet()). Elsewhere srfs is null and the call
 * is 0A000 naming the clause (srfContext); CASE and COALESCE check srfCount around their
 * arguments. Arguments: int2 and int4 give the int4 series, int8 the int8 one; other types are
 * 0A000 until osgres has their series.
 *
 * Entry points: isSetReturning(), transform(), fromFunction() (a function in FROM),
 * projectSet(), checkNotIn() (CASE, COALESCE).
 * See also: exec.ProjectSet -- runs the calls in lockstep; exec.GenerateSeries -- the function.
 */
final class SetReturning {
    /** One select-list call: the function as a value-per-call node, its output slot and its level. */
    record SrfCall(PlanNode function, ProjectSet.Slot slot, int level) {
    }

    private static final String LATERAL_HINT =
            "You might be able to move the set-returning function into a LATERAL FROM item.";

    private SetReturning() {
    }

    private static String name(Ast.FuncCall f) {
        return f.name().startsWith("pg_catalog.") ? f.name().substring("pg_catalog.".length()) : f.name();
    }

    static boolean isSetReturning(Ast.FuncCall f) {
        return name(f).equals("generate_series");
    }

    /** A set-returning call in an expression: a Slot for the select list, or the placement error. */
    static Node transform(Analyzer an, Ast.FuncCall f) {
        if (an.inAggregateArgs) {
            throw an.at(new PgException(SqlState.FEATURE_NOT_SUPPORTED,
                    "aggregate function calls cannot contain set-returning function calls")
                    .withHint(LATERAL_HINT), f.location());
        }
        if (an.srfs == null) {
            throw notAllowed(an, f.location());
        }
        int before = an.srfs.size();
        GenerateSeries series = series(an, f, f.location(), true);
        List<SrfCall> srfs = an.srfs;
        int level = 1;
        for (int i = before; i < srfs.size(); i++) {
            level = Math.max(level, srfs.get(i).level() + 1);
        }
        ProjectSet.Slot slot = new ProjectSet.Slot(series.type());
        srfs.add(new SrfCall(series, slot, level));
        an.srfCount++;
        an.lastSrfLocation = f.location();
        return slot;
    }

    /** True when a raw expression has a set-returning call in it (outside subqueries). */
    static boolean appearsIn(Object node) {
        if (node instanceof Ast.FuncCall f && isSetReturning(f)) {
            return true;
        }
        if (node instanceof Ast.SubLink) {
            return false;
        }
        if (node instanceof Ast.Expr || node instanceof Ast.When) {
            for (java.lang.reflect.RecordComponent rc : node.getClass().getRecordComponents()) {
                if (appearsIn(QueryAnalyzer.value(rc, (Record) node))) {
                    return true;
                }
            }
        } else if (node instanceof List<?> list) {
            for (Object o : list) {
                if (appearsIn(o)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** check_srf_call_placement's error for the clause being analyzed. */
    private static PgException notAllowed(Analyzer an, int location) {
        String message = switch (an.srfContext) {
            case "functions in FROM" -> "set-returning functions must appear at top level of FROM";
            case "GROUP BY" -> "set-returning functions in GROUP BY are not supported by osgres yet";
            default -> "set-returning functions are not allowed in " + an.srfContext;
        };
        return an.error(SqlState.FEATURE_NOT_SUPPORTED, message, location);
    }

    /** transformCaseExpr / transformCoalesceExpr: no set-returning call among the construct's arguments. */
    static void checkNotIn(Analyzer an, int countBefore, String construct) {
        if (an.srfCount != countBefore) {
            throw an.at(new PgException(SqlState.FEATURE_NOT_SUPPORTED, "set-returning functions are not allowed in "
                    + construct).withHint(LATERAL_HINT), an.lastSrfLocation);
        }
    }

    /**
     * generate_series's arguments, transformed and coerced to the series type. inSelectList: a
     * wrong argument count is 42883 as for any function; in FROM it is osgres's 0A000.
     */
    private static GenerateSeries series(Analyzer an, Ast.FuncCall call, int location, boolean inSelectList) {
        if (call.args().size() < 2 || call.args().size() > 3) {
            List<Node> args = new ArrayList<>();
            for (Ast.Expr e : call.args()) {
                args.add(an.transform(e));
            }
            String sig = String.join(", ", args.stream().map(n -> n.type().displayName()).toList());
            throw an.at(new PgException(SqlState.UNDEFINED_FUNCTION, "function " + name(call) + "(" + sig
                    + ") does not exist").withHint("No function matches the given name and argument types. "
                            + "You might need to add explicit type casts."), location);
        }
        List<Node> args = new ArrayList<>();
        PgType type = PgType.INT4;
        for (Ast.Expr e : call.args()) {
            Node n = an.transform(e);
            args.add(n);
            if (n.type() == PgType.INT8) {
                type = PgType.INT8;
            } else if (n.type() != PgType.INT4 && n.type() != PgType.INT2 && n.type() != PgType.UNKNOWN) {
                throw an.error(SqlState.FEATURE_NOT_SUPPORTED, "generate_series(" + n.type().displayName()
                        + ") is not supported by osgres yet", location);
            }
        }
        for (int i = 0; i < args.size(); i++) {
            args.set(i, an.coercion.coerce(args.get(i), type, -1, Coercion.Context.IMPLICIT,
                    call.args().get(i).location()));
        }
        return new GenerateSeries(type, args.get(0), args.get(1), args.size() > 2 ? args.get(2) : null);
    }

    /** generate_series(...) [AS] alias [(column)] in FROM (transformRangeFunction); other functions are 0A000. */
    static PlanNode fromFunction(Analyzer an, Scope scope, Ast.FunctionRange fr) {
        Ast.FuncCall call = fr.call();
        if (!isSetReturning(call) || call.args().size() < 2 || call.args().size() > 3) {
            throw an.error(SqlState.FEATURE_NOT_SUPPORTED, "function " + call.name()
                    + " in FROM is not supported by osgres yet", fr.location());
        }
        an.aggregates = null;
        an.aggContext = "functions in FROM";
        an.forbidSetReturning("functions in FROM");
        GenerateSeries series = series(an, call, fr.location(), false);
        String refname = fr.alias() != null ? fr.alias() : "generate_series";
        String column = !fr.columnAliases().isEmpty() ? fr.columnAliases().get(0) : refname;
        if (fr.columnAliases().size() > 1) {
            throw an.error(SqlState.INVALID_COLUMN_REFERENCE, "too many column aliases specified for function "
                    + "generate_series", fr.location());
        }
        scope.add(an, "generate_series", fr.alias(), List.of(new Scope.Column(column, series.type(), -1)),
                fr.location());
        return series;
    }

    /**
     * The ProjectSet nodes for the select list's calls over node, whose tuples have baseWidth
     * columns: each level's calls get the columns after the levels below it.
     */
    static PlanNode projectSet(PlanNode node, List<SrfCall> srfs, int baseWidth) {
        int maxLevel = 0;
        for (SrfCall c : srfs) {
            maxLevel = Math.max(maxLevel, c.level());
        }
        int width = baseWidth;
        for (int level = 1; level <= maxLevel; level++) {
            List<PlanNode> functions = new ArrayList<>();
            for (SrfCall c : srfs) {
                if (c.level() == level) {
                    c.slot().setIndex(width + functions.size());
                    functions.add(c.function());
                }
            }
            node = new ProjectSet(node, functions, width);
            width += functions.size();
        }
        return node;
    }
}
