package org.osgres.sql.analyze;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.sql.analyze.Coercion.Context;
import org.osgres.sql.exec.AggCall;
import org.osgres.sql.exec.Nodes;
import org.osgres.sql.exec.Nodes.Node;
import org.osgres.sql.exec.SortSupport;
import org.osgres.sql.parser.Ast;
import org.osgres.sql.types.PgType;

/*
 * Aggregates: the analysis of aggregate calls (PostgreSQL: parse_agg.c transformAggregateCall
 * and check_agglevels_and_constraints, with pg_aggregate's signatures for count, sum, avg, min,
 * max, bool_and, bool_or, every and string_agg).
 *
 * An aggregate is allowed only where the analyzer collects them (the target list, HAVING,
 * ORDER BY); elsewhere it is 42803 "aggregate functions are not allowed in WHERE". Each call
 * becomes an AggCall in the query's list and, in the expression, a Var reading the aggregate's
 * result after the grouped tuple (PlanNodes.Agg appends it there).
 *
 * Entry points: isAggregate(), transform().
 */
final class Aggregates {
    private Aggregates() {
    }

    static boolean isAggregate(Ast.FuncCall f) {
        String name = f.name().startsWith("pg_catalog.") ? f.name().substring("pg_catalog.".length()) : f.name();
        return AggCall.NAMES.contains(name);
    }

    static Node transform(Analyzer an, Ast.FuncCall f) {
        String name = f.name().startsWith("pg_catalog.") ? f.name().substring("pg_catalog.".length()) : f.name();
        if (an.inAggregateArgs) {
            throw an.error(SqlState.GROUPING_ERROR, "aggregate function calls cannot be nested", f.location());
        }
        if (an.aggregates == null) {
            throw an.error(SqlState.GROUPING_ERROR, "aggregate functions are not allowed in " + an.aggContext,
                    f.location());
        }
        List<Node> args = new ArrayList<>();
        an.inAggregateArgs = true;
        try {
            for (Ast.Expr a : f.args()) {
                args.add(an.transform(a));
            }
        } finally {
            an.inAggregateArgs = false;
        }
        AggCall call = resolve(an, name, f, args);
        int index = an.aggregates.size();
        an.aggregates.add(call);
        int typmod = (name.equals("min") || name.equals("max")) ? args.get(0).typmod() : -1;
        return new Nodes.Var(an.scope == null ? index : an.scope.width() + index, call.resultType(), typmod);
    }

    private static AggCall resolve(Analyzer an, String name, Ast.FuncCall f, List<Node> args) {
        if (f.star()) {
            if (!name.equals("count")) {
                throw an.error(SqlState.WRONG_OBJECT_TYPE, name + "(*) specified, but " + name
                        + " is not an aggregate function", f.location());
            }
            return new AggCall(AggCall.Kind.COUNT_STAR, null, null, false, PgType.INT8, null);
        }
        boolean d = f.distinct();
        if (args.size() == 1) {
            Node a = args.get(0);
            PgType t = a.type();
            switch (name) {
                case "count":
                    return new AggCall(AggCall.Kind.COUNT, an.resolveUnknown(a), null, d, PgType.INT8, null);
                case "sum": {
                    PgType r = switch (t) {
                        case INT2, INT4 -> PgType.INT8;
                        case INT8, NUMERIC -> PgType.NUMERIC;
                        case FLOAT4 -> PgType.FLOAT4;
                        case FLOAT8 -> PgType.FLOAT8;
                        default -> null;
                    };
                    if (r != null) {
                        return new AggCall(AggCall.Kind.SUM, a, null, d, r, null);
                    }
                    break;
                }
                case "avg": {
                    PgType r = switch (t) {
                        case INT2, INT4, INT8, NUMERIC -> PgType.NUMERIC;
                        case FLOAT4, FLOAT8 -> PgType.FLOAT8;
                        default -> null;
                    };
                    if (r != null) {
                        return new AggCall(AggCall.Kind.AVG, a, null, d, r, numericDivide());
                    }
                    break;
                }
                case "min", "max": {
                    Node arg = an.resolveUnknown(a);
                    if (SortSupport.comparator(arg.type()) != null && arg.type() != PgType.UNKNOWN) {
                        PgType r = arg.type() == PgType.NAME || arg.type() == PgType.VARCHAR ? PgType.TEXT : arg.type();
                        Node coerced = r == arg.type() ? arg
                                : an.coercion.coerce(arg, r, -1, Context.IMPLICIT, f.args().get(0).location());
                        return new AggCall(name.equals("min") ? AggCall.Kind.MIN : AggCall.Kind.MAX, coerced, null, d,
                                r, null);
                    }
                    break;
                }
                case "bool_and", "bool_or", "every": {
                    Node b = an.coercion.coerce(a, PgType.BOOL, -1, Context.IMPLICIT, f.args().get(0).location());
                    if (b != null) {
                        return new AggCall(name.equals("bool_or") ? AggCall.Kind.BOOL_OR : AggCall.Kind.BOOL_AND, b,
                                null, d, PgType.BOOL, null);
                    }
                    break;
                }
                default:
                    break;
            }
        } else if (args.size() == 2 && name.equals("string_agg")) {
            Node v = an.coercion.coerce(args.get(0), PgType.TEXT, -1, Context.IMPLICIT, f.args().get(0).location());
            Node sep = an.coercion.coerce(args.get(1), PgType.TEXT, -1, Context.IMPLICIT, f.args().get(1).location());
            if (v != null && sep != null) {
                return new AggCall(AggCall.Kind.STRING_AGG, v, sep, d, PgType.TEXT, null);
            }
        }
        String sig = name + "(" + args.stream().map(n -> n.type().displayName()).collect(Collectors.joining(", "))
                + ")";
        throw an.at(new PgException(SqlState.UNDEFINED_FUNCTION, "function " + sig + " does not exist")
                .withHint("No function matches the given name and argument types. "
                        + "You might need to add explicit type casts."), f.location());
    }

    private static Nodes.Impl numericDivide() {
        for (FunctionDef def : Catalog.get().operators("/")) {
            if (def.argTypes().equals(List.of(PgType.NUMERIC, PgType.NUMERIC))) {
                return def.impl();
            }
        }
        throw new IllegalStateException("numeric / numeric is missing from the operator catalog");
    }
}
