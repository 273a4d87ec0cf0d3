package org.osgres.sql.analyze;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.sql.analyze.Coercion.Context;
import org.osgres.sql.exec.AggCall;
import org.osgres.sql.exec.EngineServices;
import org.osgres.sql.exec.Nodes;
import org.osgres.sql.exec.Nodes.Node;
import org.osgres.sql.parser.Ast;
import org.osgres.sql.parser.Lexer;
import org.osgres.sql.types.PgType;
import org.osgres.sql.types.TypeIO;

/*
 * Analyzer: turns raw expressions into typed, executable ones (PostgreSQL: parser/parse_expr.c
 * transformExpr, parse_oper.c make_op, parse_func.c ParseFuncOrColumn, parse_node.c make_const,
 * parse_target.c FigureColname, parse_param.c for $n).
 *
 * Constants: integers that fit int4 are int4, then int8, else numeric; strings are unknown
 * until context gives them a type. Operators and functions resolve through Resolver, then
 * their arguments are coerced to the chosen signature. Errors carry the position of the
 * offending node, converted to PostgreSQL's 1-based character position.
 *
 * Entry points: transform(), columnName(), resolveUnknown(), params().
 * Column references resolve through the query's Scope (FROM); aggregate calls go to
 * Aggregates, set-returning calls to SetReturning, subqueries to QueryAnalyzer.
 *
 * See also: Coercion -- casts and common types; QueryAnalyzer -- SELECT statements.
 */
public final class Analyzer {
    private final String src;
    private final List<Nodes.ParamSlot> params;
    final Coercion coercion = new Coercion(this);
    /** The services (system views) FROM reads; set by the engine. */
    EngineServices services = new EngineServices();
    /** The FROM clause's columns, or null outside a query with FROM. */
    Scope scope;
    /** Where aggregates go, or null where they are not allowed (then aggContext names the clause). */
    List<AggCall> aggregates;
    String aggContext = "this context";
    /** The table scans of this query's FROM, for WHERE's index quals and FOR UPDATE. */
    final List<TableAnalyzer.ScanRef> scans = new ArrayList<>();
    /** The oids of every table the statement opened, subqueries included (the plan's dependencies). */
    List<Integer> tableOids = new ArrayList<>();
    /** The lock FROM's tables take: AccessShareLock, or RowShareLock under FOR UPDATE / SHARE. */
    org.osgres.api.xact.LockMode fromLock = org.osgres.api.xact.LockMode.ACCESS_SHARE;
    /** True while transforming an aggregate's arguments. */
    boolean inAggregateArgs;
    /**
     * Where set-returning function calls of the select list go (for ProjectSet), or null where
     * they are not allowed; then srfContext names the clause (check_srf_call_placement).
     */
    List<SetReturning.SrfCall> srfs;
    String srfContext = "this context";
    /** How many set-returning calls were transformed, and where the last one was (p_last_srf). */
    int srfCount;
    int lastSrfLocation = -1;
    /** This query level's WITH list (p_ctenamespace); a CTE is added once analyzed, so it cannot see itself. */
    List<CteAnalyzer.Cte> ctes = List.of();
    /** This query level's whole WITH list as written, for the forward-reference hint. */
    List<org.osgres.sql.parser.Ast.CommonTableExpr> pendingCtes;
    /** The query whose WITH names are visible next (the one this query is written in), or null. */
    Analyzer cteOuter;
    /** How many of cteOuter's CTEs are visible (those before a CTE's own place in its list), or -1 for all. */
    int cteOuterLimit = -1;
    /** How many SubPlans (sublinks) run around this query at execution: outer rows pushed (EvalContext.outerRows). */
    int depth;
    /** True once FROM has a subquery or WITH query (FOR UPDATE cannot lock through them yet). */
    boolean subqueryInFrom;
    /** Levels added to outer references (a CTE's body runs inside the query that references it, deeper than WITH). */
    int levelShift;

    /** declared: the client's parameter type OIDs (0 or missing: infer). */
    public Analyzer(String src, int[] declared) {
        this.src = src;
        this.params = new ArrayList<>();
        if (declared != null) {
            for (int oid : declared) {
                PgType t = oid == 0 ? null : PgType.byOid(oid);
                if (oid != 0 && t == null) {
                    throw new PgException(SqlState.UNDEFINED_OBJECT, "type with OID " + oid + " does not exist");
                }
                params.add(new Nodes.ParamSlot(t, t != null));
            }
        }
    }

    /** The analyzer of the query a subquery is in (for outer references), or null. */
    Analyzer parent;

