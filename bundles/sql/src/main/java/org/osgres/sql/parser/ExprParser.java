package org.osgres.sql.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.sql.parser.Ast.Expr;

/*
 * ExprParser: the expression productions of gram.y (a_expr, b_expr, c_expr, func_expr,
 * AexprConst, Typename) as precedence-climbing recursive descent.
 *
 * Precedence, lowest first, as gram.y's %left/%right/%nonassoc lines: OR; AND; NOT; IS, ISNULL,
 * NOTNULL; < > = <= >= <>; BETWEEN IN LIKE ILIKE; other operators (||, ~~, ...); + -; * / %; ^;
 * unary minus; ::. A minus in front of a numeric literal folds into it (gram.y doNegate), so
 * -2147483648 is one int4 constant.
 *
 * Entry points: expr(), typeName().
 * See also: Parser -- statements; Ast -- the nodes built here.
 */
final class ExprParser {
    private static final Set<String> COMPARISON = Set.of("<", ">", "=", "<=", ">=", "<>");
    private static final Set<String> SQL_VALUE_FUNCTIONS = Set.of("current_user", "session_user", "user",
            "current_role", "current_catalog", "current_schema", "current_date", "current_timestamp",
            "localtimestamp");

    private final Parser ps;

    ExprParser(Parser ps) {
        this.ps = ps;
    }

    private PgException syntaxError() {
        return ps.syntaxError(ps.peek());
    }

    Expr expr() {
        return or();
    }

    private Expr or() {
        Expr left = and();
        while (ps.peek().isKeyword("or")) {
            int loc = ps.next().start();
            left = new Ast.BoolExpr(Ast.BoolOp.OR, List.of(left, and()), loc);
        }
        return left;
    }

    private Expr and() {
        Expr left = not();
        while (ps.peek().isKeyword("and")) {
            int loc = ps.next().start();
            left = new Ast.BoolExpr(Ast.BoolOp.AND, List.of(left, not()), loc);
        }
        return left;
    }

    /** b_expr (a DEFAULT clause): no boolean operators, IS, LIKE, IN or BETWEEN at the top. */
    Expr bExpr() {
        Expr left = otherOp();
        Token t = ps.peek();
        if (t.kind() == Token.Kind.OP && COMPARISON.contains(t.text())) {
            ps.next();
            return new Ast.OpExpr(t.text(), left, otherOp(), t.start());
        }
        return left;
    }

    private Expr not() {
        if (ps.peek().isKeyword("not")) {
            int loc = ps.next().start();
            return new Ast.BoolExpr(Ast.BoolOp.NOT, List.of(not()), loc);
        }
        return is();
    }

    private Expr is() {
        Expr e = comparison();
        while (true) {
            Token t = ps.peek();
            if (t.isKeyword("isnull")) {
                ps.next();
                e = new Ast.NullTest(e, false, t.start());
            } else if (t.isKeyword("notnull")) {
                ps.next();
                e = new Ast.NullTest(e, true, t.start());
            } else if (t.isKeyword("is")) {
                ps.next();
                boolean isNot = ps.acceptKeyword("not");
                Token w = ps.next();
                if (w.isKeyword("null")) {
                    e = new Ast.NullTest(e, isNot, t.start());
                } else if (w.isKeyword("true") || w.isKeyword("false") || w.isKeyword("unknown")) {
                    e = new Ast.BoolTest(e, w.text(), isNot, t.start());
                } else if (w.isKeyword("distinct")) {
                    ps.expectKeyword("from");
                    e = new Ast.DistinctExpr(e, comparison(), isNot, t.start());
                } else {
                    throw ps.syntaxError(w);
                }
            } else {
                return e;
            }
        }
    }

    private Expr comparison() {
        Expr left = likeLevel();
        Token t = ps.peek();
        if (t.kind() == Token.Kind.OP && COMPARISON.contains(t.text())) {
            ps.next();
            Expr right = likeLevel();
            Token again = ps.peek();
            if (again.kind() == Token.Kind.OP && COMPARISON.contains(again.text())) {
                throw ps.syntaxError(again);
            }
            return new Ast.OpExpr(t.text(), left, right, t.start());
        }
        return left;
    }

