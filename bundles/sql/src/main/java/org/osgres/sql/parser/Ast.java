package org.osgres.sql.parser;

import java.util.List;

/*
 * Ast: the raw parse tree (PostgreSQL: nodes/parsenodes.h and primnodes.h as gram.y builds
 * them, before parse analysis). Every node keeps its location, a UTF-16 offset into the whole
 * query string, so later errors can point at it as PostgreSQL does.
 *
 * See also: Parser -- builds these; org.osgres.sql.analyze.Analyzer -- types them.
 */
public final class Ast {
    private Ast() {
    }

    /** An expression (PostgreSQL: the a_expr productions). */
    public sealed interface Expr permits Const, ColumnRef, ParamRef, OpExpr, BoolExpr, NullTest, BoolTest,
            TypeCast, FuncCall, SqlValue, CaseExpr, CoalesceExpr, NullIfExpr, MinMaxExpr, InExpr, BetweenExpr,
            LikeExpr, DistinctExpr, SubLink, SetToDefault {
        int location();
    }

    public enum ConstKind { INTEGER, NUMERIC, STRING, BOOLEAN, NULL }

    /** A literal (A_Const); value is the text as written, de-escaped for strings. */
    public record Const(ConstKind kind, String value, int location) implements Expr {
    }

    public record ColumnRef(List<String> names, int location) implements Expr {
    }

    public record ParamRef(int number, int location) implements Expr {
    }

    /** A_Expr with an operator; left is null for a prefix operator. */
    public record OpExpr(String op, Expr left, Expr right, int location) implements Expr {
    }

    public enum BoolOp { AND, OR, NOT }

    public record BoolExpr(BoolOp op, List<Expr> args, int location) implements Expr {
    }

    public record NullTest(Expr arg, boolean isNot, int location) implements Expr {
    }

    /** IS [NOT] TRUE / FALSE / UNKNOWN; which is "true", "false" or "unknown". */
    public record BoolTest(Expr arg, String which, boolean isNot, int location) implements Expr {
    }

    public record TypeName(String name, List<Integer> typmods, int location) {
    }

    public record TypeCast(Expr arg, TypeName type, int location) implements Expr {
    }

    /**
     * A function call; colname is what FigureColname reports (the function's name). star is
     * count(*); distinct is agg(DISTINCT x).
     */
    public record FuncCall(String name, List<Expr> args, int location, String colname, boolean star,
            boolean distinct) implements Expr {
        public FuncCall(String name, List<Expr> args, int location, String colname) {
            this(name, args, location, colname, false, false);
        }
    }

    public enum SubLinkKind { EXISTS, EXPR, ANY }

    /**
     * A subquery in an expression: EXISTS (SELECT ...), a scalar (SELECT ...), or testExpr IN
     * (SELECT ...) as ANY with the = operator (testExpr is null for the other kinds).
     */
    public record SubLink(SubLinkKind kind, Expr testExpr, SelectStmt select, int location) implements Expr {
    }

    /** CURRENT_USER, CURRENT_TIMESTAMP and the like (SQLValueFunction). */
    public record SqlValue(String name, int location) implements Expr {
    }

    public record When(Expr condition, Expr result) {
    }

    public record CaseExpr(Expr arg, List<When> whens, Expr otherwise, int location) implements Expr {
    }

    public record CoalesceExpr(List<Expr> args, int location) implements Expr {
    }

    public record NullIfExpr(Expr left, Expr right, int location) implements Expr {
    }

    public record MinMaxExpr(boolean greatest, List<Expr> args, int location) implements Expr {
    }

    public record InExpr(Expr arg, List<Expr> list, boolean not, int location) implements Expr {
    }

    public record BetweenExpr(Expr arg, Expr low, Expr high, boolean not, int location) implements Expr {
    }

    public record LikeExpr(Expr arg, Expr pattern, Expr escape, boolean not, boolean ilike, int location)
            implements Expr {
    }

    public record DistinctExpr(Expr left, Expr right, boolean not, int location) implements Expr {
    }

    /** DEFAULT in an INSERT's VALUES or an UPDATE's SET (SetToDefault). */
    public record SetToDefault(int location) implements Expr {
    }

    /** A statement (the stmt productions). */
    public sealed interface Stmt permits SelectStmt, SetStmt, ShowStmt, TransactionStmt, UnsupportedStmt,
            RoleStmt, TableStmt, CopyStmt {
    }

    /** The table statements: DDL (DdlParser) and INSERT / UPDATE / DELETE (DmlParser). */
    public sealed interface TableStmt extends Stmt permits CreateTableStmt, DropStmt, TruncateStmt, AlterTableStmt,
            CreateIndexStmt, CreateDatabaseStmt, DropDatabaseStmt, VacuumStmt, InsertStmt, UpdateStmt, DeleteStmt {
    }

    /** REFERENCES table [(columns)] [ON DELETE action] [ON UPDATE action]; actions as pg_constraint's letters. */
    public record References(RangeVar table, List<String> columns, char onUpdate, char onDelete) {
    }

