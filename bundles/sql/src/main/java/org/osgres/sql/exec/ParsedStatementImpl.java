package org.osgres.sql.exec;

import org.osgres.api.sql.ParsedStatement;
import org.osgres.sql.parser.Ast;

/**
 * One raw statement (PostgreSQL: RawStmt): its tree, its own text, and the whole query string
 * it came from, whose character positions error messages use.
 */
public record ParsedStatementImpl(Ast.Stmt stmt, String source, int start, int end) implements ParsedStatement {

    @Override
    public String text() {
        return source.substring(start, end);
    }

    @Override
    public String commandName() {
        return switch (stmt) {
            case Ast.SelectStmt s -> "SELECT";
            case Ast.SetStmt s -> s.kind() == Ast.SetKind.RESET || s.kind() == Ast.SetKind.RESET_ALL ? "RESET" : "SET";
            case Ast.ShowStmt s -> "SHOW";
            case Ast.TransactionStmt t -> switch (t.kind()) {
                case BEGIN -> "BEGIN";
                case START -> "START TRANSACTION";
                case COMMIT -> "COMMIT";
                case ROLLBACK -> "ROLLBACK";
            };
            case Ast.UnsupportedStmt u -> u.tag();
            case Ast.CopyStmt c -> "COPY";
            case Ast.CreateRoleStmt r -> "CREATE ROLE";
            case Ast.AlterRoleStmt r -> "ALTER ROLE";
            case Ast.RenameRoleStmt r -> "ALTER ROLE";
            case Ast.DropRoleStmt r -> "DROP ROLE";
            case Ast.GrantRoleStmt r -> r.grant() ? "GRANT ROLE" : "REVOKE ROLE";
            case Ast.CreateTableStmt c -> "CREATE TABLE";
            case Ast.DropStmt d -> "DROP " + d.kind();
            case Ast.TruncateStmt t -> "TRUNCATE TABLE";
            case Ast.AlterTableStmt a -> "ALTER TABLE";
            case Ast.CreateIndexStmt c -> "CREATE INDEX";
            case Ast.CreateDatabaseStmt c -> "CREATE DATABASE";
            case Ast.DropDatabaseStmt d -> "DROP DATABASE";
            case Ast.VacuumStmt v -> v.vacuum() ? "VACUUM" : "ANALYZE";
            case Ast.InsertStmt i -> "INSERT";
            case Ast.UpdateStmt u -> "UPDATE";
            case Ast.DeleteStmt d -> "DELETE";
        };
    }

    @Override
    public boolean isTransactionExit() {
        return stmt instanceof Ast.TransactionStmt t
                && (t.kind() == Ast.TxKind.COMMIT || t.kind() == Ast.TxKind.ROLLBACK);
    }
}