    private Expr likeLevel() {
        Expr left = otherOp();
        while (true) {
            Token t = ps.peek();
            boolean not = false;
            if (t.isKeyword("not") && Set.of("between", "in", "like", "ilike").contains(ps.peekAt(1).text())
                    && ps.peekAt(1).kind() == Token.Kind.IDENT) {
                ps.next();
                not = true;
                t = ps.peek();
            }
            if (t.isKeyword("between")) {
                ps.next();
                ps.acceptKeyword("asymmetric");
                Expr low = otherOp();
                ps.expectKeyword("and");
                Expr high = otherOp();
                left = new Ast.BetweenExpr(left, low, high, not, t.start());
            } else if (t.isKeyword("in")) {
                ps.next();
                ps.expectPunct('(');
                if (ps.atSubquery(0)) {
                    Ast.SelectStmt sub = ps.query();
                    ps.expectPunct(')');
                    Expr any = new Ast.SubLink(Ast.SubLinkKind.ANY, left, sub, t.start());
                    left = not ? new Ast.BoolExpr(Ast.BoolOp.NOT, List.of(any), t.start()) : any;
                    continue;
                }
                List<Expr> list = exprList();
                ps.expectPunct(')');
                left = new Ast.InExpr(left, list, not, t.start());
            } else if (t.isKeyword("like") || t.isKeyword("ilike")) {
                ps.next();
                Expr pattern = otherOp();
                Expr escape = null;
                if (ps.acceptKeyword("escape")) {
                    escape = otherOp();
                }
                left = new Ast.LikeExpr(left, pattern, escape, not, t.isKeyword("ilike"), t.start());
            } else {
                return left;
            }
        }
    }

    private static boolean isOtherOp(Token t) {
        return t.kind() == Token.Kind.OP && !COMPARISON.contains(t.text())
                && !Set.of("+", "-", "*", "/", "%", "^").contains(t.text());
    }

    private Expr otherOp() {
        Expr left = additive();
        while (isOtherOp(ps.peek())) {
            Token t = ps.next();
            left = new Ast.OpExpr(t.text(), left, additive(), t.start());
        }
        return left;
    }

    private Expr additive() {
        Expr left = multiplicative();
        while (ps.peek().isOp("+") || ps.peek().isOp("-")) {
            Token t = ps.next();
            left = new Ast.OpExpr(t.text(), left, multiplicative(), t.start());
        }
        return left;
    }

    private Expr multiplicative() {
        Expr left = power();
        while (ps.peek().isOp("*") || ps.peek().isOp("/") || ps.peek().isOp("%")) {
            Token t = ps.next();
            left = new Ast.OpExpr(t.text(), left, power(), t.start());
        }
        return left;
    }

    private Expr power() {
        Expr left = unary();
        while (ps.peek().isOp("^")) {
            Token t = ps.next();
            left = new Ast.OpExpr("^", left, unary(), t.start());
        }
        return left;
    }

    private Expr unary() {
        Token t = ps.peek();
        if (t.isOp("-")) {
            ps.next();
            Expr operand = unary();
            if (operand instanceof Ast.Const c
                    && (c.kind() == Ast.ConstKind.INTEGER || c.kind() == Ast.ConstKind.NUMERIC)) {
                String v = c.value().startsWith("-") ? c.value().substring(1) : "-" + c.value();
                return new Ast.Const(c.kind(), v, t.start());
            }
            return new Ast.OpExpr("-", null, operand, t.start());
        }
        if (t.isOp("+") || isOtherOp(t)) {
            ps.next();
            return new Ast.OpExpr(t.text(), null, unary(), t.start());
        }
        return postfix();
    }

    private Expr postfix() {
        Expr e = primary();
        while (ps.peek().kind() == Token.Kind.TYPECAST) {
            int loc = ps.next().start();
            e = new Ast.TypeCast(e, typeName(), loc);
        }
        return e;
    }

    List<Expr> exprList() {
        List<Expr> list = new ArrayList<>();
        do {
            list.add(expr());
        } while (ps.acceptPunct(','));
        return list;
    }

