package org.osgres.sql.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.sql.parser.Ast.Expr;
import org.osgres.sql.parser.Ast.Stmt;

/*
 * Parser: a recursive-descent parser for osgres's part of PostgreSQL's grammar (PostgreSQL:
 * parser/gram.y, with its operator precedence table, and parser.c's raw_parser).
 *
 * stmtmulti splits at semicolons; empty statements are dropped. SELECT (with a WITH list, FROM
 * with joins and subqueries, WHERE, GROUP BY, HAVING, ORDER BY, LIMIT / OFFSET, DISTINCT) and
 * VALUES, WITH ... INSERT ... SELECT, SET, RESET, SHOW, the transaction statements and the role statements (RoleParser) parse fully; other
 * statements are recognised by their leading keywords and returned as UnsupportedStmt. WITH
 * RECURSIVE, INSERT / UPDATE / DELETE inside WITH, and LATERAL are 0A000; a subquery in FROM
 * needs an alias (42601, as PostgreSQL 15's grammar). Expressions follow gram.y's precedence,
 * lowest first: OR, AND, NOT, IS, comparison, BETWEEN/IN/LIKE, other operators, + -, * / %, ^,
 * unary minus, ::. Syntax errors are 42601 "syntax error at or near" the offending token, or
 * "at end of input", positioned as PostgreSQL positions them.
 *
 * Entry points: parse() -- the statements of a query string, each with its source range;
 * query() -- a subquery (select_no_parens) for the other productions.
 * See also: Lexer -- tokens; ExprParser -- the expression productions; RoleParser -- role
 * statements; UtilityParser -- SET, SHOW and transactions; Ast -- the nodes.
 */
public final class Parser {
    /** One statement with its source range (offsets into the query string). */
    public record Parsed(Stmt stmt, int start, int end) {
    }

    static final Set<String> UNSUPPORTED_LEADERS = Set.of("create", "insert", "update", "delete", "drop", "alter",
            "copy", "truncate", "grant", "revoke", "explain", "analyze", "analyse", "vacuum", "prepare", "execute",
            "deallocate", "declare", "fetch", "close", "listen", "notify", "unlisten", "lock", "discard",
            "savepoint", "release", "comment", "table", "checkpoint", "reindex", "cluster", "do", "call",
            "merge", "load", "import", "security", "refresh", "reassign", "move");

    final String src;
    final List<Token> tokens;
    int p;

    Parser(String src) {
        this.src = src;
        this.tokens = Lexer.tokenize(src);
    }

    public static List<Parsed> parse(String src) {
        Parser parser = new Parser(src);
        List<Parsed> out = new ArrayList<>();
        while (true) {
            while (parser.peek().isPunct(';')) {
                parser.p++;
            }
            if (parser.peek().kind() == Token.Kind.EOF) {
                return out;
            }
            int start = parser.peek().start();
            Stmt stmt = parser.statement();
            int end = parser.tokens.get(parser.p - 1).end();
            Token t = parser.peek();
            if (!t.isPunct(';') && t.kind() != Token.Kind.EOF) {
                throw parser.syntaxError(t);
            }
            out.add(new Parsed(stmt, start, end));
        }
    }

    // ---- token helpers

    Token peek() {
        return tokens.get(p);
    }

    Token peekAt(int ahead) {
        return tokens.get(Math.min(p + ahead, tokens.size() - 1));
    }

    Token next() {
        Token t = tokens.get(p);
        if (t.kind() != Token.Kind.EOF) {
            p++;
        }
        return t;
    }

    boolean acceptKeyword(String kw) {
        if (peek().isKeyword(kw)) {
            p++;
            return true;
        }
        return false;
    }

    void expectKeyword(String kw) {
        if (!acceptKeyword(kw)) {
            throw syntaxError(peek());
        }
    }

    boolean acceptPunct(char c) {
        if (peek().isPunct(c)) {
            p++;
            return true;
        }
        return false;
    }

    boolean acceptOp(String op) {
        if (peek().isOp(op)) {
            p++;
            return true;
        }
        return false;
    }

    void expectPunct(char c) {
        if (!acceptPunct(c)) {
            throw syntaxError(peek());
        }
    }

    PgException syntaxError(Token t) {
        if (t.kind() == Token.Kind.EOF) {
            return new PgException(SqlState.SYNTAX_ERROR, "syntax error at end of input")
                    .atPosition(Lexer.position(src, src.length()));
        }
        return new PgException(SqlState.SYNTAX_ERROR, "syntax error at or near \"" + t.raw() + "\"")
                .atPosition(Lexer.position(src, t.start()));
    }

