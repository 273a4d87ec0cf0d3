package org.osgres.sql.parser;

import java.util.ArrayList;
import java.util.List;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.sql.parser.Ast.Expr;

/*
 * DdlParser: the table statements of the grammar (PostgreSQL: gram.y CreateStmt with
 * columnDef / ColConstraint / TableConstraint / OptWith, DropStmt, TruncateStmt, AlterTableStmt
 * (ADD constraint only), IndexStmt, CreatedbStmt, DropdbStmt, VacuumStmt and AnalyzeStmt).
 *
 * Column constraints are folded into the ColumnDef (NOT NULL, DEFAULT, PRIMARY KEY, UNIQUE,
 * REFERENCES); a DEFAULT keeps its source text, which the catalog stores and the engine parses
 * again when it inserts (pg_attrdef.adbin's role). CHECK, LIKE, partitioning and the rest of
 * ALTER TABLE are 0A000.
 *
 * Entry points: isTableStatement(), statement().
 * See also: Parser -- dispatch; DmlParser -- INSERT, UPDATE, DELETE; exec.DdlCommands -- runs them.
 */
final class DdlParser {
    private DdlParser() {
    }

    /** Whether CREATE/ALTER/DROP at the parser's position is one this class parses. */
    static boolean isTableStatement(Parser ps) {
        Token first = ps.peek();
        Token second = ps.peekAt(1);
        return switch (first.text()) {
            case "create" -> second.isKeyword("table") || second.isKeyword("index") || second.isKeyword("database")
                    || (second.isKeyword("unique") && ps.peekAt(2).isKeyword("index"));
            case "alter" -> second.isKeyword("table");
            case "drop" -> second.isKeyword("table") || second.isKeyword("index") || second.isKeyword("database");
            default -> false;
        };
    }

    static Ast.Stmt statement(Parser ps) {
        Token first = ps.next();
        switch (first.text()) {
            case "create": {
                if (ps.acceptKeyword("table")) {
                    return createTable(ps);
                }
                if (ps.acceptKeyword("database")) {
                    return createDatabase(ps);
                }
                boolean unique = ps.acceptKeyword("unique");
                ps.expectKeyword("index");
                return createIndex(ps, unique);
            }
            case "alter":
                ps.expectKeyword("table");
                return alterTable(ps);
            case "drop": {
                String kind = ps.next().text();
                if (kind.equals("database")) {
                    boolean ifExists = ifExists(ps);
                    String name = ps.identifier();
                    return new Ast.DropDatabaseStmt(name, ifExists);
                }
                boolean ifExists = ifExists(ps);
                List<Ast.RangeVar> names = nameList(ps);
                return new Ast.DropStmt(kind.toUpperCase(java.util.Locale.ROOT), names, ifExists, cascade(ps));
            }
            case "truncate": {
                ps.acceptKeyword("table");
                ps.acceptKeyword("only");
                List<Ast.RangeVar> names = nameList(ps);
                if (ps.acceptKeyword("restart") || ps.acceptKeyword("continue")) {
                    ps.expectKeyword("identity");
                }
                return new Ast.TruncateStmt(names, cascade(ps));
            }
            default:
                return vacuum(ps, first);
        }
    }

    private static boolean ifExists(Parser ps) {
        if (ps.acceptKeyword("if")) {
            ps.expectKeyword("exists");
            return true;
        }
        return false;
    }

    private static boolean ifNotExists(Parser ps) {
        if (ps.peek().isKeyword("if") && ps.peekAt(1).isKeyword("not")) {
            ps.p += 2;
            ps.expectKeyword("exists");
            return true;
        }
        return false;
    }

    private static boolean cascade(Parser ps) {
        if (ps.acceptKeyword("cascade")) {
            return true;
        }
        ps.acceptKeyword("restrict");
        return false;
    }

    /** qualified_name: name [. name]. */
    static Ast.RangeVar qualifiedName(Parser ps) {
        Token t = ps.peek();
        StringBuilder name = new StringBuilder(ps.identifier());
        while (ps.acceptPunct('.')) {
            name.append('.').append(ps.identifier());
        }
        return new Ast.RangeVar(name.toString(), null, t.start());
    }

    private static List<Ast.RangeVar> nameList(Parser ps) {
        List<Ast.RangeVar> out = new ArrayList<>();
        do {
            out.add(qualifiedName(ps));
        } while (ps.acceptPunct(','));
        return out;
    }

