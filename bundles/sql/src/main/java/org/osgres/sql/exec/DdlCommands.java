package org.osgres.sql.exec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.osgres.api.catalog.ColumnInfo;
import org.osgres.api.catalog.ForeignKeySpec;
import org.osgres.api.catalog.IndexInfo;
import org.osgres.api.catalog.IndexSpec;
import org.osgres.api.catalog.RelationCatalog;
import org.osgres.api.catalog.SystemCatalog;
import org.osgres.api.catalog.TableInfo;
import org.osgres.api.catalog.TableSpec;
import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.error.SqlState;
import org.osgres.api.heap.Relation;
import org.osgres.api.index.IndexAccess;
import org.osgres.api.sql.SessionContext;
import org.osgres.api.sql.TransactionStatus;
import org.osgres.api.xact.LockMode;
import org.osgres.api.xact.Transaction;

/*
 * DdlCommands: the table DDL at execution time (PostgreSQL: commands/tablecmds.c
 * DefineRelation, RemoveRelations, ExecuteTruncate, ATExecAddIndexConstraint /
 * ATAddForeignKeyConstraint; commands/indexcmds.c DefineIndex; commands/dbcommands.c createdb
 * and dropdb; commands/vacuum.c ExecVacuum), each step through the catalog service with a
 * CommandCounterIncrement between steps so the next one sees the last.
 *
 * Entry points: plan(), createTable(), dropTables(), truncate(), addConstraints(),
 * createIndex(), createDatabase(), dropDatabase(), vacuum().
 * See also: analyze.DdlAnalyzer -- checks names and types first; Tables -- catalog access.
 */
public final class DdlCommands {
    private DdlCommands() {
    }

    /** A utility statement whose body runs at execution. */
    public static Plan plan(Function<EvalContext, String> body) {
        return new Plan() {
            @Override
            public List<Column> columns() {
                return List.of();
            }

            @Override
            public Output run(EvalContext ctx) {
                return new Output(List.of(), body.apply(ctx), false);
            }
        };
    }

    /** A unique or primary key to add: column names, resolved against the table when it runs. */
    public record KeySpec(String name, boolean primary, List<String> columns) {
    }

    /** A foreign key to add: local columns, referenced table and columns (empty: its primary key). */
    public record ForeignKey(String name, List<String> columns, String refTable, List<String> refColumns,
            char onUpdate, char onDelete) {
    }

    static void notice(SessionContext session, String message) {
        session.notice(new PgException(SqlState.SUCCESSFUL_COMPLETION, message).withSeverity(Severity.NOTICE));
    }