    /** An analyzer for a subquery: the same query text and parameters, its own FROM and aggregates. */
    Analyzer(Analyzer parent) {
        this.parent = parent;
        this.src = parent.src;
        this.params = parent.params;
        this.services = parent.services;
        this.session = parent.session;
        this.tableOids = parent.tableOids;
        this.cteOuter = parent;
        this.depth = parent.depth + 1;
    }

    /** Forbids set-returning functions from here on, naming the clause in the error (VALUES, DEFAULT expressions). */
    public void forbidSetReturning(String clause) {
        srfs = null;
        srfContext = clause;
    }

    public void setServices(EngineServices services) {
        this.services = services;
    }

    /** The session a statement is prepared in (its transaction opens tables), or null. */
    org.osgres.api.sql.SessionContext session;

    public void setSession(org.osgres.api.sql.SessionContext session) {
        this.session = session;
    }

    /** The tables the analyzed statement depends on (PlanCacheRelCallback's relation list). */
    public List<Integer> tableOids() {
        return tableOids;
    }

    String src() {
        return src;
    }

    /** The parameters, with inferred types; undetermined ones become text. */
    public List<Nodes.ParamSlot> params() {
        for (Nodes.ParamSlot s : params) {
            if (s.type == null) {
                s.type = PgType.TEXT;
            }
        }
        return params;
    }

    PgException at(PgException e, int location) {
        if (e.position() == 0 && location >= 0) {
            e.atPosition(Lexer.position(src, location));
        }
        return e;
    }

    PgException error(SqlState state, String message, int location) {
        return at(new PgException(state, message), location);
    }

    /** An unknown-typed result (literal or parameter) becomes text, as in a target list. */
    public Node resolveUnknown(Node n) {
        if (n.type() == PgType.UNKNOWN) {
            return coercion.coerce(n, PgType.TEXT, -1, Context.IMPLICIT, -1);
        }
        return n;
    }

    public Node toBoolean(Node n, String construct, int location) {
        return coercion.toBoolean(n, construct, location);
    }

    public Node coerceTo(Node n, PgType type, String construct, int location) {
        Node c = coercion.coerce(n, type, -1, Context.ASSIGNMENT, location);
        if (c == null) {
            throw error(SqlState.DATATYPE_MISMATCH, "argument of " + construct + " must be type "
                    + type.displayName() + ", not type " + n.type().displayName(), location);
        }
        return c;
    }

    public Coercion coercion() {
        return coercion;
    }

    public Node transform(Ast.Expr e) {
        return switch (e) {
            case Ast.Const c -> constant(c);
            case Ast.ColumnRef c -> scope != null ? scope.resolve(this, c) : throwColumnError(c);
            case Ast.SubLink l -> QueryAnalyzer.subLink(this, l);
            case Ast.ParamRef p -> param(p);
            case Ast.OpExpr o -> operator(o.op(), o.left() == null ? null : transform(o.left()),
                    transform(o.right()), o.left() == null ? -1 : o.left().location(), o.right().location(),
                    o.location());
            case Ast.BoolExpr b -> bool(b);
            case Ast.NullTest n -> new Nodes.NullTest(transform(n.arg()), n.isNot());
            case Ast.BoolTest b -> new Nodes.BoolTest(coercion.toBoolean(transform(b.arg()),
                    "IS " + (b.isNot() ? "NOT " : "") + b.which().toUpperCase(java.util.Locale.ROOT),
                    b.arg().location()),
                    b.which().equals("unknown") ? null : Boolean.valueOf(b.which().equals("true")), b.isNot());
            case Ast.TypeCast t -> typeCast(t);
            case Ast.FuncCall f -> Aggregates.isAggregate(f) ? Aggregates.transform(this, f)
                    : SetReturning.isSetReturning(f) ? SetReturning.transform(this, f)
                    : ExprFunctions.call(this, f);
            case Ast.SqlValue v -> ExprFunctions.sqlValue(this, v);
            case Ast.CaseExpr c -> ExprFunctions.caseExpr(this, c);
            case Ast.CoalesceExpr c -> ExprFunctions.coalesce(this, c);
            case Ast.NullIfExpr n -> ExprFunctions.nullIf(this, n);
            case Ast.MinMaxExpr m -> ExprFunctions.minMax(this, m);
            case Ast.InExpr i -> ExprFunctions.in(this, i);
            case Ast.BetweenExpr b -> ExprFunctions.between(this, b);
            case Ast.LikeExpr l -> ExprFunctions.like(this, l);
            case Ast.DistinctExpr d -> ExprFunctions.distinct(this, d);
            case Ast.SetToDefault d -> throw error(SqlState.SYNTAX_ERROR, "DEFAULT is not allowed in this context",
                    d.location());
        };
    }