    private Expr primary() {
        Token t = ps.peek();
        switch (t.kind()) {
            case ICONST:
                ps.next();
                return new Ast.Const(Ast.ConstKind.INTEGER, t.text(), t.start());
            case FCONST:
                ps.next();
                return new Ast.Const(Ast.ConstKind.NUMERIC, t.text(), t.start());
            case SCONST:
                ps.next();
                return new Ast.Const(Ast.ConstKind.STRING, t.text(), t.start());
            case PARAM:
                ps.next();
                return new Ast.ParamRef(Integer.parseInt(t.text()), t.start());
            case PUNCT:
                if (t.isPunct('(')) {
                    ps.next();
                    if (ps.atSubquery(0)) {
                        Ast.SelectStmt sub = ps.query();
                        ps.expectPunct(')');
                        return new Ast.SubLink(Ast.SubLinkKind.EXPR, null, sub, t.start());
                    }
                    Expr e = expr();
                    ps.expectPunct(')');
                    return e;
                }
                throw syntaxError();
            case QIDENT:
                return nameOrCall();
            case IDENT:
                return keywordOrName(t);
            default:
                throw syntaxError();
        }
    }

    private Expr keywordOrName(Token t) {
        switch (t.text()) {
            case "true", "false":
                ps.next();
                return new Ast.Const(Ast.ConstKind.BOOLEAN, t.text(), t.start());
            case "null":
                ps.next();
                return new Ast.Const(Ast.ConstKind.NULL, null, t.start());
            case "case":
                return caseExpr();
            case "cast": {
                ps.next();
                ps.expectPunct('(');
                Expr arg = expr();
                ps.expectKeyword("as");
                Ast.TypeName type = typeName();
                ps.expectPunct(')');
                return new Ast.TypeCast(arg, type, t.start());
            }
            case "coalesce", "greatest", "least": {
                ps.next();
                ps.expectPunct('(');
                List<Expr> args = exprList();
                ps.expectPunct(')');
                return t.text().equals("coalesce") ? new Ast.CoalesceExpr(args, t.start())
                        : new Ast.MinMaxExpr(t.text().equals("greatest"), args, t.start());
            }
            case "nullif": {
                ps.next();
                ps.expectPunct('(');
                Expr a = expr();
                ps.expectPunct(',');
                Expr b = expr();
                ps.expectPunct(')');
                return new Ast.NullIfExpr(a, b, t.start());
            }
            case "substring":
                if (ps.peekAt(1).isPunct('(')) {
                    return substring(t);
                }
                break;
            case "trim":
                if (ps.peekAt(1).isPunct('(')) {
                    return trim(t);
                }
                break;
            case "position":
                if (ps.peekAt(1).isPunct('(')) {
                    ps.next();
                    ps.expectPunct('(');
                    Expr needle = otherOp();
                    ps.expectKeyword("in");
                    Expr hay = otherOp();
                    ps.expectPunct(')');
                    return new Ast.FuncCall("position", List.of(hay, needle), t.start(), "position");
                }
                break;
            case "exists":
                if (ps.peekAt(1).isPunct('(') && ps.atSubquery(2)) {
                    ps.next();
                    ps.next();
                    Ast.SelectStmt sub = ps.query();
                    ps.expectPunct(')');
                    return new Ast.SubLink(Ast.SubLinkKind.EXISTS, null, sub, t.start());
                }
                throw syntaxError();
            case "array", "row":
                throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, t.text().toUpperCase() + " is not supported by osgres yet")
                        .atPosition(Lexer.position(ps.src, t.start()));
            default:
                break;
        }
        if (SQL_VALUE_FUNCTIONS.contains(t.text())
                && !(t.text().equals("current_schema") && ps.peekAt(1).isPunct('('))) {
            ps.next();
            if ((t.text().equals("current_timestamp") || t.text().equals("localtimestamp")) && ps.acceptPunct('(')) {
                ps.next();
                ps.expectPunct(')');
            }
            return new Ast.SqlValue(t.text(), t.start());
        }
        if (isTypeLiteralStart(t)) {
            Ast.TypeName type = typeName();
            Token s = ps.peek();
            if (s.kind() == Token.Kind.SCONST) {
                ps.next();
                return new Ast.TypeCast(new Ast.Const(Ast.ConstKind.STRING, s.text(), s.start()), type, t.start());
            }
            throw ps.syntaxError(s);
        }
        if (Keywords.isReserved(t.text())) {
            throw syntaxError();
        }
        return nameOrCall();
    }

    /** A type keyword that can only start a typed literal here (int '5', double precision '1'). */
    private boolean isTypeLiteralStart(Token t) {
        return Set.of("int", "integer", "smallint", "bigint", "real", "float", "double", "decimal", "dec",
                "numeric", "boolean", "char", "character", "varchar", "timestamp", "national", "nchar")
                .contains(t.text()) && !ps.peekAt(1).isPunct('.');
    }

    private Expr nameOrCall() {
        Token first = ps.next();
        List<String> names = new ArrayList<>();
        names.add(first.text());
        while (ps.peek().isPunct('.')) {
            ps.next();
            Token n = ps.next();
            if (n.isOp("*")) {
                names.add("*");
                return new Ast.ColumnRef(names, first.start());
            }
            if (n.kind() != Token.Kind.IDENT && n.kind() != Token.Kind.QIDENT) {
                throw ps.syntaxError(n);
            }
            names.add(n.text());
        }
        String last = names.get(names.size() - 1);
        if (ps.peek().isPunct('(')) {
            ps.next();
            List<Expr> args = new ArrayList<>();
            boolean star = false;
            boolean distinct = false;
            if (ps.peek().isOp("*")) {
                ps.next();
                star = true;
            } else if (!ps.peek().isPunct(')')) {
                if (ps.acceptKeyword("distinct")) {
                    distinct = true;
                } else {
                    ps.acceptKeyword("all");
                }
                args = exprList();
            }
            ps.expectPunct(')');
            return new Ast.FuncCall(String.join(".", names), args, first.start(), last, star, distinct);
        }
        if (ps.peek().kind() == Token.Kind.SCONST && names.size() <= 2) {
            Token s = ps.next();
            Ast.TypeName type = new Ast.TypeName(String.join(".", names), List.of(), first.start());
            return new Ast.TypeCast(new Ast.Const(Ast.ConstKind.STRING, s.text(), s.start()), type, first.start());
        }
        return new Ast.ColumnRef(names, first.start());
    }

    private Expr caseExpr() {
        int loc = ps.next().start();
        Expr arg = null;
        if (!ps.peek().isKeyword("when")) {
            arg = expr();
        }
        List<Ast.When> whens = new ArrayList<>();
        while (ps.acceptKeyword("when")) {
            Expr cond = expr();
            ps.expectKeyword("then");
            whens.add(new Ast.When(cond, expr()));
        }
        if (whens.isEmpty()) {
            throw syntaxError();
        }
        Expr otherwise = null;
        if (ps.acceptKeyword("else")) {
            otherwise = expr();
        }
        ps.expectKeyword("end");
        return new Ast.CaseExpr(arg, whens, otherwise, loc);
    }

    private Expr substring(Token t) {
        ps.next();
        ps.expectPunct('(');
        Expr s = expr();
        List<Expr> args = new ArrayList<>();
        args.add(s);
        if (ps.acceptPunct(',')) {
            args.addAll(exprList());
        } else {
            Expr from = null;
            Expr len = null;
            if (ps.acceptKeyword("from")) {
                from = expr();
            }
            if (ps.acceptKeyword("for")) {
                len = expr();
            }
            args.add(from == null ? new Ast.Const(Ast.ConstKind.INTEGER, "1", t.start()) : from);
            if (len != null) {
                args.add(len);
            }
        }
        ps.expectPunct(')');
        return new Ast.FuncCall("substring", args, t.start(), "substring");
    }

    private Expr trim(Token t) {
        ps.next();
        ps.expectPunct('(');
        String fn = "btrim";
        if (ps.acceptKeyword("leading")) {
            fn = "ltrim";
        } else if (ps.acceptKeyword("trailing")) {
            fn = "rtrim";
        } else {
            ps.acceptKeyword("both");
        }
        List<Expr> args = new ArrayList<>();
        if (ps.acceptKeyword("from")) {
            args.addAll(exprList());
        } else {
            Expr first = expr();
            if (ps.acceptKeyword("from")) {
                args.addAll(exprList());
                args.add(first);
            } else {
                args.add(first);
                if (ps.acceptPunct(',')) {
                    args.addAll(exprList());
                }
            }
        }
        ps.expectPunct(')');
        return new Ast.FuncCall(fn, args, t.start(), fn);
    }

    /** Typename: SQL-standard spellings map to their pg_type names, as gram.y's SystemTypeName. */
    Ast.TypeName typeName() {
        Token t = ps.peek();
        int loc = t.start();
        if (t.kind() == Token.Kind.IDENT) {
            switch (t.text()) {
                case "double":
                    ps.next();
                    ps.expectKeyword("precision");
                    return new Ast.TypeName("float8", List.of(), loc);
                case "int", "integer":
                    ps.next();
                    return new Ast.TypeName("int4", List.of(), loc);
                case "smallint":
                    ps.next();
                    return new Ast.TypeName("int2", List.of(), loc);
                case "bigint":
                    ps.next();
                    return new Ast.TypeName("int8", List.of(), loc);
                case "real":
                    ps.next();
                    return new Ast.TypeName("float4", List.of(), loc);
                case "boolean":
                    ps.next();
                    return new Ast.TypeName("bool", List.of(), loc);
                case "float": {
                    ps.next();
                    List<Integer> mods = typmods();
                    boolean single = !mods.isEmpty() && mods.get(0) <= 24;
                    return new Ast.TypeName(single ? "float4" : "float8", List.of(), loc);
                }
                case "decimal", "dec", "numeric":
                    ps.next();
                    return new Ast.TypeName("numeric", typmods(), loc);
                case "national", "nchar", "char", "character", "varchar": {
                    ps.next();
                    if (t.text().equals("national")) {
                        ps.next();
                    }
                    boolean varying = t.text().equals("varchar") || ps.acceptKeyword("varying");
                    List<Integer> mods = typmods();
                    if (varying) {
                        return new Ast.TypeName("varchar", mods, loc);
                    }
                    return new Ast.TypeName("bpchar", mods.isEmpty() ? List.of(1) : mods, loc);
                }
                case "timestamp": {
                    ps.next();
                    typmods();
                    String name = "timestamp";
                    if (ps.acceptKeyword("with")) {
                        ps.expectKeyword("time");
                        ps.expectKeyword("zone");
                        name = "timestamptz";
                    } else if (ps.acceptKeyword("without")) {
                        ps.expectKeyword("time");
                        ps.expectKeyword("zone");
                    }
                    return new Ast.TypeName(name, List.of(), loc);
                }
                default:
                    break;
            }
        }
        if (t.kind() != Token.Kind.IDENT && t.kind() != Token.Kind.QIDENT) {
            throw syntaxError();
        }
        if (t.kind() == Token.Kind.IDENT && Keywords.isReserved(t.text())) {
            throw syntaxError();
        }
        ps.next();
        String name = t.text();
        while (ps.acceptPunct('.')) {
            Token n = ps.next();
            if (n.kind() != Token.Kind.IDENT && n.kind() != Token.Kind.QIDENT) {
                throw ps.syntaxError(n);
            }
            name = name + "." + n.text();
        }
        return new Ast.TypeName(name, typmods(), loc);
    }

    private List<Integer> typmods() {
        List<Integer> mods = new ArrayList<>();
        if (ps.peek().isPunct('(')) {
            ps.next();
            do {
                Token n = ps.next();
                if (n.kind() != Token.Kind.ICONST) {
                    throw ps.syntaxError(n);
                }
                mods.add(Integer.parseInt(n.text()));
            } while (ps.acceptPunct(','));
            ps.expectPunct(')');
        }
        return mods;
    }
}
