package org.osgres.sql.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

/*
 * UtilityParser: the utility statements osgres runs without tables (PostgreSQL: gram.y's
 * VariableSetStmt, VariableResetStmt, VariableShowStmt and TransactionStmt productions, and
 * guc.c flatten_set_variable_args for the SET value list).
 *
 * Entry points: set(), reset(), show(), transaction(); each starts after its keyword except
 * transaction(), which reads it.
 */
final class UtilityParser {
    private UtilityParser() {
    }

    /** SET [SESSION | LOCAL] name {= | TO} value [, ...] | DEFAULT; SET TIME ZONE ... */
    static Ast.Stmt set(Parser ps) {
        boolean local = false;
        if (ps.acceptKeyword("local")) {
            local = true;
        } else if (ps.peek().isKeyword("session") && !ps.peekAt(1).isOp("=") && !ps.peekAt(1).isKeyword("to")) {
            ps.next();
        }
        if (ps.peek().isKeyword("transaction") && !ps.peekAt(1).isOp("=") && !ps.peekAt(1).isKeyword("to")) {
            // SET TRANSACTION transaction_mode_list: the isolation level as SET LOCAL transaction_isolation
            Token at = ps.next();
            String isolation = modes(ps);
            if (isolation == null) {
                throw new PgException(SqlState.FEATURE_NOT_SUPPORTED,
                        "SET TRANSACTION without ISOLATION LEVEL is not supported by osgres yet")
                        .atPosition(Lexer.position(ps.src, at.start()));
            }
            return new Ast.SetStmt(Ast.SetKind.VALUE, "transaction_isolation", List.of(isolation), true);
        }
        if (ps.peek().isKeyword("characteristics") && !local) {
            // SET SESSION CHARACTERISTICS AS TRANSACTION modes: the session's default_transaction_isolation
            Token at = ps.next();
            ps.expectKeyword("as");
            ps.expectKeyword("transaction");
            String isolation = modes(ps);
            if (isolation == null) {
                throw new PgException(SqlState.FEATURE_NOT_SUPPORTED,
                        "SET SESSION CHARACTERISTICS without ISOLATION LEVEL is not supported by osgres yet")
                        .atPosition(Lexer.position(ps.src, at.start()));
            }
            return new Ast.SetStmt(Ast.SetKind.VALUE, "default_transaction_isolation", List.of(isolation), false);
        }
        if (ps.peek().isKeyword("transaction") || ps.peek().isKeyword("constraints")
                || ps.peek().isKeyword("role") || ps.peek().isKeyword("characteristics")) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED,
                    "SET " + ps.peek().text().toUpperCase(Locale.ROOT) + " is not supported by osgres yet")
                    .atPosition(Lexer.position(ps.src, ps.peek().start()));
        }
        if (ps.peek().isKeyword("time") && ps.peekAt(1).isKeyword("zone")) {
            ps.next();
            ps.next();
            if (ps.acceptKeyword("default") || ps.acceptKeyword("local")) {
                return new Ast.SetStmt(Ast.SetKind.DEFAULT, "timezone", List.of(), local);
            }
            return new Ast.SetStmt(Ast.SetKind.VALUE, "timezone", List.of(value(ps)), local);
        }
        String name = varName(ps);
        if (!ps.peek().isOp("=") && !ps.peek().isKeyword("to")) {
            throw ps.syntaxError(ps.peek());
        }
        ps.next();
        if (ps.acceptKeyword("default")) {
            return new Ast.SetStmt(Ast.SetKind.DEFAULT, name, List.of(), local);
        }
        List<String> values = new ArrayList<>();
        do {
            values.add(value(ps));
        } while (ps.acceptPunct(','));
        return new Ast.SetStmt(Ast.SetKind.VALUE, name, values, local);
    }

    /** var_name: ColId ['.' ColId]... */
    private static String varName(Parser ps) {
        Token t = ps.next();
        if (t.kind() != Token.Kind.IDENT && t.kind() != Token.Kind.QIDENT) {
            throw ps.syntaxError(t);
        }
        StringBuilder name = new StringBuilder(t.text());
        while (ps.acceptPunct('.')) {
            Token n = ps.next();
            if (n.kind() != Token.Kind.IDENT && n.kind() != Token.Kind.QIDENT) {
                throw ps.syntaxError(n);
            }
            name.append('.').append(n.text());
        }
        return name.toString();
    }

    /** var_value: a word, a string, or a signed number, as its text. */
    private static String value(Parser ps) {
        Token t = ps.next();
        switch (t.kind()) {
            case SCONST, IDENT, QIDENT, ICONST, FCONST:
                return t.text();
            case OP:
                if (t.text().equals("-") || t.text().equals("+")) {
                    Token n = ps.next();
                    if (n.kind() == Token.Kind.ICONST || n.kind() == Token.Kind.FCONST) {
                        return t.text().equals("-") ? "-" + n.text() : n.text();
                    }
                    throw ps.syntaxError(n);
                }
                throw ps.syntaxError(t);
            default:
                throw ps.syntaxError(t);
        }
    }

    /** RESET name | ALL | TIME ZONE */
    static Ast.Stmt reset(Parser ps) {
        if (ps.acceptKeyword("all")) {
            return new Ast.SetStmt(Ast.SetKind.RESET_ALL, null, List.of(), false);
        }
        if (ps.peek().isKeyword("time") && ps.peekAt(1).isKeyword("zone")) {
            ps.next();
            ps.next();
            return new Ast.SetStmt(Ast.SetKind.RESET, "timezone", List.of(), false);
        }
        return new Ast.SetStmt(Ast.SetKind.RESET, varName(ps), List.of(), false);
    }

    /** SHOW name | ALL | TIME ZONE | TRANSACTION ISOLATION LEVEL | SESSION AUTHORIZATION */
    static Ast.Stmt show(Parser ps) {
        if (ps.acceptKeyword("all")) {
            return new Ast.ShowStmt("all");
        }
        if (ps.peek().isKeyword("time") && ps.peekAt(1).isKeyword("zone")) {
            ps.next();
            ps.next();
            return new Ast.ShowStmt("timezone");
        }
        if (ps.peek().isKeyword("transaction") && ps.peekAt(1).isKeyword("isolation")) {
            ps.next();
            ps.next();
            ps.expectKeyword("level");
            return new Ast.ShowStmt("transaction_isolation");
        }
        if (ps.peek().isKeyword("session") && ps.peekAt(1).isKeyword("authorization")) {
            ps.next();
            ps.next();
            return new Ast.ShowStmt("session_authorization");
        }
        return new Ast.ShowStmt(varName(ps));
    }

    /** BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, ABORT with their optional words and modes. */
    static Ast.Stmt transaction(Parser ps) {
        Token t = ps.next();
        Ast.TxKind kind;
        String isolation = null;
        switch (t.text()) {
            case "begin" -> {
                kind = Ast.TxKind.BEGIN;
                if (!ps.acceptKeyword("work")) {
                    ps.acceptKeyword("transaction");
                }
                isolation = modes(ps);
            }
            case "start" -> {
                kind = Ast.TxKind.START;
                ps.expectKeyword("transaction");
                isolation = modes(ps);
            }
            case "commit", "end" -> {
                kind = Ast.TxKind.COMMIT;
                optWorkAndChain(ps);
            }
            default -> {
                kind = Ast.TxKind.ROLLBACK;
                if (t.text().equals("rollback") && ps.peek().isKeyword("to")) {
                    throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "savepoints are not supported by osgres yet")
                            .atPosition(Lexer.position(ps.src, ps.peek().start()));
                }
                optWorkAndChain(ps);
            }
        }
        return new Ast.TransactionStmt(kind, isolation);
    }

    private static void optWorkAndChain(Parser ps) {
        if (!ps.acceptKeyword("work")) {
            ps.acceptKeyword("transaction");
        }
        if (ps.acceptKeyword("and")) {
            ps.acceptKeyword("no");
            ps.expectKeyword("chain");
        }
    }

    /**
     * transaction_mode_list: ISOLATION LEVEL ..., READ WRITE | READ ONLY, [NOT] DEFERRABLE.
     * Returns the last isolation level named, as transaction_isolation spells it, or null.
     * READ ONLY and DEFERRABLE are accepted and not enforced yet.
     */
    private static String modes(Parser ps) {
        boolean first = true;
        String isolation = null;
        while (true) {
            if (!first) {
                ps.acceptPunct(',');
            }
            if (ps.acceptKeyword("isolation")) {
                ps.expectKeyword("level");
                if (ps.acceptKeyword("serializable")) {
                    isolation = "serializable";
                } else if (ps.acceptKeyword("repeatable")) {
                    ps.expectKeyword("read");
                    isolation = "repeatable read";
                } else {
                    ps.expectKeyword("read");
                    if (ps.acceptKeyword("committed")) {
                        isolation = "read committed";
                    } else {
                        ps.expectKeyword("uncommitted");
                        isolation = "read uncommitted";
                    }
                }
            } else if (ps.acceptKeyword("read")) {
                if (!ps.acceptKeyword("only")) {
                    ps.expectKeyword("write");
                }
            } else if (ps.acceptKeyword("not")) {
                ps.expectKeyword("deferrable");
            } else if (!ps.acceptKeyword("deferrable")) {
                return isolation;
            }
            first = false;
        }
    }
}
