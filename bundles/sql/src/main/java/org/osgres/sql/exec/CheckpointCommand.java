package org.osgres.sql.exec;

import java.util.List;

import org.osgres.api.auth.Role;
import org.osgres.api.auth.RoleCatalog;
import org.osgres.api.checkpoint.CheckpointRequest;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.sql.parser.Ast;
import org.osgres.sql.parser.Lexer;
import org.osgres.sql.parser.Token;

/*
 * CheckpointCommand: the CHECKPOINT statement (PostgreSQL: tcop/utility.c T_CheckPointStmt).
 *
 * Only superusers and members of pg_checkpoint may run it (42501, PostgreSQL 15's text); it
 * asks the checkpointer for an IMMEDIATE | FORCE | WAIT checkpoint and returns when that is
 * complete. The parser hands it over as an unsupported statement with the tag CHECKPOINT; any
 * word after CHECKPOINT is a syntax error, as in gram.y.
 *
 * Entry points: plan().
 * See also: org.osgres.api.checkpoint.CheckpointRequest -- the checkpointer's side.
 */
public final class CheckpointCommand implements Plan {
    /** The predefined role that may checkpoint without being superuser (PostgreSQL 15). */
    static final String PG_CHECKPOINT = "pg_checkpoint";

    private CheckpointCommand() {
    }

    public static Plan plan(Ast.UnsupportedStmt stmt, ParsedStatementImpl ps) {
        String src = ps.source();
        int from = stmt.location() + "checkpoint".length();
        List<Token> rest = Lexer.tokenize(src.substring(from, ps.end()));
        for (Token t : rest) {
            if (t.kind() != Token.Kind.EOF && !t.isPunct(';')) {
                throw new PgException(SqlState.SYNTAX_ERROR, "syntax error at or near \"" + t.raw() + "\"")
                        .atPosition(Lexer.position(src, from + t.start()));
            }
        }
        return new CheckpointCommand();
    }

    @Override
    public List<Column> columns() {
        return List.of();
    }

    @Override
    public Output run(EvalContext ctx) {
        RoleCatalog roles = ctx.services().rolesOrNull();
        if (roles != null) {
            String user = ctx.session().user();
            boolean superuser = roles.find(user).map(Role::superuser).orElse(false);
            if (!superuser && !roles.isMemberOf(user, PG_CHECKPOINT)) {
                throw new PgException(SqlState.INSUFFICIENT_PRIVILEGE,
                        "must be superuser or have privileges of pg_checkpoint to do CHECKPOINT");
            }
        }
        CheckpointRequest checkpointer = ctx.services().checkpointerOrNull();
        if (checkpointer == null) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "no checkpointer service is installed");
        }
        checkpointer.requestCheckpoint(CheckpointRequest.CHECKPOINT_IMMEDIATE | CheckpointRequest.CHECKPOINT_FORCE
                | CheckpointRequest.CHECKPOINT_WAIT);
        return new Output(List.of(), "CHECKPOINT", false);
    }
}