    /**
     * A column definition (ColumnDef with its column constraints folded in). defaultText is the
     * DEFAULT expression's source text (stored in the catalog and parsed again when used).
     */
    public record ColumnDef(String name, TypeName type, boolean notNull, String defaultText, Expr defaultExpr,
            boolean primaryKey, boolean unique, References references, int location, int primaryKeyLocation) {
    }

    /** A table constraint: type 'p' PRIMARY KEY, 'u' UNIQUE, 'f' FOREIGN KEY; name may be null. */
    public record TableConstraint(String name, char type, List<String> columns, References references,
            int location) {
    }

    /** CREATE TABLE; fillfactor is null when WITH did not give one. */
    public record CreateTableStmt(RangeVar table, boolean ifNotExists, List<ColumnDef> columns,
            List<TableConstraint> constraints, Integer fillfactor) implements TableStmt {
    }

    /** DROP TABLE / DROP INDEX (DropStmt); kind is "TABLE" or "INDEX". */
    public record DropStmt(String kind, List<RangeVar> names, boolean ifExists, boolean cascade) implements TableStmt {
    }

    public record TruncateStmt(List<RangeVar> tables, boolean cascade) implements TableStmt {
    }

    /** ALTER TABLE [IF EXISTS] t ADD constraint [, ...]. */
    public record AlterTableStmt(RangeVar table, boolean ifExists, List<TableConstraint> adds) implements TableStmt {
    }

    /** CREATE [UNIQUE] INDEX [IF NOT EXISTS] [name] ON table [USING btree] (columns). */
    public record CreateIndexStmt(String name, RangeVar table, boolean unique, boolean ifNotExists,
            List<String> columns, List<Integer> columnLocations) implements TableStmt {
    }

    public record CreateDatabaseStmt(String name, String owner, String template) implements TableStmt {
    }

    public record DropDatabaseStmt(String name, boolean ifExists) implements TableStmt {
    }

    /** VACUUM [ANALYZE] [VERBOSE] [tables] or ANALYZE [VERBOSE] [tables] (vacuum false). */
    public record VacuumStmt(boolean vacuum, boolean analyze, boolean verbose, List<RangeVar> tables)
            implements TableStmt {
    }

    /**
     * INSERT INTO table [(columns)] VALUES ... | SELECT ... | DEFAULT VALUES [RETURNING ...]. For
     * VALUES, select has the rows in values(); DEFAULT VALUES has select null.
     */
    public record InsertStmt(RangeVar table, List<String> columns, List<Integer> columnLocations, SelectStmt select,
            List<ResTarget> returning) implements TableStmt {
    }

    /** One SET column = expr of an UPDATE. */
    public record SetClause(String column, Expr value, int location) {
    }

    public record UpdateStmt(RangeVar table, List<SetClause> sets, List<FromItem> from, Expr where,
            List<ResTarget> returning) implements TableStmt {
    }

    public record DeleteStmt(RangeVar table, Expr where, List<ResTarget> returning) implements TableStmt {
    }

    /**
     * COPY (CopyStmt): a table with optional columns, or a query (TO only).
     *
     * @param file    the file name, or null for STDIN / STDOUT
     * @param options generic option name to value: a String, Boolean.TRUE for a bare name, "*",
     *                or a List of column names
     */
    public record CopyStmt(String schema, String table, List<String> columns, SelectStmt query, boolean from,
            String file, boolean program, java.util.Map<String, Object> options, int location) implements Stmt {
    }

    /** The role statements (CreateRoleStmt, AlterRoleStmt, RenameStmt, DropRoleStmt, GrantRoleStmt). */
    public sealed interface RoleStmt extends Stmt permits CreateRoleStmt, AlterRoleStmt, RenameRoleStmt,
            DropRoleStmt, GrantRoleStmt {
    }

    public enum RoleStmtKind { ROLE, USER, GROUP }

    /**
     * A RoleSpec: a role name, or one of the special specifiers (kind "public", "current_user",
     * "current_role", "session_user"; name is null for those).
     */
    public record RoleSpec(String kind, String name, int location) {
        public boolean isName() {
            return name != null;
        }
    }

    /**
     * One role option (a DefElem): name is PostgreSQL's defname ("superuser", "canlogin",
     * "password", "connectionlimit", "validUntil", "addroleto", "rolemembers", "adminmembers",
     * ...); value is a Boolean, Integer, String, List of RoleSpec, or null (PASSWORD NULL).
     */
    public record RoleOption(String name, Object value, int location) {
    }

    public record CreateRoleStmt(RoleStmtKind kind, String name, List<RoleOption> options) implements RoleStmt {
    }

    /** ALTER ROLE/USER name [WITH] options; ALTER GROUP g ADD|DROP USER u (action +1 / -1 on rolemembers). */
    public record AlterRoleStmt(RoleSpec role, List<RoleOption> options, int action) implements RoleStmt {
    }

