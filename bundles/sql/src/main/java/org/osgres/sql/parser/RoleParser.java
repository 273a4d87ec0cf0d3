package org.osgres.sql.parser;

import java.util.ArrayList;
import java.util.List;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.sql.parser.Ast.RoleOption;
import org.osgres.sql.parser.Ast.RoleSpec;

/*
 * RoleParser: the role statements (PostgreSQL: gram.y CreateRoleStmt, CreateUserStmt,
 * CreateGroupStmt, AlterRoleStmt, AlterGroupStmt, RenameStmt for roles, DropRoleStmt,
 * GrantRoleStmt and RevokeRoleStmt, with CreateOptRoleElem / AlterOptRoleElem, RoleId and
 * RoleSpec).
 *
 * Options become Ast.RoleOption with gram.y's DefElem names, so RoleCommands reads them as
 * user.c does. Errors the grammar raises itself ("unrecognized role option", reserved role
 * names, UNENCRYPTED PASSWORD) carry their positions.
 *
 * Entry points: create(), alter(), drop(), grantOrRevoke(); each is called at the statement's
 * first keyword, after the caller has checked that it is a role statement (isRoleStatement()).
 */
final class RoleParser {
    private RoleParser() {
    }

    /** True when the tokens at the parser's position start a statement this class parses. */
    static boolean isRoleStatement(Parser ps) {
        Token first = ps.peek();
        Token second = ps.peekAt(1);
        if (first.isKeyword("create") || first.isKeyword("alter") || first.isKeyword("drop")) {
            if (second.isKeyword("user") && ps.peekAt(2).isKeyword("mapping")) {
                return false; // CREATE/ALTER/DROP USER MAPPING is a foreign-data statement
            }
            return second.isKeyword("role") || second.isKeyword("user") || second.isKeyword("group");
        }
        if (first.isKeyword("grant") || first.isKeyword("revoke")) {
            // GRANT privileges ON object is not a role grant: look for ON at depth 0 before TO/FROM.
            for (int i = 1;; i++) {
                Token t = ps.peekAt(i);
                if (t.kind() == Token.Kind.EOF || t.isPunct(';') || t.isKeyword("to") || t.isKeyword("from")) {
                    return true;
                }
                if (t.isKeyword("on") || t.isPunct('(')) {
                    return false;
                }
            }
        }
        return false;
    }

    private static Ast.RoleStmtKind kind(Token t) {
        return switch (t.text()) {
            case "user" -> Ast.RoleStmtKind.USER;
            case "group" -> Ast.RoleStmtKind.GROUP;
            default -> Ast.RoleStmtKind.ROLE;
        };
    }

    /** CREATE ROLE|USER|GROUP RoleId [WITH] options. */
    static Ast.Stmt create(Parser ps) {
        ps.expectKeyword("create");
        Ast.RoleStmtKind kind = kind(ps.next());
        String name = roleId(ps);
        ps.acceptKeyword("with");
        return new Ast.CreateRoleStmt(kind, name, options(ps, true));
    }