    /** An identifier that may name a column, setting or type: unquoted non-reserved word, or quoted. */
    String identifier() {
        Token t = peek();
        if (t.kind() == Token.Kind.QIDENT || (t.kind() == Token.Kind.IDENT && !Keywords.isReserved(t.text()))) {
            p++;
            return t.text();
        }
        throw syntaxError(t);
    }

    // ---- statements

    private Stmt statement() {
        Token t = peek();
        if (t.kind() == Token.Kind.IDENT) {
            switch (t.text()) {
                case "select":
                    return select();
                case "with":
                    return withStatement();
                case "values":
                    return values();
                case "set":
                    p++;
                    return UtilityParser.set(this);
                case "reset":
                    p++;
                    return UtilityParser.reset(this);
                case "show":
                    p++;
                    return UtilityParser.show(this);
                case "begin", "start", "commit", "end", "rollback", "abort":
                    return UtilityParser.transaction(this);
                case "copy":
                    return CopyParser.copy(this);
                case "create", "alter", "drop", "grant", "revoke":
                    if (RoleParser.isRoleStatement(this)) {
                        return switch (t.text()) {
                            case "create" -> RoleParser.create(this);
                            case "alter" -> RoleParser.alter(this);
                            case "drop" -> RoleParser.drop(this);
                            default -> RoleParser.grantOrRevoke(this);
                        };
                    }
                    if (DdlParser.isTableStatement(this)) {
                        return DdlParser.statement(this);
                    }
                    return unsupported();
                case "truncate", "vacuum", "analyze", "analyse":
                    return DdlParser.statement(this);
                case "insert":
                    return DmlParser.insert(this);
                case "update":
                    return DmlParser.update(this);
                case "delete":
                    return DmlParser.delete(this);
                default:
                    if (UNSUPPORTED_LEADERS.contains(t.text())) {
                        return unsupported();
                    }
            }
        }
        if (t.isPunct('(')) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED,
                    "parenthesized queries are not supported by osgres yet")
                    .atPosition(Lexer.position(src, t.start()));
        }
        throw syntaxError(t);
    }

    private Stmt unsupported() {
        Token first = next();
        String tag = first.text().toUpperCase(java.util.Locale.ROOT);
        if (Set.of("create", "drop", "alter").contains(first.text()) && peek().kind() == Token.Kind.IDENT) {
            Token second = peek();
            if (second.isKeyword("or") || second.isKeyword("unique") || second.isKeyword("temp")
                    || second.isKeyword("temporary")) {
                tag += " " + nextWordAfterModifiers();
            } else {
                tag += " " + second.text().toUpperCase(java.util.Locale.ROOT);
            }
        }
        int depth = 0;
        while (peek().kind() != Token.Kind.EOF && !(depth == 0 && peek().isPunct(';'))) {
            Token t = next();
            if (t.isPunct('(')) {
                depth++;
            } else if (t.isPunct(')')) {
                depth--;
            }
        }
        return new Ast.UnsupportedStmt(tag, first.start());
    }

    private String nextWordAfterModifiers() {
        for (int i = 0; i < 4; i++) {
            Token t = peekAt(i);
            if (t.kind() == Token.Kind.IDENT && !Set.of("or", "replace", "unique", "temp", "temporary")
                    .contains(t.text())) {
                return t.text().toUpperCase(java.util.Locale.ROOT);
            }
        }
        return "";
    }

    private Stmt select() {
        return selectStmt();
    }

    /** True when the token ahead starts a query: SELECT, VALUES or WITH (select_no_parens). */
    boolean atSubquery(int ahead) {
        Token t = peekAt(ahead);
        return t.isKeyword("select") || t.isKeyword("values") || t.isKeyword("with");
    }

    /** A query where a subquery may stand: [WITH ...] SELECT ... or VALUES ... */
    Ast.SelectStmt query() {
        List<Ast.CommonTableExpr> with = peek().isKeyword("with") ? withClause() : List.of();
        Ast.SelectStmt s;
        if (peek().isKeyword("values")) {
            s = (Ast.SelectStmt) values();
        } else if (peek().isKeyword("select")) {
            s = selectStmt();
        } else {
            throw syntaxError(peek());
        }
        return with.isEmpty() ? s : s.withCtes(with);
    }

    /** A statement that starts with WITH: a query, or INSERT ... SELECT with the WITH list given to its query. */
    private Stmt withStatement() {
        Token w = peek();
        List<Ast.CommonTableExpr> with = withClause();
        Token t = peek();
        if (t.isKeyword("insert")) {
            Ast.InsertStmt ins = (Ast.InsertStmt) DmlParser.insert(this);
            if (ins.select() == null || !ins.select().values().isEmpty() || !ins.select().with().isEmpty()) {
                throw new PgException(SqlState.FEATURE_NOT_SUPPORTED,
                        "WITH before INSERT is supported by osgres only for INSERT ... SELECT without its own WITH")
                        .atPosition(Lexer.position(src, w.start()));
            }
            return new Ast.InsertStmt(ins.table(), ins.columns(), ins.columnLocations(), ins.select().withCtes(with),
                    ins.returning());
        }
        if (t.isKeyword("update") || t.isKeyword("delete")) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "WITH before "
                    + t.text().toUpperCase(java.util.Locale.ROOT) + " is not supported by osgres yet")
                    .atPosition(Lexer.position(src, w.start()));
        }
        if (t.isKeyword("select") || t.isKeyword("values")) {
            Ast.SelectStmt s = t.isKeyword("select") ? selectStmt() : (Ast.SelectStmt) values();
            return s.withCtes(with);
        }
        throw syntaxError(t);
    }

    /**
     * with_clause: WITH cte [, ...] where cte is name [(columns)] AS [[NOT] MATERIALIZED] (query).
     * WITH RECURSIVE and data-modifying statements in WITH are 0A000.
     */
    List<Ast.CommonTableExpr> withClause() {
        expectKeyword("with");
        if (peek().isKeyword("recursive")) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "WITH RECURSIVE is not supported by osgres yet")
                    .atPosition(Lexer.position(src, peek().start()));
        }
        List<Ast.CommonTableExpr> ctes = new ArrayList<>();
        do {
            Token nameToken = peek();
            String name = identifier();
            List<String> columns = List.of();
            if (acceptPunct('(')) {
                columns = new ArrayList<>();
                do {
                    columns.add(identifier());
                } while (acceptPunct(','));
                expectPunct(')');
            }
            expectKeyword("as");
            if (acceptKeyword("not")) {
                expectKeyword("materialized");
            } else {
                acceptKeyword("materialized");
            }
            expectPunct('(');
            Token q = peek();
            if (q.isKeyword("insert") || q.isKeyword("update") || q.isKeyword("delete")) {
                throw new PgException(SqlState.FEATURE_NOT_SUPPORTED,
                        "data-modifying statements in WITH are not supported by osgres yet")
                        .atPosition(Lexer.position(src, q.start()));
            }
            Ast.SelectStmt query = query();
            expectPunct(')');
            ctes.add(new Ast.CommonTableExpr(name, columns, query, nameToken.start()));
        } while (acceptPunct(','));
        return ctes;
    }

    /** SELECT [ALL | DISTINCT] targets [FROM ...] [WHERE] [GROUP BY] [HAVING] [ORDER BY] [LIMIT] [OFFSET]. */
    Ast.SelectStmt selectStmt() {
        expectKeyword("select");
        boolean distinct = false;
        if (peek().isKeyword("distinct")) {
            Token d = next();
            if (peek().isKeyword("on")) {
                throw new PgException(SqlState.FEATURE_NOT_SUPPORTED,
                        "SELECT DISTINCT ON is not supported by osgres yet")
                        .atPosition(Lexer.position(src, d.start()));
            }
            distinct = true;
        } else {
            acceptKeyword("all");
        }
        ExprParser ep = new ExprParser(this);
        List<Ast.ResTarget> targets = new ArrayList<>();
        int star = -1;
        if (!atClauseEnd()) {
            star = targetList(ep, targets);
        }
        List<Ast.FromItem> from = new ArrayList<>();
        if (acceptKeyword("from")) {
            do {
                from.add(fromItem(ep));
            } while (acceptPunct(','));
        }
        Expr where = null;
        if (acceptKeyword("where")) {
            where = ep.expr();
        }
        List<Expr> groupBy = new ArrayList<>();
        if (peek().isKeyword("group") && peekAt(1).isKeyword("by")) {
            p += 2;
            groupBy.addAll(ep.exprList());
        }
        Expr having = null;
        if (acceptKeyword("having")) {
            having = ep.expr();
        }
        List<Ast.SortBy> orderBy = new ArrayList<>();
        if (peek().isKeyword("order") && peekAt(1).isKeyword("by")) {
            p += 2;
            do {
                Token t = peek();
                Expr e = ep.expr();
                boolean desc = false;
                if (acceptKeyword("desc")) {
                    desc = true;
                } else {
                    acceptKeyword("asc");
                }
                Boolean nullsFirst = null;
                if (acceptKeyword("nulls")) {
                    if (acceptKeyword("first")) {
                        nullsFirst = true;
                    } else {
                        expectKeyword("last");
                        nullsFirst = false;
                    }
                }
                orderBy.add(new Ast.SortBy(e, desc, nullsFirst, t.start()));
            } while (acceptPunct(','));
        }
        Expr limit = null;
        Expr offset = null;
        while (true) {
            if (limit == null && acceptKeyword("limit")) {
                if (acceptKeyword("all")) {
                    limit = new Ast.Const(Ast.ConstKind.NULL, null, tokens.get(p - 1).start());
                } else {
                    limit = ep.expr();
                }
            } else if (offset == null && acceptKeyword("offset")) {
                offset = ep.expr();
                if (!acceptKeyword("rows")) {
                    acceptKeyword("row");
                }
            } else {
                break;
            }
        }
        Ast.Locking locking = null;
        if (peek().isKeyword("for")) {
            Token f = next();
            String strength;
            if (acceptKeyword("update")) {
                strength = "update";
            } else if (acceptKeyword("share")) {
                strength = "share";
            } else if (acceptKeyword("no")) {
                expectKeyword("key");
                expectKeyword("update");
                strength = "no key update";
            } else {
                expectKeyword("key");
                expectKeyword("share");
                strength = "key share";
            }
            if (peek().isKeyword("of")) {
                throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "FOR ... OF is not supported by osgres yet")
                        .atPosition(Lexer.position(src, peek().start()));
            }
            String wait = "block";
            if (acceptKeyword("nowait")) {
                wait = "nowait";
            } else if (acceptKeyword("skip")) {
                expectKeyword("locked");
                wait = "skip";
            }
            locking = new Ast.Locking(strength, wait, f.start());
        }
        return new Ast.SelectStmt(distinct, targets, from, where, groupBy, having, orderBy, limit, offset,
                List.of(), star, locking);
    }

    /** target_list: expressions with optional aliases; returns the offset of the first *, or -1. */
    int targetList(ExprParser ep, List<Ast.ResTarget> targets) {
        int star = -1;
        do {
            Token t = peek();
            if (t.isOp("*")) {
                p++;
                if (star < 0) {
                    star = t.start();
                }
                targets.add(new Ast.ResTarget(new Ast.ColumnRef(List.of("*"), t.start()), null, t.start()));
                continue;
            }
            Expr e = ep.expr();
            if (star < 0 && e instanceof Ast.ColumnRef c && c.names().get(c.names().size() - 1).equals("*")) {
                star = t.start();
            }
            String alias = null;
            if (acceptKeyword("as")) {
                Token a = next();
                if (a.kind() != Token.Kind.IDENT && a.kind() != Token.Kind.QIDENT) {
                    throw syntaxError(a);
                }
                alias = a.text();
            } else if (peek().kind() == Token.Kind.QIDENT
                    || (peek().kind() == Token.Kind.IDENT && Keywords.isBareLabel(peek().text()))) {
                alias = next().text();
            }
            targets.add(new Ast.ResTarget(e, alias, t.start()));
        } while (acceptPunct(','));
        return star;
    }

    static final Set<String> JOIN_WORDS = Set.of("join", "inner", "left", "right", "full", "cross",
            "natural", "on", "using", "outer");

    /** table_ref, then any joins that follow it (left-associative, as gram.y's joined_table). */
    Ast.FromItem fromItem(ExprParser ep) {
        Ast.FromItem left = tableRef();
        while (true) {
            Token t = peek();
            Ast.JoinKind kind;
            if (t.isKeyword("join") || t.isKeyword("inner")) {
                acceptKeyword("inner");
                kind = Ast.JoinKind.INNER;
            } else if (t.isKeyword("left")) {
                p++;
                acceptKeyword("outer");
                kind = Ast.JoinKind.LEFT;
            } else if (t.isKeyword("cross")) {
                p++;
                kind = Ast.JoinKind.CROSS;
            } else if (t.isKeyword("right") || t.isKeyword("full") || t.isKeyword("natural")) {
                throw new PgException(SqlState.FEATURE_NOT_SUPPORTED,
                        t.text().toUpperCase(java.util.Locale.ROOT) + " JOIN is not supported by osgres yet")
                        .atPosition(Lexer.position(src, t.start()));
            } else {
                return left;
            }
            expectKeyword("join");
            Ast.FromItem right = tableRef();
            Expr quals = null;
            if (kind != Ast.JoinKind.CROSS) {
                if (peek().isKeyword("using")) {
                    throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "JOIN ... USING is not supported by osgres yet")
                            .atPosition(Lexer.position(src, peek().start()));
                }
                expectKeyword("on");
                quals = ep.expr();
            }
            left = new Ast.JoinExpr(kind, left, right, quals, t.start());
        }
    }

    Ast.FromItem tableRef() {
        Token t = peek();
        if (t.isKeyword("lateral")) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "LATERAL is not supported by osgres yet")
                    .atPosition(Lexer.position(src, t.start()));
        }
        if (t.isPunct('(')) {
            if (!atSubquery(1)) {
                throw new PgException(SqlState.FEATURE_NOT_SUPPORTED,
                        "parenthesized joins in FROM are not supported by osgres yet")
                        .atPosition(Lexer.position(src, t.start()));
            }
            next();
            Ast.SelectStmt query = query();
            expectPunct(')');
            List<String> columnAliases = new ArrayList<>();
            String alias = aliasClause(columnAliases);
            if (alias == null) {
                throw new PgException(SqlState.SYNTAX_ERROR, "subquery in FROM must have an alias")
                        .withHint("For example, FROM (SELECT ...) [AS] foo.")
                        .atPosition(Lexer.position(src, t.start()));
            }
            return new Ast.RangeSubselect(query, alias, columnAliases, t.start());
        }
        StringBuilder name = new StringBuilder(identifier());
        while (acceptPunct('.')) {
            name.append('.').append(identifier());
        }
        if (peek().isPunct('(')) {
            next();
            List<Expr> args = peek().isPunct(')') ? List.of() : new ExprParser(this).exprList();
            expectPunct(')');
            Ast.FuncCall call = new Ast.FuncCall(name.toString(), args, t.start(), name.toString());
            List<String> columnAliases = new ArrayList<>();
            String alias = aliasClause(columnAliases);
            return new Ast.FunctionRange(call, alias, columnAliases, t.start());
        }
        String alias = null;
        if (acceptKeyword("as")) {
            alias = identifier();
        } else if (peek().kind() == Token.Kind.QIDENT || (peek().kind() == Token.Kind.IDENT
                && !Keywords.isReserved(peek().text()) && !JOIN_WORDS.contains(peek().text()))) {
            alias = next().text();
        }
        return new Ast.RangeVar(name.toString(), alias, t.start());
    }

    /** alias_clause: [AS] alias [(column aliases)], or null when none follows; the columns go to columnAliases. */
    private String aliasClause(List<String> columnAliases) {
        if (!(acceptKeyword("as") || peek().kind() == Token.Kind.QIDENT || (peek().kind() == Token.Kind.IDENT
                && !Keywords.isReserved(peek().text()) && !JOIN_WORDS.contains(peek().text())))) {
            return null;
        }
        String alias = identifier();
        if (acceptPunct('(')) {
            do {
                columnAliases.add(identifier());
            } while (acceptPunct(','));
            expectPunct(')');
        }
        return alias;
    }

    private boolean atClauseEnd() {
        Token t = peek();
        return t.kind() == Token.Kind.EOF || t.isPunct(';') || t.isPunct(')')
                || (t.kind() == Token.Kind.IDENT && Set.of("from", "where", "limit", "offset", "union",
                        "intersect", "except", "order", "group", "having", "into", "window", "fetch", "for")
                        .contains(t.text()));
    }

    Stmt values() {
        expectKeyword("values");
        ExprParser ep = new ExprParser(this);
        List<List<Expr>> rows = new ArrayList<>();
        int width = -1;
        do {
            Token open = peek();
            expectPunct('(');
            List<Expr> row = new ArrayList<>();
            do {
                row.add(ep.expr());
            } while (acceptPunct(','));
            expectPunct(')');
            if (width >= 0 && row.size() != width) {
                throw new PgException(SqlState.SYNTAX_ERROR, "VALUES lists must all be the same length")
                        .atPosition(Lexer.position(src, row.get(0).location()));
            }
            width = row.size();
            rows.add(row);
        } while (acceptPunct(','));
        Expr limit = null;
        Expr offset = null;
        if (acceptKeyword("limit")) {
            limit = acceptKeyword("all") ? new Ast.Const(Ast.ConstKind.NULL, null, tokens.get(p - 1).start())
                    : ep.expr();
        }
        if (acceptKeyword("offset")) {
            offset = ep.expr();
        }
        return new Ast.SelectStmt(false, List.of(), List.of(), null, List.of(), null, List.of(), limit, offset, rows,
                -1);
    }
}