    private Node throwColumnError(Ast.ColumnRef c) {
        throw columnError(c);
    }

    PgException columnError(Ast.ColumnRef c) {
        if (c.names().size() > 1) {
            return error(SqlState.UNDEFINED_TABLE, "missing FROM-clause entry for table \"" + c.names().get(0)
                    + "\"", c.location());
        }
        return error(SqlState.UNDEFINED_COLUMN, "column \"" + c.names().get(0) + "\" does not exist", c.location());
    }

    /** make_const(). */
    private Node constant(Ast.Const c) {
        switch (c.kind()) {
            case INTEGER, NUMERIC: {
                String v = c.value();
                if (v.matches("-?\\d+")) {
                    try {
                        long l = Long.parseLong(v);
                        if (l == (int) l) {
                            return new Nodes.Const(PgType.INT4, -1, (int) l);
                        }
                        return new Nodes.Const(PgType.INT8, -1, l);
                    } catch (NumberFormatException ex) {
                        // numeric
                    }
                }
                BigDecimal d = new BigDecimal(v);
                return new Nodes.Const(PgType.NUMERIC, -1, d.scale() < 0 ? d.setScale(0) : d);
            }
            case STRING:
                return new Nodes.Const(PgType.UNKNOWN, -1, c.value());
            case BOOLEAN:
                return new Nodes.Const(PgType.BOOL, -1, c.value().equals("true"));
            default:
                return new Nodes.Const(PgType.UNKNOWN, -1, null);
        }
    }

    private Node param(Ast.ParamRef p) {
        int n = p.number();
        if (n <= 0 || n > 65535) {
            throw error(SqlState.UNDEFINED_PARAMETER, "there is no parameter $" + n, p.location());
        }
        while (params.size() < n) {
            params.add(new Nodes.ParamSlot(null, false));
        }
        return new Nodes.Param(n - 1, params.get(n - 1));
    }

    private Node bool(Ast.BoolExpr b) {
        List<Node> args = new ArrayList<>();
        for (Ast.Expr a : b.args()) {
            args.add(coercion.toBoolean(transform(a), b.op().name(), a.location()));
        }
        return switch (b.op()) {
            case AND -> new Nodes.And(args);
            case OR -> new Nodes.Or(args);
            case NOT -> new Nodes.Not(args.get(0));
        };
    }

    /** make_op(): resolve, then coerce the inputs to the operator's declared types. */
    Node operator(String op, Node left, Node right, int leftLoc, int rightLoc, int location) {
        List<PgType> inputs = left == null ? List.of(right.type()) : List.of(left.type(), right.type());
        Resolver.Result r = Resolver.resolve(Catalog.get().operators(op), inputs, true);
        String sig = left == null ? op + " " + right.type().displayName()
                : left.type().displayName() + " " + op + " " + right.type().displayName();
        if (r.outcome() == Resolver.Outcome.NOT_FOUND) {
            throw at(new PgException(SqlState.UNDEFINED_FUNCTION, "operator does not exist: " + sig)
                    .withHint("No operator matches the given name and argument types. "
                            + "You might need to add explicit type casts."), location);
        }
        if (r.outcome() == Resolver.Outcome.AMBIGUOUS) {
            throw at(new PgException(SqlState.AMBIGUOUS_FUNCTION, "operator is not unique: " + sig)
                    .withHint("Could not choose a best candidate operator. "
                            + "You might need to add explicit type casts."), location);
        }
        FunctionDef def = r.def();
        List<Node> args = new ArrayList<>();
        if (left != null) {
            args.add(coerceArg(left, def.argTypes().get(0), leftLoc));
            args.add(coerceArg(right, def.argTypes().get(1), rightLoc));
        } else {
            args.add(coerceArg(right, def.argTypes().get(0), rightLoc));
        }
        return new Nodes.Call(op, def.resultType(), -1, def.strict(), def.impl(), args);
    }

    /** An argument coerced to a signature type; "any" arguments are converted to text. */
    Node coerceArg(Node n, PgType type, int location) {
        if (type == PgType.ANY) {
            if (n.type() == PgType.UNKNOWN || n.type() == PgType.TEXT) {
                return coercion.coerce(n, PgType.TEXT, -1, Context.IMPLICIT, location);
            }
            PgType from = n.type();
            return new Nodes.Cast(n, PgType.TEXT, -1, (v, x) -> TypeIO.output(from, v, x.zone()));
        }
        Node c = coercion.coerce(n, type, -1, Context.IMPLICIT, location);
        if (c == null) {
            throw new IllegalStateException("resolved signature does not accept " + n.type());
        }
        return c;
    }

