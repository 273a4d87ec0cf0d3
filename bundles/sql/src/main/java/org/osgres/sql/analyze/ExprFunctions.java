package org.osgres.sql.analyze;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.sql.exec.Nodes;
import org.osgres.sql.exec.Nodes.Node;
import org.osgres.sql.parser.Ast;
import org.osgres.sql.types.PgType;

/*
 * ExprFunctions: the analysis of function calls and of the special expression forms
 * (PostgreSQL: parse_func.c ParseFuncOrColumn and func_get_detail; parse_expr.c
 * transformCaseExpr, transformCoalesceExpr, transformMinMaxExpr, transformAExprIn,
 * transformAExprBetween, transformAExprNullIf, transformAExprDistinct, transformSQLValueFunction).
 *
 * Entry points: call(), sqlValue(), caseExpr(), coalesce(), nullIf(), minMax(), in(), between(),
 * like(), distinct().
 */
final class ExprFunctions {
    private ExprFunctions() {
    }

    static Node call(Analyzer an, Ast.FuncCall f) {
        String name = f.name();
        if (name.startsWith("pg_catalog.")) {
            name = name.substring("pg_catalog.".length());
        }
        List<Node> args = new ArrayList<>();
        List<PgType> types = new ArrayList<>();
        for (Ast.Expr a : f.args()) {
            Node n = an.transform(a);
            args.add(n);
            types.add(n.type());
        }
        Resolver.Result r = Resolver.resolve(Catalog.get().functions(name), types, false);
        String sig = name + "(" + types.stream().map(PgType::displayName).collect(Collectors.joining(", ")) + ")";
        if (r.outcome() == Resolver.Outcome.NOT_FOUND) {
            throw an.at(new PgException(SqlState.UNDEFINED_FUNCTION, "function " + sig + " does not exist")
                    .withHint("No function matches the given name and argument types. "
                            + "You might need to add explicit type casts."), f.location());
        }
        if (r.outcome() == Resolver.Outcome.AMBIGUOUS) {
            throw an.at(new PgException(SqlState.AMBIGUOUS_FUNCTION, "function " + sig + " is not unique")
                    .withHint("Could not choose a best candidate function. "
                            + "You might need to add explicit type casts."), f.location());
        }
        FunctionDef def = r.def();
        List<Node> coerced = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            PgType t = i < def.nargs() ? def.argTypes().get(i) : PgType.ANY;
            coerced.add(an.coerceArg(args.get(i), t, f.args().get(i).location()));
        }
        return new Nodes.Call(name, def.resultType(), -1, def.strict(), def.impl(), coerced);
    }

    private static Node callByName(String name, List<Node> args) {
        FunctionDef def = Catalog.get().functions(name).get(0);
        return new Nodes.Call(name, def.resultType(), -1, def.strict(), def.impl(), args);
    }

    static Node sqlValue(Analyzer an, Ast.SqlValue v) {
        return switch (v.name()) {
            case "current_user", "user", "current_role" -> callByName("current_user", List.of());
            case "session_user" -> callByName("session_user", List.of());
            case "current_catalog" -> callByName("current_database", List.of());
            case "current_schema" -> callByName("current_schema", List.of());
            case "current_timestamp" -> callByName("now", List.of());
            case "localtimestamp" -> new Nodes.Call("localtimestamp", PgType.TIMESTAMP, -1, false,
                    (a, x) -> x.statementStart().atZoneSameInstant(x.zone()).toLocalDateTime(), List.of());
            case "current_date" -> new Nodes.Call("current_date", PgType.DATE, -1, false,
                    (a, x) -> LocalDate.from(x.statementStart().atZoneSameInstant(x.zone())), List.of());
            default -> throw an.error(SqlState.FEATURE_NOT_SUPPORTED, v.name() + " is not supported", v.location());
        };
    }

    static Node caseExpr(Analyzer an, Ast.CaseExpr c) {
        int srfsBefore = an.srfCount;
        Node arg = c.arg() == null ? null : an.transform(c.arg());
        List<Node> conditions = new ArrayList<>();
        List<Node> results = new ArrayList<>();
        List<Integer> locations = new ArrayList<>();
        Node otherwise = c.otherwise() == null ? new Nodes.Const(PgType.UNKNOWN, -1, null) : an.transform(c.otherwise());
        results.add(otherwise);
        locations.add(c.otherwise() == null ? c.location() : c.otherwise().location());
        for (Ast.When w : c.whens()) {
            Node cond;
            if (arg != null) {
                cond = an.operator("=", arg, an.transform(w.condition()), c.arg().location(),
                        w.condition().location(), w.condition().location());
            } else {
                cond = an.toBoolean(an.transform(w.condition()), "CASE/WHEN", w.condition().location());
            }
            conditions.add(cond);
            results.add(an.transform(w.result()));
            locations.add(w.result().location());
        }
        PgType type = an.coercion.selectCommonType(results, locations, "CASE");
        List<Nodes.When> whens = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            whens.add(new Nodes.When(conditions.get(i),
                    an.coercion.toCommon(results.get(i + 1), type, "CASE", locations.get(i + 1))));
        }
        Node other = an.coercion.toCommon(results.get(0), type, "CASE", locations.get(0));
        SetReturning.checkNotIn(an, srfsBefore, "CASE");
        return new Nodes.Case(type, -1, whens, other);
    }

    private static List<Node> common(Analyzer an, List<Ast.Expr> exprs, String context, PgType[] typeOut) {
        List<Node> nodes = new ArrayList<>();
        List<Integer> locations = new ArrayList<>();
        for (Ast.Expr e : exprs) {
            nodes.add(an.transform(e));
            locations.add(e.location());
        }
        PgType type = an.coercion.selectCommonType(nodes, locations, context);
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            out.add(an.coercion.toCommon(nodes.get(i), type, context, locations.get(i)));
        }
        typeOut[0] = type;
        return out;
    }

    static Node coalesce(Analyzer an, Ast.CoalesceExpr c) {
        int srfsBefore = an.srfCount;
        PgType[] type = new PgType[1];
        List<Node> args = common(an, c.args(), "COALESCE", type);
        SetReturning.checkNotIn(an, srfsBefore, "COALESCE");
        return new Nodes.Coalesce(type[0], -1, args);
    }

    static Node minMax(Analyzer an, Ast.MinMaxExpr m) {
        PgType[] type = new PgType[1];
        String ctx = m.greatest() ? "GREATEST" : "LEAST";
        List<Node> args = common(an, m.args(), ctx, type);
        Node cmp = an.operator(m.greatest() ? ">" : "<", args.get(0), args.get(0), m.location(), m.location(),
                m.location());
        return new Nodes.MinMax(type[0], -1, args, ((Nodes.Call) cmp).impl());
    }

    static Node nullIf(Analyzer an, Ast.NullIfExpr n) {
        Node eq = an.operator("=", an.transform(n.left()), an.transform(n.right()), n.left().location(),
                n.right().location(), n.location());
        Nodes.Call call = (Nodes.Call) eq;
        return new Nodes.NullIf(call.args().get(0), call.args().get(1), call.impl());
    }

    static Node distinct(Analyzer an, Ast.DistinctExpr d) {
        Node eq = an.operator("=", an.transform(d.left()), an.transform(d.right()), d.left().location(),
                d.right().location(), d.location());
        Nodes.Call call = (Nodes.Call) eq;
        return new Nodes.Distinct(call.args().get(0), call.args().get(1), call.impl(), d.not());
    }

    static Node in(Analyzer an, Ast.InExpr i) {
        List<Node> parts = new ArrayList<>();
        for (Ast.Expr e : i.list()) {
            parts.add(an.operator(i.not() ? "<>" : "=", an.transform(i.arg()), an.transform(e),
                    i.arg().location(), e.location(), i.location()));
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return i.not() ? new Nodes.And(parts) : new Nodes.Or(parts);
    }

    static Node between(Analyzer an, Ast.BetweenExpr b) {
        int l = b.arg().location();
        if (!b.not()) {
            return new Nodes.And(List.of(
                    an.operator(">=", an.transform(b.arg()), an.transform(b.low()), l, b.low().location(), b.location()),
                    an.operator("<=", an.transform(b.arg()), an.transform(b.high()), l, b.high().location(),
                            b.location())));
        }
        return new Nodes.Or(List.of(
                an.operator("<", an.transform(b.arg()), an.transform(b.low()), l, b.low().location(), b.location()),
                an.operator(">", an.transform(b.arg()), an.transform(b.high()), l, b.high().location(), b.location())));
    }

    static Node like(Analyzer an, Ast.LikeExpr l) {
        if (l.escape() != null) {
            throw an.error(SqlState.FEATURE_NOT_SUPPORTED, "LIKE ... ESCAPE is not supported by osgres yet",
                    l.escape().location());
        }
        String op = (l.not() ? "!" : "") + (l.ilike() ? "~~*" : "~~");
        return an.operator(op, an.transform(l.arg()), an.transform(l.pattern()), l.arg().location(),
                l.pattern().location(), l.location());
    }
}