    private static List<String> columnList(Parser ps, List<Integer> locations) {
        ps.expectPunct('(');
        List<String> out = new ArrayList<>();
        do {
            if (locations != null) {
                locations.add(ps.peek().start());
            }
            out.add(ps.identifier());
        } while (ps.acceptPunct(','));
        ps.expectPunct(')');
        return out;
    }

    private static PgException unsupported(Parser ps, String what, Token at) {
        return new PgException(SqlState.FEATURE_NOT_SUPPORTED, what + " is not supported by osgres yet")
                .atPosition(Lexer.position(ps.src, at.start()));
    }

    // ---- CREATE TABLE

    private static Ast.Stmt createTable(Parser ps) {
        boolean ifNotExists = ifNotExists(ps);
        Ast.RangeVar table = qualifiedName(ps);
        ps.expectPunct('(');
        List<Ast.ColumnDef> columns = new ArrayList<>();
        List<Ast.TableConstraint> constraints = new ArrayList<>();
        if (!ps.peek().isPunct(')')) {
            do {
                Token t = ps.peek();
                if (t.isKeyword("constraint") || t.isKeyword("primary") || t.isKeyword("unique")
                        || t.isKeyword("foreign") || t.isKeyword("check") || t.isKeyword("like")
                        || t.isKeyword("exclude")) {
                    constraints.add(tableConstraint(ps));
                } else {
                    columns.add(columnDef(ps));
                }
            } while (ps.acceptPunct(','));
        }
        ps.expectPunct(')');
        Integer fillfactor = null;
        if (ps.peek().isKeyword("partition") || ps.peek().isKeyword("inherits")) {
            throw unsupported(ps, ps.peek().text().toUpperCase(java.util.Locale.ROOT), ps.peek());
        }
        if (ps.acceptKeyword("with")) {
            ps.expectPunct('(');
            do {
                Token opt = ps.peek();
                String name = ps.identifier();
                String value = null;
                if (ps.acceptOp("=")) {
                    Token v = ps.next();
                    value = v.text();
                }
                if (!name.equals("fillfactor")) {
                    throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "unrecognized parameter \"" + name + "\"");
                }
                int ff;
                try {
                    ff = value == null ? -1 : Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "invalid value for integer option \""
                            + name + "\": " + value);
                }
                if (ff < 10 || ff > 100) {
                    throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "value " + value
                            + " out of bounds for option \"fillfactor\"")
                            .withDetail("Valid values are between \"10\" and \"100\".");
                }
                fillfactor = ff;
                if (opt == null) {
                    break;
                }
            } while (ps.acceptPunct(','));
            ps.expectPunct(')');
        }
        return new Ast.CreateTableStmt(table, ifNotExists, columns, constraints, fillfactor);
    }

    private static Ast.ColumnDef columnDef(Parser ps) {
        Token start = ps.peek();
        String name = ps.identifier();
        Ast.TypeName type = new ExprParser(ps).typeName();
        if (ps.peek().isPunct('[')) {
            throw unsupported(ps, "array types", ps.peek());
        }
        boolean notNull = false;
        String defaultText = null;
        Expr defaultExpr = null;
        boolean primaryKey = false;
        int primaryKeyLocation = -1;
        boolean unique = false;
        Ast.References references = null;
        while (true) {
            Token t = ps.peek();
            if (ps.acceptKeyword("constraint")) {
                ps.identifier();
                t = ps.peek();
            }
            if (t.isKeyword("not") && ps.peekAt(1).isKeyword("null")) {
                ps.p += 2;
                notNull = true;
            } else if (ps.acceptKeyword("null")) {
                notNull = false;
            } else if (ps.acceptKeyword("default")) {
                int from = ps.peek().start();
                defaultExpr = new ExprParser(ps).bExpr();
                defaultText = ps.src.substring(from, ps.tokens.get(ps.p - 1).end());
            } else if (t.isKeyword("primary")) {
                ps.p++;
                ps.expectKeyword("key");
                primaryKey = true;
                primaryKeyLocation = t.start();
            } else if (ps.acceptKeyword("unique")) {
                unique = true;
            } else if (ps.acceptKeyword("references")) {
                references = references(ps);
            } else if (t.isKeyword("check") || t.isKeyword("generated") || t.isKeyword("collate")) {
                throw unsupported(ps, t.text().toUpperCase(java.util.Locale.ROOT) + " in a column definition", t);
            } else {
                break;
            }
        }
        return new Ast.ColumnDef(name, type, notNull, defaultText, defaultExpr, primaryKey, unique, references,
                start.start(), primaryKeyLocation);
    }

    private static Ast.References references(Parser ps) {
        Ast.RangeVar table = qualifiedName(ps);
        List<String> columns = ps.peek().isPunct('(') ? columnList(ps, null) : List.of();
        char onUpdate = 'a';
        char onDelete = 'a';
        while (ps.peek().isKeyword("on")) {
            ps.p++;
            boolean delete = ps.acceptKeyword("delete");
            if (!delete) {
                ps.expectKeyword("update");
            }
            char action = referentialAction(ps);
            if (delete) {
                onDelete = action;
            } else {
                onUpdate = action;
            }
        }
        if (ps.peek().isKeyword("match") || ps.peek().isKeyword("deferrable")) {
            throw unsupported(ps, ps.peek().text().toUpperCase(java.util.Locale.ROOT), ps.peek());
        }
        return new Ast.References(table, columns, onUpdate, onDelete);
    }

    private static char referentialAction(Parser ps) {
        Token t = ps.peek();
        if (ps.acceptKeyword("restrict")) {
            return 'r';
        }
        if (ps.acceptKeyword("no")) {
            ps.expectKeyword("action");
            return 'a';
        }
        if (ps.acceptKeyword("cascade") || ps.acceptKeyword("set")) {
            throw unsupported(ps, "ON DELETE/UPDATE " + t.text().toUpperCase(java.util.Locale.ROOT), t);
        }
        throw ps.syntaxError(t);
    }

    private static Ast.TableConstraint tableConstraint(Parser ps) {
        Token start = ps.peek();
        String name = null;
        if (ps.acceptKeyword("constraint")) {
            name = ps.identifier();
        }
        Token t = ps.peek();
        if (ps.acceptKeyword("primary")) {
            ps.expectKeyword("key");
            return new Ast.TableConstraint(name, 'p', columnList(ps, null), null, start.start());
        }
        if (ps.acceptKeyword("unique")) {
            return new Ast.TableConstraint(name, 'u', columnList(ps, null), null, start.start());
        }
        if (ps.acceptKeyword("foreign")) {
            ps.expectKeyword("key");
            List<String> columns = columnList(ps, null);
            ps.expectKeyword("references");
            return new Ast.TableConstraint(name, 'f', columns, references(ps), start.start());
        }
        if (t.isKeyword("check") || t.isKeyword("like") || t.isKeyword("exclude")) {
            throw unsupported(ps, t.text().toUpperCase(java.util.Locale.ROOT) + " constraints", t);
        }
        throw ps.syntaxError(t);
    }

    // ---- ALTER TABLE, CREATE INDEX

    private static Ast.Stmt alterTable(Parser ps) {
        boolean ifExists = ifExists(ps);
        ps.acceptKeyword("only");
        Ast.RangeVar table = qualifiedName(ps);
        List<Ast.TableConstraint> adds = new ArrayList<>();
        do {
            Token t = ps.peek();
            if (!ps.acceptKeyword("add")) {
                throw unsupported(ps, "ALTER TABLE " + t.text().toUpperCase(java.util.Locale.ROOT), t);
            }
            Token c = ps.peek();
            if (!(c.isKeyword("constraint") || c.isKeyword("primary") || c.isKeyword("unique")
                    || c.isKeyword("foreign") || c.isKeyword("check"))) {
                throw unsupported(ps, "ALTER TABLE ADD COLUMN", c);
            }
            adds.add(tableConstraint(ps));
        } while (ps.acceptPunct(','));
        return new Ast.AlterTableStmt(table, ifExists, adds);
    }

    private static Ast.Stmt createIndex(Parser ps, boolean unique) {
        if (ps.peek().isKeyword("concurrently")) {
            throw unsupported(ps, "CREATE INDEX CONCURRENTLY", ps.peek());
        }
        boolean ifNotExists = ifNotExists(ps);
        String name = null;
        if (!ps.peek().isKeyword("on")) {
            name = ps.identifier();
        }
        ps.expectKeyword("on");
        ps.acceptKeyword("only");
        Ast.RangeVar table = qualifiedName(ps);
        if (ps.acceptKeyword("using")) {
            Token m = ps.peek();
            String method = ps.identifier();
            if (!method.equals("btree")) {
                throw new PgException(SqlState.UNDEFINED_OBJECT, "access method \"" + method + "\" does not exist")
                        .atPosition(Lexer.position(ps.src, m.start()));
            }
        }
        ps.expectPunct('(');
        List<String> columns = new ArrayList<>();
        List<Integer> locations = new ArrayList<>();
        do {
            Token c = ps.peek();
            if (c.isPunct('(')) {
                throw unsupported(ps, "index expressions", c);
            }
            locations.add(c.start());
            columns.add(ps.identifier());
            if (ps.acceptKeyword("desc")) {
                throw unsupported(ps, "DESC index columns", ps.tokens.get(ps.p - 1));
            }
            ps.acceptKeyword("asc");
        } while (ps.acceptPunct(','));
        ps.expectPunct(')');
        if (ps.peek().isKeyword("include") || ps.peek().isKeyword("where") || ps.peek().isKeyword("with")) {
            throw unsupported(ps, "CREATE INDEX ... " + ps.peek().text().toUpperCase(java.util.Locale.ROOT), ps.peek());
        }
        return new Ast.CreateIndexStmt(name, table, unique, ifNotExists, columns, locations);
    }

    // ---- databases, VACUUM

    private static Ast.Stmt createDatabase(Parser ps) {
        String name = ps.identifier();
        String owner = null;
        String template = null;
        ps.acceptKeyword("with");
        while (ps.peek().kind() == Token.Kind.IDENT && !ps.peek().isPunct(';')) {
            String option = ps.next().text();
            ps.acceptOp("=");
            Token v = ps.next();
            if (v.kind() != Token.Kind.IDENT && v.kind() != Token.Kind.QIDENT && v.kind() != Token.Kind.SCONST
                    && v.kind() != Token.Kind.ICONST) {
                throw ps.syntaxError(v);
            }
            switch (option) {
                case "owner" -> owner = v.text();
                case "template" -> template = v.text();
                case "encoding", "lc_collate", "lc_ctype", "locale", "connection", "allow_connections",
                        "is_template", "strategy", "tablespace", "icu_locale", "locale_provider",
                        "collation_version", "oid" -> {
                    if (option.equals("connection")) {
                        ps.expectKeyword("limit");
                        ps.acceptOp("=");
                        ps.next();
                    }
                }
                default -> throw new PgException(SqlState.SYNTAX_ERROR, "option \"" + option + "\" not recognized");
            }
        }
        return new Ast.CreateDatabaseStmt(name, owner, template);
    }

    private static Ast.Stmt vacuum(Parser ps, Token first) {
        boolean vacuum = first.isKeyword("vacuum");
        boolean analyze = !vacuum;
        boolean verbose = false;
        if (ps.acceptPunct('(')) {
            do {
                Token o = ps.next();
                switch (o.text()) {
                    case "analyze", "analyse" -> analyze = true;
                    case "verbose" -> verbose = true;
                    case "full", "freeze", "disable_page_skipping", "skip_locked", "index_cleanup", "process_toast",
                            "truncate", "parallel" -> {
                        if (ps.peek().kind() != Token.Kind.PUNCT) {
                            ps.next();
                        }
                    }
                    default -> throw new PgException(SqlState.SYNTAX_ERROR, "unrecognized " + (vacuum ? "VACUUM"
                            : "ANALYZE") + " option \"" + o.text() + "\"")
                            .atPosition(Lexer.position(ps.src, o.start()));
                }
            } while (ps.acceptPunct(','));
            ps.expectPunct(')');
        } else {
            while (true) {
                if (ps.acceptKeyword("full") || ps.acceptKeyword("freeze")) {
                    continue;
                }
                if (ps.acceptKeyword("verbose")) {
                    verbose = true;
                } else if (vacuum && (ps.acceptKeyword("analyze") || ps.acceptKeyword("analyse"))) {
                    analyze = true;
                } else {
                    break;
                }
            }
        }
        List<Ast.RangeVar> tables = new ArrayList<>();
        if (ps.peek().kind() == Token.Kind.IDENT || ps.peek().kind() == Token.Kind.QIDENT) {
            do {
                tables.add(qualifiedName(ps));
                if (ps.peek().isPunct('(')) {
                    throw unsupported(ps, "column lists in VACUUM and ANALYZE", ps.peek());
                }
            } while (ps.acceptPunct(','));
        }
        return new Ast.VacuumStmt(vacuum, analyze, verbose, tables);
    }
}
