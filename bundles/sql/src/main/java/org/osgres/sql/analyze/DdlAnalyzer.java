package org.osgres.sql.analyze;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.osgres.api.catalog.ColumnInfo;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.heap.Relation;
import org.osgres.sql.exec.DdlCommands;
import org.osgres.sql.exec.Plan;
import org.osgres.sql.parser.Ast;
import org.osgres.sql.types.PgType;

/*
 * DdlAnalyzer: checks the table DDL before it runs (PostgreSQL: parser/parse_utilcmd.c
 * transformCreateStmt with transformColumnDefinition and transformTableConstraint, and
 * parse_type.c typenameTypeIdAndMod for the column types).
 *
 * Column types must be ones the heap stores: int2, int4, int8, text, varchar(n), char(n),
 * bool, float8, numeric[(p,s)], timestamp, date. Other known types are 0A000, unknown names
 * 42704 "type \"x\" does not exist". DEFAULT expressions are analyzed now (so a bad one fails
 * the CREATE) and stored as their source text. The statement itself runs in DdlCommands.
 *
 * Entry points: plan().
 * See also: exec.DdlCommands; TableAnalyzer -- INSERT, UPDATE, DELETE.
 */
public final class DdlAnalyzer {
    private static final Set<PgType> TABLE_TYPES = Set.of(PgType.INT2, PgType.INT4, PgType.INT8, PgType.TEXT,
            PgType.VARCHAR, PgType.BPCHAR, PgType.BOOL, PgType.FLOAT8, PgType.NUMERIC, PgType.TIMESTAMP,
            PgType.DATE);

    private DdlAnalyzer() {
    }