    /** ALTER ROLE|USER RoleSpec [WITH] options | RENAME TO RoleId; ALTER GROUP g ADD|DROP USER list. */
    static Ast.Stmt alter(Parser ps) {
        ps.expectKeyword("alter");
        Token which = ps.next();
        Token roleTok = ps.peek();
        if (roleTok.isKeyword("all")) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED,
                    "ALTER ROLE ... SET and RESET are not supported by osgres yet")
                    .atPosition(Lexer.position(ps.src, roleTok.start()));
        }
        if (ps.peekAt(1).isKeyword("rename")) {
            String old = roleId(ps);
            ps.expectKeyword("rename");
            ps.expectKeyword("to");
            return new Ast.RenameRoleStmt(old, roleId(ps));
        }
        RoleSpec role = roleSpec(ps);
        if (which.isKeyword("group")) {
            int action;
            if (ps.acceptKeyword("add")) {
                action = 1;
            } else if (ps.acceptKeyword("drop")) {
                action = -1;
            } else {
                throw ps.syntaxError(ps.peek());
            }
            Token userTok = ps.peek();
            ps.expectKeyword("user");
            return new Ast.AlterRoleStmt(role, List.of(new RoleOption("rolemembers", roleList(ps),
                    userTok.start())), action);
        }
        if (ps.peek().isKeyword("set") || ps.peek().isKeyword("reset") || ps.peek().isKeyword("in")) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED,
                    "ALTER ROLE ... SET and RESET are not supported by osgres yet")
                    .atPosition(Lexer.position(ps.src, ps.peek().start()));
        }
        ps.acceptKeyword("with");
        if (roleTok.kind() == Token.Kind.EOF) {
            throw ps.syntaxError(roleTok);
        }
        return new Ast.AlterRoleStmt(role, options(ps, false), 0);
    }

    /** DROP ROLE|USER|GROUP [IF EXISTS] role_list. */
    static Ast.Stmt drop(Parser ps) {
        ps.expectKeyword("drop");
        ps.next();
        boolean missingOk = false;
        if (ps.peek().isKeyword("if") && ps.peekAt(1).isKeyword("exists")) {
            ps.next();
            ps.next();
            missingOk = true;
        }
        return new Ast.DropRoleStmt(roleList(ps), missingOk);
    }

    /**
     * GRANT role_list TO role_list [WITH ADMIN OPTION] [GRANTED BY RoleSpec];
     * REVOKE [ADMIN OPTION FOR] role_list FROM role_list [GRANTED BY RoleSpec] [CASCADE | RESTRICT].
     */
    static Ast.Stmt grantOrRevoke(Parser ps) {
        boolean grant = ps.next().isKeyword("grant");
        boolean admin = false;
        if (!grant && ps.peek().isKeyword("admin") && ps.peekAt(1).isKeyword("option")
                && ps.peekAt(2).isKeyword("for")) {
            ps.next();
            ps.next();
            ps.next();
            admin = true;
        }
        List<RoleSpec> roles = new ArrayList<>();
        do {
            Token t = ps.peek();
            roles.add(new RoleSpec("name", ps.identifier(), t.start()));
        } while (ps.acceptPunct(','));
        ps.expectKeyword(grant ? "to" : "from");
        List<RoleSpec> grantees = roleList(ps);
        if (grant && ps.peek().isKeyword("with")) {
            ps.next();
            ps.expectKeyword("admin");
            ps.expectKeyword("option");
            admin = true;
        }
        RoleSpec grantedBy = null;
        if (ps.acceptKeyword("granted")) {
            ps.expectKeyword("by");
            grantedBy = roleSpec(ps);
        }
        if (!grant && !ps.acceptKeyword("cascade")) {
            ps.acceptKeyword("restrict");
        }
        return new Ast.GrantRoleStmt(grant, roles, grantees, admin, grantedBy);
    }

    /** RoleId: a RoleSpec that must be a plain name (gram.y's errors for the special ones). */
    static String roleId(Parser ps) {
        RoleSpec s = roleSpec(ps);
        if (s.isName()) {
            return s.name();
        }
        String msg = switch (s.kind()) {
            case "public" -> "role name \"public\" is reserved";
            case "session_user" -> "SESSION_USER cannot be used as a role name here";
            case "current_role" -> "CURRENT_ROLE cannot be used as a role name here";
            default -> "CURRENT_USER cannot be used as a role name here";
        };
        throw new PgException(SqlState.RESERVED_NAME, msg).atPosition(Lexer.position(ps.src, s.location()));
    }

    /** RoleSpec: NonReservedWord (public and none treated specially), CURRENT_ROLE, CURRENT_USER, SESSION_USER. */
    static RoleSpec roleSpec(Parser ps) {
        Token t = ps.peek();
        if (t.kind() == Token.Kind.IDENT) {
            switch (t.text()) {
                case "current_user", "current_role", "session_user" -> {
                    ps.next();
                    return new RoleSpec(t.text(), null, t.start());
                }
                case "public" -> {
                    ps.next();
                    return new RoleSpec("public", null, t.start());
                }
                case "none" -> throw new PgException(SqlState.RESERVED_NAME, "role name \"none\" is reserved")
                        .atPosition(Lexer.position(ps.src, t.start()));
                default -> {
                }
            }
        }
        return new RoleSpec("name", ps.identifier(), t.start());
    }

    static List<RoleSpec> roleList(Parser ps) {
        List<RoleSpec> out = new ArrayList<>();
        do {
            out.add(roleSpec(ps));
        } while (ps.acceptPunct(','));
        return out;
    }

    /** OptRoleList / AlterOptRoleList: options until the end of the statement. */
    private static List<RoleOption> options(Parser ps, boolean create) {
        List<RoleOption> out = new ArrayList<>();
        while (true) {
            Token t = ps.peek();
            if (t.kind() == Token.Kind.EOF || t.isPunct(';')) {
                return out;
            }
            out.add(option(ps, create));
        }
    }

    private static RoleOption option(Parser ps, boolean create) {
        Token t = ps.next();
        int loc = t.start();
        if (t.kind() != Token.Kind.IDENT) {
            throw ps.syntaxError(t);
        }
        switch (t.text()) {
            case "password":
                return password(ps, loc);
            case "encrypted":
                ps.expectKeyword("password");
                return password(ps, loc);
            case "unencrypted":
                ps.expectKeyword("password");
                if (ps.peek().kind() != Token.Kind.SCONST) {
                    throw ps.syntaxError(ps.peek());
                }
                ps.next();
                throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "UNENCRYPTED PASSWORD is no longer supported")
                        .withHint("Remove UNENCRYPTED to store the password in encrypted form instead.")
                        .atPosition(Lexer.position(ps.src, loc));
            case "inherit":
                return new RoleOption("inherit", true, loc);
            case "connection": {
                ps.expectKeyword("limit");
                boolean negative = false;
                if (ps.peek().isOp("-")) {
                    ps.next();
                    negative = true;
                } else if (ps.peek().isOp("+")) {
                    ps.next();
                }
                Token n = ps.next();
                if (n.kind() != Token.Kind.ICONST) {
                    throw ps.syntaxError(n);
                }
                int v = Integer.parseInt(n.text());
                return new RoleOption("connectionlimit", negative ? -v : v, loc);
            }
            case "valid": {
                ps.expectKeyword("until");
                Token s = ps.next();
                if (s.kind() != Token.Kind.SCONST) {
                    throw ps.syntaxError(s);
                }
                return new RoleOption("validUntil", s.text(), loc);
            }
            case "user":
                return new RoleOption("rolemembers", roleList(ps), loc);
            default:
                break;
        }
        if (create) {
            switch (t.text()) {
                case "sysid": {
                    Token n = ps.next();
                    if (n.kind() != Token.Kind.ICONST) {
                        throw ps.syntaxError(n);
                    }
                    return new RoleOption("sysid", Integer.parseInt(n.text()), loc);
                }
                case "admin":
                    return new RoleOption("adminmembers", roleList(ps), loc);
                case "role":
                    return new RoleOption("rolemembers", roleList(ps), loc);
                case "in":
                    if (!ps.acceptKeyword("role")) {
                        ps.expectKeyword("group");
                    }
                    return new RoleOption("addroleto", roleList(ps), loc);
                default:
                    break;
            }
        }
        if (Keywords.isReserved(t.text()) || !isPlainWord(t)) {
            throw ps.syntaxError(t);
        }
        return switch (t.text()) {
            case "superuser" -> new RoleOption("superuser", true, loc);
            case "nosuperuser" -> new RoleOption("superuser", false, loc);
            case "createrole" -> new RoleOption("createrole", true, loc);
            case "nocreaterole" -> new RoleOption("createrole", false, loc);
            case "replication" -> new RoleOption("isreplication", true, loc);
            case "noreplication" -> new RoleOption("isreplication", false, loc);
            case "createdb" -> new RoleOption("createdb", true, loc);
            case "nocreatedb" -> new RoleOption("createdb", false, loc);
            case "login" -> new RoleOption("canlogin", true, loc);
            case "nologin" -> new RoleOption("canlogin", false, loc);
            case "bypassrls" -> new RoleOption("bypassrls", true, loc);
            case "nobypassrls" -> new RoleOption("bypassrls", false, loc);
            case "noinherit" -> new RoleOption("inherit", false, loc);
            default -> throw new PgException(SqlState.SYNTAX_ERROR, "unrecognized role option \"" + t.text() + "\"")
                    .atPosition(Lexer.position(ps.src, loc));
        };
    }

    /** Words gram.y's IDENT branch sees: not one of its keywords (the ones osgres's grammar knows). */
    private static boolean isPlainWord(Token t) {
        return !List.of("admin", "role", "in", "sysid", "with", "rename", "set", "reset").contains(t.text());
    }

    private static RoleOption password(Parser ps, int loc) {
        Token v = ps.next();
        if (v.isKeyword("null")) {
            return new RoleOption("password", null, loc);
        }
        if (v.kind() != Token.Kind.SCONST) {
            throw ps.syntaxError(v);
        }
        return new RoleOption("password", v.text(), loc);
    }
}