    private static RelationCatalog catalog(EvalContext ctx) {
        RelationCatalog c = Tables.catalog(ctx.services(), ctx.session());
        if (c == null) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "no system catalog service is installed");
        }
        return c;
    }

    private static String[] split(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? new String[] {null, name} : new String[] {name.substring(0, dot), name.substring(dot + 1)};
    }

    private static TableInfo openTable(EvalContext ctx, String name, LockMode mode, boolean missingOk) {
        String[] sn = split(name);
        return catalog(ctx).openTable(Tables.transaction(ctx.session()), sn[0], sn[1],
                Tables.searchPath(ctx.session()), mode, missingOk);
    }

    // ---- CREATE TABLE

    public static String createTable(EvalContext ctx, String name, boolean ifNotExists, List<ColumnInfo> columns,
            int fillfactor, List<KeySpec> keys, List<ForeignKey> foreignKeys) {
        Transaction tx = Tables.transaction(ctx.session());
        RelationCatalog catalog = catalog(ctx);
        String[] sn = split(name);
        List<String> searchPath = Tables.searchPath(ctx.session());
        if (ifNotExists && catalog.openTable(tx, sn[0], sn[1], searchPath, LockMode.ACCESS_SHARE, true) != null) {
            notice(ctx.session(), "relation \"" + sn[1] + "\" already exists, skipping");
            return "CREATE TABLE";
        }
        TableInfo t = catalog.createTable(tx, new TableSpec(sn[0], sn[1], columns, fillfactor), searchPath);
        tx.commandCounterIncrement();
        addKeys(ctx, t, keys, foreignKeys, false);
        return "CREATE TABLE";
    }

    private static void addKeys(EvalContext ctx, TableInfo t, List<KeySpec> keys, List<ForeignKey> foreignKeys,
            boolean alter) {
        Transaction tx = Tables.transaction(ctx.session());
        RelationCatalog catalog = catalog(ctx);
        for (KeySpec k : keys) {
            catalog.createIndex(tx, new IndexSpec(t.oid(), k.name(), attnums(t, k.columns(), alter), true, k.primary(), true,
                    false));
            tx.commandCounterIncrement();
        }
        for (ForeignKey fk : foreignKeys) {
            TableInfo ref = openTable(ctx, fk.refTable(), LockMode.SHARE_ROW_EXCLUSIVE, false);
            TableInfo self = catalog.table(tx, t.oid());
            catalog.addForeignKey(tx, new ForeignKeySpec(t.oid(), fk.name(), attnums(self, fk.columns(), alter), ref.oid(),
                    fk.refColumns().isEmpty() ? List.of() : attnums(ref, fk.refColumns(), false), fk.onUpdate(),
                    fk.onDelete()));
            tx.commandCounterIncrement();
        }
    }

    /** Column names to attnums; 42703 as CREATE TABLE ("named in key") or ALTER TABLE says it. */
    private static List<Integer> attnums(TableInfo t, List<String> names, boolean alter) {
        List<Integer> out = new ArrayList<>();
        for (String n : names) {
            ColumnInfo c = t.column(n).orElseThrow(() -> new PgException(SqlState.UNDEFINED_COLUMN, alter
                    ? "column \"" + n + "\" of relation \"" + t.name() + "\" does not exist"
                    : "column \"" + n + "\" named in key does not exist"));
            out.add(c.attnum());
        }
        return out;
    }

    // ---- DROP TABLE, TRUNCATE, ALTER TABLE, CREATE INDEX

    /**
     * RemoveRelations: the named tables are dropped as one set, so foreign keys among them never
     * stop the DROP; without CASCADE a foreign key of a table outside the set is 2BP01.
     */
    public static String dropTables(EvalContext ctx, List<String> names, boolean ifExists, boolean cascade) {
        Transaction tx = Tables.transaction(ctx.session());
        RelationCatalog catalog = catalog(ctx);
        Map<Integer, TableInfo> tables = new LinkedHashMap<>();
        for (String name : names) {
            TableInfo t = openTable(ctx, name, LockMode.ACCESS_EXCLUSIVE, true);
            if (t == null) {
                if (!ifExists) {
                    throw new PgException(SqlState.UNDEFINED_TABLE, "table \"" + name + "\" does not exist");
                }
                notice(ctx.session(), "table \"" + name + "\" does not exist, skipping");
                continue;
            }
            if (t.systemCatalog()) {
                throw new PgException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied: \"" + t.name()
                        + "\" is a system catalog");
            }
            tables.put(t.oid(), t);
        }
        if (!cascade) {
            List<String> outside = new ArrayList<>();
            TableInfo first = null;
            for (TableInfo t : tables.values()) {
                for (TableInfo.ReferencingKey rk : t.referencedBy()) {
                    if (!tables.containsKey(rk.tableOid())) {
                        TableInfo referencing = catalog.table(tx, rk.tableOid());
                        outside.add("constraint " + rk.constraint().name() + " on table "
                                + (referencing == null ? rk.tableOid() : referencing.name()) + " depends on table "
                                + t.name());
                        first = first == null ? t : first;
                    }
                }
            }
            if (!outside.isEmpty()) {
                // reportDependentObjects: one object named, several as "desired object(s)"
                throw new PgException(SqlState.DEPENDENT_OBJECTS_STILL_EXIST, tables.size() == 1
                        ? "cannot drop table " + first.name() + " because other objects depend on it"
                        : "cannot drop desired object(s) because other objects depend on them")
                        .withDetail(String.join("\n", outside))
                        .withHint("Use DROP ... CASCADE to drop the dependent objects too.");
            }
        }
        List<String> dropped = tables.values().stream().map(TableInfo::name).toList();
        for (TableInfo t : tables.values()) {
            for (String n : catalog.dropTable(tx, t.oid(), true)) {
                if (!alsoDropped(n, dropped)) {
                    notice(ctx.session(), n);
                }
            }
            tx.commandCounterIncrement();
        }
        return "DROP TABLE";
    }

    /** A cascade notice about a table the same DROP names is no notice in PostgreSQL (one dependency walk). */
    private static boolean alsoDropped(String notice, List<String> names) {
        for (String name : names) {
            String bare = split(name)[1];
            if (notice.endsWith(" on table " + bare) || notice.endsWith(" on table " + name)) {
                return true;
            }
        }
        return false;
    }

    public static String truncate(EvalContext ctx, List<String> names, boolean cascade) {
        Transaction tx = Tables.transaction(ctx.session());
        Map<Integer, TableInfo> tables = new LinkedHashMap<>();
        for (String name : names) {
            TableInfo t = openTable(ctx, name, LockMode.ACCESS_EXCLUSIVE, false);
            if (t.systemCatalog()) {
                throw new PgException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied: \"" + t.name()
                        + "\" is a system catalog");
            }
            tables.put(t.oid(), t);
        }
        // heap_truncate_find_FKs / heap_truncate_check_FKs
        boolean added = true;
        while (added) {
            added = false;
            for (TableInfo t : new ArrayList<>(tables.values())) {
                for (TableInfo.ReferencingKey rk : t.referencedBy()) {
                    if (tables.containsKey(rk.tableOid())) {
                        continue;
                    }
                    TableInfo referencing = catalog(ctx).table(tx, rk.tableOid());
                    if (!cascade) {
                        throw new PgException(SqlState.FEATURE_NOT_SUPPORTED,
                                "cannot truncate a table referenced in a foreign key constraint")
                                .withDetail("Table \"" + referencing.name() + "\" references \"" + t.name() + "\".")
                                .withHint("Truncate table \"" + referencing.name()
                                        + "\" at the same time, or use TRUNCATE ... CASCADE.");
                    }
                    Tables.open(ctx, rk.tableOid(), referencing.name(), LockMode.ACCESS_EXCLUSIVE);
                    notice(ctx.session(), "truncate cascades to table \"" + referencing.name() + "\"");
                    tables.put(referencing.oid(), referencing);
                    added = true;
                }
            }
        }
        catalog(ctx).truncate(tx, new ArrayList<>(tables.keySet()));
        tx.commandCounterIncrement();
        return "TRUNCATE TABLE";
    }

    public static String alterTable(EvalContext ctx, String name, boolean ifExists, List<KeySpec> keys,
            List<ForeignKey> foreignKeys) {
        TableInfo t = openTable(ctx, name, LockMode.ACCESS_EXCLUSIVE, ifExists);
        if (t == null) {
            notice(ctx.session(), "relation \"" + name + "\" does not exist, skipping");
            return "ALTER TABLE";
        }
        if (t.systemCatalog()) {
            throw new PgException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied: \"" + t.name()
                    + "\" is a system catalog");
        }
        addKeys(ctx, t, keys, foreignKeys, true);
        return "ALTER TABLE";
    }

    public static String createIndex(EvalContext ctx, String indexName, String table, boolean unique,
            boolean ifNotExists, List<String> columns) {
        Transaction tx = Tables.transaction(ctx.session());
        TableInfo t = openTable(ctx, table, LockMode.SHARE, false);
        if (t.systemCatalog()) {
            throw new PgException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied: \"" + t.name()
                    + "\" is a system catalog");
        }
        List<Integer> attnums = new ArrayList<>();
        for (String c : columns) {
            attnums.add(t.column(c).orElseThrow(() -> new PgException(SqlState.UNDEFINED_COLUMN,
                    "column \"" + c + "\" does not exist")).attnum());
        }
        IndexInfo ix = catalog(ctx).createIndex(tx, new IndexSpec(t.oid(), indexName, attnums, unique, false, false,
                ifNotExists));
        if (ix == null) {
            notice(ctx.session(), "relation \"" + indexName + "\" already exists, skipping");
        }
        tx.commandCounterIncrement();
        return "CREATE INDEX";
    }

    // ---- databases

    private static SystemCatalog systemCatalog(EvalContext ctx) {
        SystemCatalog c = ctx.services().catalogOrNull();
        if (c == null) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "no system catalog service is installed");
        }
        return c;
    }

    /** PreventInTransactionBlock: 25001 in a transaction block, an implicit one (a multi-statement query string) too. */
    static void preventInTransactionBlock(SessionContext session, String what, boolean implicitBlock) {
        if (implicitBlock || session.transactionStatus() != TransactionStatus.IDLE) {
            throw new PgException(SqlState.ACTIVE_SQL_TRANSACTION, what + " cannot run inside a transaction block");
        }
    }

    public static String createDatabase(EvalContext ctx, String name, String owner, String template,
            boolean implicitBlock) {
        preventInTransactionBlock(ctx.session(), "CREATE DATABASE", implicitBlock);
        int ownerOid = 10;
        String ownerName = owner != null ? owner : ctx.session().user();
        var roles = ctx.services().rolesOrNull();
        if (roles != null) {
            var role = roles.find(ownerName);
            if (role.isEmpty()) {
                throw new PgException(SqlState.UNDEFINED_OBJECT, "role \"" + ownerName + "\" does not exist");
            }
            ownerOid = role.get().oid();
        }
        systemCatalog(ctx).createDatabase(Tables.transaction(ctx.session()), name, ownerOid, template);
        return "CREATE DATABASE";
    }

    public static String dropDatabase(EvalContext ctx, String name, boolean ifExists, boolean implicitBlock) {
        preventInTransactionBlock(ctx.session(), "DROP DATABASE", implicitBlock);
        if (!systemCatalog(ctx).dropDatabase(Tables.transaction(ctx.session()), name, ifExists,
                ctx.session().databaseOid())) {
            notice(ctx.session(), "database \"" + name + "\" does not exist, skipping");
        }
        return "DROP DATABASE";
    }

    // ---- VACUUM, ANALYZE

    /**
     * VACUUM [ANALYZE] of the named tables, or of every table: the heap's lazy vacuum. ANALYZE
     * is accepted and does nothing: osgres keeps no planner statistics.
     */
    public static String vacuum(EvalContext ctx, boolean vacuum, List<String> names, boolean implicitBlock) {
        if (!vacuum) {
            for (String n : names) {
                openTable(ctx, n, LockMode.SHARE_UPDATE_EXCLUSIVE, false);
            }
            return "ANALYZE";
        }
        preventInTransactionBlock(ctx.session(), "VACUUM", implicitBlock);
        Transaction tx = Tables.transaction(ctx.session());
        List<TableInfo> tables = new ArrayList<>();
        if (names.isEmpty()) {
            tables.addAll(catalog(ctx).tables(tx));
        } else {
            for (String n : names) {
                tables.add(openTable(ctx, n, LockMode.SHARE_UPDATE_EXCLUSIVE, false));
            }
        }
        for (TableInfo t : tables) {
            ctx.session().interrupts().check();
            Relation rel = t.heap();
            if (t.indexes().isEmpty()) {
                ctx.services().heap().vacuum(rel, tx);
                continue;
            }
            // lazy_vacuum_all_indexes: each index drops its entries for the dead tuples first
            IndexAccess am = ctx.services().indexes();
            ctx.services().heap().vacuum(rel, tx, isDead -> {
                for (IndexInfo ix : t.indexes()) {
                    am.bulkDelete(ix.index(), isDead);
                }
            });
        }
        return "VACUUM";
    }
}