    public static Plan plan(Ast.TableStmt stmt, Analyzer an) {
        return switch (stmt) {
            case Ast.CreateTableStmt c -> createTable(c, an);
            case Ast.DropStmt d -> {
                if (d.kind().equals("INDEX")) {
                    throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "DROP INDEX is not supported by osgres yet");
                }
                List<String> names = d.names().stream().map(Ast.RangeVar::name).toList();
                yield DdlCommands.plan(ctx -> DdlCommands.dropTables(ctx, names, d.ifExists(), d.cascade()));
            }
            case Ast.TruncateStmt t -> {
                List<String> names = t.tables().stream().map(Ast.RangeVar::name).toList();
                yield DdlCommands.plan(ctx -> DdlCommands.truncate(ctx, names, t.cascade()));
            }
            case Ast.AlterTableStmt a -> {
                List<DdlCommands.KeySpec> keys = new ArrayList<>();
                List<DdlCommands.ForeignKey> fks = new ArrayList<>();
                for (Ast.TableConstraint c : a.adds()) {
                    constraint(c, keys, fks);
                }
                yield DdlCommands.plan(ctx -> DdlCommands.alterTable(ctx, a.table().name(), a.ifExists(), keys, fks));
            }
            case Ast.CreateIndexStmt c -> DdlCommands.plan(ctx -> DdlCommands.createIndex(ctx, c.name(),
                    c.table().name(), c.unique(), c.ifNotExists(), c.columns()));
            case Ast.CreateDatabaseStmt c -> {
                boolean implicitBlock = multiStatement(an);
                yield DdlCommands.plan(ctx -> DdlCommands.createDatabase(ctx, c.name(), c.owner(), c.template(),
                        implicitBlock));
            }
            case Ast.DropDatabaseStmt d -> {
                boolean implicitBlock = multiStatement(an);
                yield DdlCommands.plan(ctx -> DdlCommands.dropDatabase(ctx, d.name(), d.ifExists(), implicitBlock));
            }
            case Ast.VacuumStmt v -> {
                List<String> names = v.tables().stream().map(Ast.RangeVar::name).toList();
                boolean implicitBlock = multiStatement(an);
                yield DdlCommands.plan(ctx -> DdlCommands.vacuum(ctx, v.vacuum(), names, implicitBlock));
            }
            default -> throw new IllegalStateException("not a DDL statement: " + stmt);
        };
    }

    /** A statement of a query string with several: it runs in an implicit transaction block (TBLOCK_IMPLICIT_INPROGRESS). */
    private static boolean multiStatement(Analyzer an) {
        return org.osgres.sql.parser.Parser.parse(an.src()).size() > 1;
    }

    private static void constraint(Ast.TableConstraint c, List<DdlCommands.KeySpec> keys,
            List<DdlCommands.ForeignKey> fks) {
        if (c.type() == 'f') {
            Ast.References r = c.references();
            fks.add(new DdlCommands.ForeignKey(c.name(), c.columns(), r.table().name(), r.columns(), r.onUpdate(),
                    r.onDelete()));
        } else {
            keys.add(new DdlCommands.KeySpec(c.name(), c.type() == 'p', c.columns()));
        }
    }

    private static PgException multiplePrimaryKeys(Analyzer an, Ast.CreateTableStmt c, int location) {
        String table = c.table().name().substring(c.table().name().lastIndexOf('.') + 1);
        return an.error(SqlState.INVALID_TABLE_DEFINITION, "multiple primary keys for table \"" + table
                + "\" are not allowed", location);
    }

    private static Plan createTable(Ast.CreateTableStmt c, Analyzer an) {
        List<ColumnInfo> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> primaryColumns = new HashSet<>();
        List<DdlCommands.KeySpec> keys = new ArrayList<>();
        List<DdlCommands.ForeignKey> fks = new ArrayList<>();
        int primaryKeys = 0;
        for (Ast.ColumnDef d : c.columns()) {
            if (d.primaryKey()) {
                primaryColumns.add(d.name());
                if (++primaryKeys > 1) {
                    throw multiplePrimaryKeys(an, c, d.primaryKeyLocation());
                }
            }
        }
        for (Ast.TableConstraint tc : c.constraints()) {
            if (tc.type() == 'p') {
                primaryColumns.addAll(tc.columns());
                if (++primaryKeys > 1) {
                    throw multiplePrimaryKeys(an, c, tc.location());
                }
            }
        }
        int attnum = 0;
        for (Ast.ColumnDef d : c.columns()) {
            if (!seen.add(d.name())) {
                throw new PgException(SqlState.DUPLICATE_COLUMN, "column \"" + d.name() + "\" specified more than once");
            }
            Analyzer.TypeAndMod tm = an.typeName(d.type());
            if (!TABLE_TYPES.contains(tm.type())) {
                throw an.error(SqlState.FEATURE_NOT_SUPPORTED, "columns of type " + tm.type().displayName()
                        + " are not supported by osgres yet", d.type().location());
            }
            ColumnInfo col = new ColumnInfo(++attnum, d.name(), tm.type().oid(), tm.typmod(),
                    d.notNull() || primaryColumns.contains(d.name()), d.defaultText());
            if (d.defaultExpr() != null) {
                an.forbidSetReturning("DEFAULT expressions");
                TableAnalyzer.assign(an, an.transform(d.defaultExpr()), col, d.defaultExpr().location());
            }
            columns.add(col);
            if (d.primaryKey()) {
                keys.add(new DdlCommands.KeySpec(null, true, List.of(d.name())));
            } else if (d.unique()) {
                keys.add(new DdlCommands.KeySpec(null, false, List.of(d.name())));
            }
            if (d.references() != null) {
                Ast.References r = d.references();
                fks.add(new DdlCommands.ForeignKey(null, List.of(d.name()), r.table().name(), r.columns(),
                        r.onUpdate(), r.onDelete()));
            }
        }
        for (Ast.TableConstraint tc : c.constraints()) {
            for (String col : tc.columns()) {
                if (!seen.contains(col)) {
                    throw new PgException(SqlState.UNDEFINED_COLUMN, "column \"" + col + "\" named in key does not exist")
                            .atPosition(org.osgres.sql.parser.Lexer.position(an.src(), tc.location()));
                }
            }
            constraint(tc, keys, fks);
        }
        int fillfactor = c.fillfactor() == null ? Relation.DEFAULT_FILLFACTOR : c.fillfactor();
        String name = c.table().name();
        return DdlCommands.plan(ctx -> DdlCommands.createTable(ctx, name, c.ifNotExists(), columns, fillfactor, keys,
                fks));
    }
}
