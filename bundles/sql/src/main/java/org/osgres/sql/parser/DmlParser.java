package org.osgres.sql.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.sql.parser.Ast.Expr;

/*
 * DmlParser: INSERT, UPDATE and DELETE (PostgreSQL: gram.y InsertStmt with insert_rest and
 * values_clause, UpdateStmt with set_clause_list, DeleteStmt, returning_clause).
 *
 * DEFAULT inside VALUES rows and SET clauses becomes Ast.SetToDefault. ON CONFLICT, WITH,
 * USING and WHERE CURRENT OF are 0A000.
 *
 * Entry points: insert(), update(), delete().
 * See also: Parser -- dispatch and SELECT; analyze.TableAnalyzer -- analysis.
 */
final class DmlParser {
    private DmlParser() {
    }

    static Ast.Stmt insert(Parser ps) {
        ps.expectKeyword("insert");
        ps.expectKeyword("into");
        Ast.RangeVar table = DdlParser.qualifiedName(ps);
        String alias = null;
        if (ps.acceptKeyword("as")) {
            alias = ps.identifier();
        }
        table = new Ast.RangeVar(table.name(), alias, table.location());
        List<String> columns = new ArrayList<>();
        List<Integer> locations = new ArrayList<>();
        if (ps.peek().isPunct('(') && !ps.atSubquery(1)) {
            ps.next();
            do {
                locations.add(ps.peek().start());
                columns.add(ps.identifier());
                if (ps.peek().isPunct('.') || ps.peek().isPunct('[')) {
                    throw unsupported(ps, "assignment to a field or array element", ps.peek());
                }
            } while (ps.acceptPunct(','));
            ps.expectPunct(')');
        }
        Ast.SelectStmt select;
        if (ps.peek().isKeyword("default") && ps.peekAt(1).isKeyword("values")) {
            ps.p += 2;
            select = null;
        } else if (ps.peek().isKeyword("values")) {
            select = values(ps);
        } else if (ps.atSubquery(0)) {
            select = ps.query();
        } else if (ps.peek().isPunct('(') && ps.atSubquery(1)) {
            ps.next();
            select = ps.query();
            ps.expectPunct(')');
        } else if (ps.peek().isKeyword("overriding")) {
            throw unsupported(ps, ps.peek().text().toUpperCase(Locale.ROOT) + " in INSERT", ps.peek());
        } else {
            throw ps.syntaxError(ps.peek());
        }
        if (ps.peek().isKeyword("on") && ps.peekAt(1).isKeyword("conflict")) {
            throw unsupported(ps, "ON CONFLICT", ps.peek());
        }
        return new Ast.InsertStmt(table, columns, locations, select, returning(ps));
    }

    /** VALUES (..), (..) where an element may be DEFAULT. */
    private static Ast.SelectStmt values(Parser ps) {
        ps.expectKeyword("values");
        ExprParser ep = new ExprParser(ps);
        List<List<Expr>> rows = new ArrayList<>();
        int width = -1;
        do {
            ps.expectPunct('(');
            List<Expr> row = new ArrayList<>();
            do {
                row.add(valueOrDefault(ps, ep));
            } while (ps.acceptPunct(','));
            ps.expectPunct(')');
            if (width >= 0 && row.size() != width) {
                throw new PgException(SqlState.SYNTAX_ERROR, "VALUES lists must all be the same length")
                        .atPosition(Lexer.position(ps.src, row.get(0).location()));
            }
            width = row.size();
            rows.add(row);
        } while (ps.acceptPunct(','));
        return new Ast.SelectStmt(false, List.of(), List.of(), null, List.of(), null, List.of(), null, null, rows, -1);
    }

    private static Expr valueOrDefault(Parser ps, ExprParser ep) {
        Token t = ps.peek();
        if (t.isKeyword("default") && (ps.peekAt(1).isPunct(',') || ps.peekAt(1).isPunct(')')
                || ps.peekAt(1).isPunct(';') || ps.peekAt(1).kind() == Token.Kind.EOF
                || ps.peekAt(1).kind() == Token.Kind.IDENT)) {
            ps.next();
            return new Ast.SetToDefault(t.start());
        }
        return ep.expr();
    }

    static Ast.Stmt update(Parser ps) {
        ps.expectKeyword("update");
        ps.acceptKeyword("only");
        Ast.RangeVar table = tableWithAlias(ps, "set");
        ps.expectKeyword("set");
        ExprParser ep = new ExprParser(ps);
        List<Ast.SetClause> sets = new ArrayList<>();
        do {
            Token t = ps.peek();
            if (t.isPunct('(')) {
                throw unsupported(ps, "multiple-column UPDATE SET", t);
            }
            String column = ps.identifier();
            if (ps.peek().isPunct('.') || ps.peek().isPunct('[')) {
                throw unsupported(ps, "assignment to a field or array element", ps.peek());
            }
            if (!ps.acceptOp("=")) {
                throw ps.syntaxError(ps.peek());
            }
            sets.add(new Ast.SetClause(column, valueOrDefault(ps, ep), t.start()));
        } while (ps.acceptPunct(','));
        List<Ast.FromItem> from = new ArrayList<>();
        if (ps.acceptKeyword("from")) {
            do {
                from.add(ps.fromItem(ep));
            } while (ps.acceptPunct(','));
        }
        Expr where = where(ps, ep);
        return new Ast.UpdateStmt(table, sets, from, where, returning(ps));
    }

    static Ast.Stmt delete(Parser ps) {
        ps.expectKeyword("delete");
        ps.expectKeyword("from");
        ps.acceptKeyword("only");
        Ast.RangeVar table = tableWithAlias(ps, "using");
        if (ps.peek().isKeyword("using")) {
            throw unsupported(ps, "DELETE ... USING", ps.peek());
        }
        ExprParser ep = new ExprParser(ps);
        Expr where = where(ps, ep);
        return new Ast.DeleteStmt(table, where, returning(ps));
    }

    /** relation_expr_opt_alias: an alias may not be the keyword that follows (SET, USING). */
    private static Ast.RangeVar tableWithAlias(Parser ps, String following) {
        Ast.RangeVar table = DdlParser.qualifiedName(ps);
        String alias = null;
        if (ps.acceptKeyword("as")) {
            alias = ps.identifier();
        } else if (ps.peek().kind() == Token.Kind.QIDENT || (ps.peek().kind() == Token.Kind.IDENT
                && !ps.peek().isKeyword(following) && !Keywords.isReserved(ps.peek().text()))) {
            alias = ps.identifier();
        }
        return new Ast.RangeVar(table.name(), alias, table.location());
    }

    private static Expr where(Parser ps, ExprParser ep) {
        if (!ps.acceptKeyword("where")) {
            return null;
        }
        if (ps.peek().isKeyword("current") && ps.peekAt(1).isKeyword("of")) {
            throw unsupported(ps, "WHERE CURRENT OF", ps.peek());
        }
        return ep.expr();
    }

    private static List<Ast.ResTarget> returning(Parser ps) {
        if (!ps.acceptKeyword("returning")) {
            return List.of();
        }
        List<Ast.ResTarget> targets = new ArrayList<>();
        ps.targetList(new ExprParser(ps), targets);
        return targets;
    }

    private static PgException unsupported(Parser ps, String what, Token at) {
        return new PgException(SqlState.FEATURE_NOT_SUPPORTED, what + " is not supported by osgres yet")
                .atPosition(Lexer.position(ps.src, at.start()));
    }
}