    /** TypeName to a type and typmod (typenameTypeIdAndMod). */
    record TypeAndMod(PgType type, int typmod) {
    }

    TypeAndMod typeName(Ast.TypeName tn) {
        String name = tn.name();
        if (name.startsWith("pg_catalog.")) {
            name = name.substring("pg_catalog.".length());
        }
        PgType t = name.contains(".") ? null : PgType.byName(name);
        if (t == null || t == PgType.ANY) {
            throw error(SqlState.UNDEFINED_OBJECT, "type \"" + tn.name() + "\" does not exist", tn.location());
        }
        List<Integer> mods = tn.typmods();
        int typmod = -1;
        if (!mods.isEmpty()) {
            switch (t) {
                case VARCHAR, BPCHAR -> {
                    if (mods.size() != 1) {
                        throw error(SqlState.SYNTAX_ERROR, "invalid type modifier", tn.location());
                    }
                    if (mods.get(0) < 1) {
                        throw error(SqlState.INVALID_PARAMETER_VALUE, "length for type " + t.typname()
                                + " must be at least 1", tn.location());
                    }
                    typmod = mods.get(0) + 4;
                }
                case NUMERIC -> {
                    int p = mods.get(0);
                    int s = mods.size() > 1 ? mods.get(1) : 0;
                    if (p < 1 || p > 1000) {
                        throw error(SqlState.INVALID_PARAMETER_VALUE, "NUMERIC precision " + p
                                + " must be between 1 and 1000", tn.location());
                    }
                    if (s < 0 || s > p) {
                        throw error(SqlState.INVALID_PARAMETER_VALUE, "NUMERIC scale " + s
                                + " must be between 0 and precision " + p, tn.location());
                    }
                    typmod = ((p << 16) | s) + 4;
                }
                default -> throw error(SqlState.SYNTAX_ERROR, "type modifier is not allowed for type \""
                        + t.typname() + "\"", tn.location());
            }
        }
        return new TypeAndMod(t, typmod);
    }

    private Node typeCast(Ast.TypeCast t) {
        TypeAndMod tm = typeName(t.type());
        Node arg = transform(t.arg());
        int loc = t.arg().location();
        Node n = coercion.coerce(arg, tm.type(), tm.typmod(), Context.EXPLICIT, loc);
        if (n == null) {
            throw error(SqlState.CANNOT_COERCE, "cannot cast type " + arg.type().displayName() + " to "
                    + tm.type().displayName(tm.typmod()), t.location());
        }
        if (n.typmod() != tm.typmod() || n.type() != tm.type()) {
            PgType type = tm.type();
            int typmod = tm.typmod();
            Node inner = n;
            n = new Nodes.Cast(inner, type, typmod, (v, x) -> v);
        }
        return n;
    }

    /** FigureColname(): the result column's name. */
    public static String columnName(Ast.Expr e) {
        String name = figure(e);
        return name == null ? "?column?" : name.substring(1);
    }

    /** The name prefixed with its strength (1 weak, 2 strong), or null. */
    private static String figure(Ast.Expr e) {
        return switch (e) {
            case Ast.ColumnRef c -> "2" + c.names().get(c.names().size() - 1);
            case Ast.FuncCall f -> "2" + f.colname();
            case Ast.SqlValue v -> "2" + v.name();
            case Ast.CoalesceExpr c -> "2coalesce";
            case Ast.SubLink l -> {
                if (l.kind() == Ast.SubLinkKind.EXISTS) {
                    yield "2exists";
                }
                if (l.kind() == Ast.SubLinkKind.ANY) {
                    yield null;
                }
                List<Ast.ResTarget> t = l.select().targets();
                if (t.isEmpty()) {
                    yield null;
                }
                yield "2" + (t.get(0).alias() != null ? t.get(0).alias() : columnName(t.get(0).expr()));
            }
            case Ast.NullIfExpr n -> "2nullif";
            case Ast.MinMaxExpr m -> m.greatest() ? "2greatest" : "2least";
            case Ast.CaseExpr c -> {
                String inner = c.otherwise() == null ? null : figure(c.otherwise());
                yield inner != null && inner.charAt(0) == '2' ? inner : "1case";
            }
            case Ast.TypeCast t -> {
                String inner = figure(t.arg());
                if (inner != null && inner.charAt(0) == '2') {
                    yield inner;
                }
                String tn = t.type().name();
                yield "1" + tn.substring(tn.lastIndexOf('.') + 1);
            }
            default -> null;
        };
    }
}