    public record RenameRoleStmt(String oldName, String newName) implements RoleStmt {
    }

    public record DropRoleStmt(List<RoleSpec> roles, boolean missingOk) implements RoleStmt {
    }

    /** GRANT/REVOKE role, ...: roles are the granted roles (with locations), grantees the members. */
    public record GrantRoleStmt(boolean grant, List<RoleSpec> roles, List<RoleSpec> grantees, boolean adminOption,
            RoleSpec grantedBy) implements RoleStmt {
    }

    public record ResTarget(Expr expr, String alias, int location) {
    }

    /** A FROM-clause item: a relation, a function, a subquery or a join of two items. */
    public sealed interface FromItem permits RangeVar, JoinExpr, FunctionRange, RangeSubselect {
    }

    /**
     * A subquery in FROM (RangeSubselect): (SELECT ...) [AS] alias [(column aliases)]. The
     * alias is required (PostgreSQL 15's grammar); location is the opening parenthesis.
     */
    public record RangeSubselect(SelectStmt query, String alias, List<String> columnAliases, int location)
            implements FromItem {
    }

    /** One WITH list element (CommonTableExpr): name [(column aliases)] AS (query); location is the name. */
    public record CommonTableExpr(String name, List<String> columnAliases, SelectStmt query, int location) {
    }

    /** A function in FROM (RangeFunction): generate_series(1, 10) [AS] alias [(column aliases)]. */
    public record FunctionRange(FuncCall call, String alias, List<String> columnAliases, int location)
            implements FromItem {
    }

    /** A relation in FROM; name may be schema-qualified ("pg_catalog.pg_settings"); alias may be null. */
    public record RangeVar(String name, String alias, int location) implements FromItem {
    }

    public enum JoinKind { INNER, LEFT, CROSS }

    /** left JOIN right ON quals; quals is null for CROSS JOIN. */
    public record JoinExpr(JoinKind kind, FromItem left, FromItem right, Expr quals, int location)
            implements FromItem {
    }

    /** ORDER BY item; nullsFirst null means the default (NULLS LAST for ASC, FIRST for DESC). */
    public record SortBy(Expr expr, boolean desc, Boolean nullsFirst, int location) {
    }

    /**
     * SELECT or VALUES. For VALUES, values holds the rows and targets is empty. starLocation is
     * the offset of the first * in the target list, or -1; a * target is a ColumnRef whose last
     * name is "*". with is the WITH list before it (non-recursive common table expressions), empty
     * when there is none.
     */
    public record SelectStmt(boolean distinct, List<ResTarget> targets, List<FromItem> from, Expr where,
            List<Expr> groupBy, Expr having, List<SortBy> orderBy, Expr limit, Expr offset,
            List<List<Expr>> values, int starLocation, Locking locking, List<CommonTableExpr> with)
            implements Stmt {
        public SelectStmt(boolean distinct, List<ResTarget> targets, List<FromItem> from, Expr where,
                List<Expr> groupBy, Expr having, List<SortBy> orderBy, Expr limit, Expr offset,
                List<List<Expr>> values, int starLocation, Locking locking) {
            this(distinct, targets, from, where, groupBy, having, orderBy, limit, offset, values, starLocation,
                    locking, List.of());
        }

        public SelectStmt(boolean distinct, List<ResTarget> targets, List<FromItem> from, Expr where,
                List<Expr> groupBy, Expr having, List<SortBy> orderBy, Expr limit, Expr offset,
                List<List<Expr>> values, int starLocation) {
            this(distinct, targets, from, where, groupBy, having, orderBy, limit, offset, values, starLocation, null);
        }

        /** The same statement with a WITH list in front of it. */
        public SelectStmt withCtes(List<CommonTableExpr> ctes) {
            return new SelectStmt(distinct, targets, from, where, groupBy, having, orderBy, limit, offset, values,
                    starLocation, locking, ctes);
        }
    }

    /** FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE [NOWAIT | SKIP LOCKED] (LockingClause); waitPolicy is "block", "nowait", "skip". */
    public record Locking(String strength, String waitPolicy, int location) {
    }

    public enum SetKind { VALUE, DEFAULT, RESET, RESET_ALL }

    /** SET / RESET (VariableSetStmt); values are the flattened argument strings. */
    public record SetStmt(SetKind kind, String name, List<String> values, boolean local) implements Stmt {
    }

    /** SHOW name, or SHOW ALL when name is "all". */
    public record ShowStmt(String name) implements Stmt {
    }

    public enum TxKind { BEGIN, START, COMMIT, ROLLBACK }

    /** isolation: the ISOLATION LEVEL given to BEGIN / START TRANSACTION, as transaction_isolation spells it, or null. */
    public record TransactionStmt(TxKind kind, String isolation) implements Stmt {
    }

    /** A statement osgres recognises but cannot run yet; tag is its command tag. */
    public record UnsupportedStmt(String tag, int location) implements Stmt {
    }
}
