package org.osgres.sql.parser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

/*
 * CopyParser: the COPY statement (PostgreSQL: gram.y CopyStmt, copy_options, copy_opt_list and
 * copy_generic_opt_list). Both option syntaxes end in one map of PostgreSQL's generic option
 * names (format, freeze, delimiter, null, header, quote, escape...), which CopyOptions checks.
 *
 *   COPY [BINARY] table [(col, ...)] FROM STDIN|'file' [[USING] DELIMITERS 'c'] [WITH] options
 *   COPY table [(col, ...)] | (query) TO STDOUT|'file' [WITH] options
 *
 * Entry points: copy().
 * See also: exec.CopyOptions -- the options' meaning; exec.CopyPlan -- running it.
 */
final class CopyParser {
    private CopyParser() {
    }

    /** After the COPY keyword's token (still unread). */
    static Ast.CopyStmt copy(Parser ps) {
        int location = ps.next().start(); // COPY
        Map<String, Object> options = new LinkedHashMap<>();
        if (ps.acceptKeyword("binary")) {
            options.put("format", "binary");
        }
        String schema = null;
        String table = null;
        Ast.SelectStmt query = null;
        List<String> columns = new ArrayList<>();
        if (ps.peek().isPunct('(')) {
            ps.next();
            query = ps.query();
            ps.expectPunct(')');
        } else {
            table = ps.identifier();
            if (ps.acceptPunct('.')) {
                schema = table;
                table = ps.identifier();
            }
            if (ps.acceptPunct('(')) {
                do {
                    columns.add(ps.identifier());
                } while (ps.acceptPunct(','));
                ps.expectPunct(')');
            }
        }
        boolean from;
        if (ps.acceptKeyword("from")) {
            from = true;
        } else {
            ps.expectKeyword("to");
            from = false;
        }
        if (query != null && from) {
            throw ps.syntaxError(ps.peekAt(-1));
        }
        boolean program = ps.acceptKeyword("program");
        String file = null;
        Token target = ps.next();
        if (target.kind() == Token.Kind.SCONST) {
            file = target.text();
        } else if (!(target.kind() == Token.Kind.IDENT && (target.text().equals("stdin") || target.text().equals("stdout")))) {
            throw ps.syntaxError(target);
        }
        if (ps.acceptKeyword("using")) {
            ps.expectKeyword("delimiters");
            options.put("delimiter", string(ps));
        } else if (ps.acceptKeyword("delimiters")) {
            options.put("delimiter", string(ps));
        }
        ps.acceptKeyword("with");
        if (ps.peek().isPunct('(')) {
            genericOptions(ps, options);
        } else {
            oldOptions(ps, options);
        }
        if (ps.peek().isKeyword("where")) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "COPY ... WHERE is not supported by osgres yet")
                    .atPosition(Lexer.position(ps.src, ps.peek().start()));
        }
        return new Ast.CopyStmt(schema, table, columns, query, from, file, program, options, location);
    }

    /** copy_generic_opt_list: '(' name [value] [, ...] ')'. */
    private static void genericOptions(Parser ps, Map<String, Object> options) {
        ps.expectPunct('(');
        do {
            Token name = ps.next();
            if (name.kind() != Token.Kind.IDENT && name.kind() != Token.Kind.QIDENT) {
                throw ps.syntaxError(name);
            }
            Object value = Boolean.TRUE;
            Token v = ps.peek();
            if (!v.isPunct(',') && !v.isPunct(')')) {
                if (v.isPunct('(')) {
                    ps.next();
                    List<String> list = new ArrayList<>();
                    do {
                        list.add(ps.identifier());
                    } while (ps.acceptPunct(','));
                    ps.expectPunct(')');
                    value = list;
                } else if (v.isOp("*")) {
                    ps.next();
                    value = "*";
                } else {
                    ps.next();
                    value = v.text();
                }
            }
            put(ps, options, name.text().toLowerCase(Locale.ROOT), value, name);
        } while (ps.acceptPunct(','));
        ps.expectPunct(')');
    }

    /** copy_opt_list: the pre-9.0 syntax (BINARY, FREEZE, DELIMITER [AS] 'c', NULL [AS] 's', CSV, HEADER...). */
    private static void oldOptions(Parser ps, Map<String, Object> options) {
        while (true) {
            Token t = ps.peek();
            if (t.kind() != Token.Kind.IDENT) {
                return;
            }
            switch (t.text()) {
                case "binary" -> {
                    ps.next();
                    put(ps, options, "format", "binary", t);
                }
                case "csv" -> {
                    ps.next();
                    put(ps, options, "format", "csv", t);
                }
                case "freeze", "header" -> {
                    ps.next();
                    put(ps, options, t.text(), Boolean.TRUE, t);
                }
                case "delimiter", "null", "quote", "escape", "encoding" -> {
                    ps.next();
                    ps.acceptKeyword("as");
                    put(ps, options, t.text(), string(ps), t);
                }
                case "force" -> throw new PgException(SqlState.FEATURE_NOT_SUPPORTED,
                        "COPY FORCE options are not supported by osgres yet")
                        .atPosition(Lexer.position(ps.src, t.start()));
                default -> {
                    return;
                }
            }
        }
    }

    private static void put(Parser ps, Map<String, Object> options, String name, Object value, Token at) {
        if (options.putIfAbsent(name, value) != null) {
            throw new PgException(SqlState.SYNTAX_ERROR, "conflicting or redundant options")
                    .atPosition(Lexer.position(ps.src, at.start()));
        }
    }

    private static String string(Parser ps) {
        Token t = ps.next();
        if (t.kind() != Token.Kind.SCONST) {
            throw ps.syntaxError(t);
        }
        return t.text();
    }
}
