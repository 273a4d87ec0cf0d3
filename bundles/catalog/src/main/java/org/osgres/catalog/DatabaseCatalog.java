/*
 * DatabaseCatalog: one database's catalog (PostgreSQL: catalog/namespace.c for name lookup,
 * utils/cache/relcache.c with inval.c for the relcache and its invalidation, catalog/storage.c
 * for pending file creations and deletions).
 *
 * Visibility: the committed catalogs are read once per catalog version into a CatalogState
 * shared by every backend; the version moves when a transaction that changed this database's
 * catalogs commits (its Transaction.onEnd callback, before its locks are released:
 * AtEOXact_Inval). A transaction with its own DDL reads its own state (with the catalog
 * snapshot after CommandCounterIncrement) until it ends. Files a transaction created are
 * removed if it aborts; files it dropped (DROP, TRUNCATE) are removed when it commits.
 *
 * Name lookup (RangeVarGetRelidExtended): look the name up, lock the relation, and look again
 * if the catalog version moved meanwhile. Names about to be taken or given up are locked as
 * LockTag.object(db, pg_class, namespace, hash of the name), so two CREATEs of one name queue
 * and the second sees the first's outcome (PostgreSQL gets the same from the unique index on
 * pg_class (relname, relnamespace)).
 *
 * Entry points: the RelationCatalog interface; state(), pending(), lockName() for the commands.
 * See also: TableCommands -- CREATE/DROP TABLE, TRUNCATE; IndexCommands -- indexes and foreign
 * keys; CatalogState.
 */
package org.osgres.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.catalog.ConstraintInfo;
import org.osgres.api.catalog.ForeignKeySpec;
import org.osgres.api.catalog.IndexInfo;
import org.osgres.api.catalog.IndexSpec;
import org.osgres.api.catalog.RelationCatalog;
import org.osgres.api.catalog.TableInfo;
import org.osgres.api.catalog.TableSpec;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.xact.LockMode;
import org.osgres.api.xact.LockTag;
import org.osgres.api.xact.Transaction;
import org.osgres.catalog.CatalogRows.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class DatabaseCatalog implements RelationCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseCatalog.class);

    final CatalogContext ctx;
    final int dbOid;
    private final AtomicLong version = new AtomicLong();
    private volatile CatalogState committed;
    private final Map<Transaction, Pending> pending = new ConcurrentHashMap<>();
    private final TableCommands tableCommands;
    private final IndexCommands indexCommands;

    /** What one transaction changed in this database's catalog (PendingRelDelete and its invalidations). */
    static final class Pending {
        private final Transaction tx;
        CatalogState state;
        final List<RelFileLocator> dropOnCommit = new ArrayList<>();
        final List<RelFileLocator> dropOnAbort = new ArrayList<>();

        Pending(Transaction tx) {
            this.tx = tx;
        }

        /** RelationDropStorage: the files go when the transaction commits, and its commit record says so. */
        void dropOnCommit(RelFileLocator rel) {
            dropOnCommit.add(rel);
            tx.logStorageDrop(rel, true);
        }

        /** RelationCreateStorage's pending delete: the new files go if the transaction aborts. */
        void dropOnAbort(RelFileLocator rel) {
            dropOnAbort.add(rel);
            tx.logStorageDrop(rel, false);
        }
    }

    DatabaseCatalog(CatalogContext ctx, int dbOid) {
        this.ctx = ctx;
        this.dbOid = dbOid;
        this.tableCommands = new TableCommands(this);
        this.indexCommands = new IndexCommands(this);
    }

    @Override
    public int databaseOid() {
        return dbOid;
    }

    @Override
    public boolean storageCreatedIn(Transaction tx, TableInfo table) {
        Pending p = pending.get(tx);
        return p != null && p.dropOnAbort.contains(table.heap().locator());
    }

    /** The catalogs as the transaction sees them now. */
    CatalogState state(Transaction tx) {
        Pending p = pending.get(tx);
        if (p != null) {
            if (p.state == null) {
                p.state = CatalogState.load(ctx.heap(), tx, ctx.catalogSnapshot(tx), dbOid, -1);
            }
            return p.state;
        }
        long v = version.get();
        CatalogState s = committed;
        if (s != null && s.version == v) {
            return s;
        }
        s = CatalogState.load(ctx.heap(), tx, ctx.catalogSnapshot(tx), dbOid, v);
        CatalogState old = committed;
        if (old == null || old.version <= v) {
            committed = s; // a slower load of an older version does not replace a newer one
        }
        return s;
    }

    /**
     * The transaction's pending changes, registering its end-of-transaction work on first use.
     * The caller is about to change the catalogs: its next state() reads them again.
     */
    Pending pending(Transaction tx) {
        Pending p = pending.computeIfAbsent(tx, t -> {
            Pending np = new Pending(t);
            t.onEnd(committedTx -> atEndOfTransaction(t, np, committedTx));
            return np;
        });
        p.state = null;
        return p;
    }

    /** After a change: the next command sees it (CommandCounterIncrement), and so does the next state(). */
    void changed(Transaction tx) {
        tx.commandCounterIncrement();
        pending(tx).state = null;
    }

    private void atEndOfTransaction(Transaction tx, Pending p, boolean isCommit) {
        pending.remove(tx);
        if (isCommit) {
            version.incrementAndGet();
        }
        for (RelFileLocator loc : isCommit ? p.dropOnCommit : p.dropOnAbort) {
            try {
                ctx.buffers().dropRelation(loc);
            } catch (RuntimeException e) {
                LOG.warn("could not remove relation files {}: {}", loc, e.getMessage());
            }
        }
    }

    /** Marks every cached state old (the database's files were replaced). */
    void invalidate() {
        version.incrementAndGet();
    }

    /** Locks a relation name in a namespace against concurrent creation or removal. */
    void lockName(Transaction tx, int namespace, String name) {
        tx.lock(LockTag.object(dbOid, CatalogTables.PG_CLASS.oid(), namespace, name.hashCode()), LockMode.ACCESS_EXCLUSIVE);
    }

    /**
     * The schemas a search path names that exist, pg_catalog first unless listed
     * (recomputeNamespacePath); "$user" entries the caller did not replace are skipped.
     */
    static List<Integer> searchPathOids(CatalogState s, List<String> searchPath) {
        List<Integer> oids = new ArrayList<>();
        List<String> path = searchPath == null ? List.of("public") : searchPath;
        if (!path.contains("pg_catalog")) {
            oids.add(CatalogTables.PG_CATALOG_NAMESPACE);
        }
        for (String n : path) {
            int oid = s.namespace(n);
            if (oid != 0 && !oids.contains(oid)) {
                oids.add(oid);
            }
        }
        return oids;
    }

    /**
     * The namespace a new object goes into (RangeVarGetCreationNamespace): the named schema, or
     * the first existing schema of the search path (pg_catalog only when listed explicitly).
     */
    static int creationNamespace(CatalogState s, String schema, List<String> searchPath) {
        if (schema != null) {
            return schemaOid(s, schema);
        }
        for (String n : searchPath == null ? List.of("public") : searchPath) {
            int oid = s.namespace(n);
            if (oid != 0) {
                return oid;
            }
        }
        throw new PgException(SqlState.UNDEFINED_SCHEMA, "no schema has been selected to create in");
    }

    static int schemaOid(CatalogState s, String schema) {
        int oid = s.namespace(schema);
        if (oid == 0) {
            throw new PgException(SqlState.UNDEFINED_SCHEMA, "schema \"" + schema + "\" does not exist");
        }
        return oid;
    }

    /**
     * RangeVarGetRelid without the lock: the relation's oid, or 0 (also for a schema that does
     * not exist: PostgreSQL then reports the relation as missing, "nosuch.t").
     */
    static int lookup(CatalogState s, String schema, String name, List<String> searchPath) {
        if (schema != null) {
            Row r = s.relation(s.namespace(schema), name);
            return r == null ? 0 : r.i(0);
        }
        for (int ns : searchPathOids(s, searchPath)) {
            Row r = s.relation(ns, name);
            if (r != null) {
                return r.i(0);
            }
        }
        return 0;
    }

    @Override
    public TableInfo openTable(Transaction tx, String schema, String name, List<String> searchPath, LockMode mode,
            boolean missingOk) {
        int lockedOid = 0;
        for (;;) {
            long v = version.get();
            int relOid = lookup(state(tx), schema, name, searchPath);
            if (relOid != lockedOid && lockedOid != 0) {
                tx.unlock(LockTag.relation(dbOid, lockedOid), mode);
                lockedOid = 0;
            }
            if (relOid == 0) {
                if (missingOk) {
                    return null;
                }
                throw new PgException(SqlState.UNDEFINED_TABLE, "relation \"" + (schema == null ? "" : schema + ".")
                        + name + "\" does not exist");
            }
            if (lockedOid == 0) {
                tx.lock(LockTag.relation(dbOid, relOid), mode);
                lockedOid = relOid;
            }
            if (version.get() == v || pending.containsKey(tx)) {
                CatalogState s = state(tx);
                TableInfo t = s.tableInfo(relOid);
                if (t == null && s.classes.containsKey(relOid)) {
                    throw new PgException(SqlState.WRONG_OBJECT_TYPE, "\"" + name + "\" is not a table");
                }
                if (t != null) {
                    return t;
                }
            }
        }
    }

    @Override
    public TableInfo table(Transaction tx, int relOid) {
        return state(tx).tableInfo(relOid);
    }

    @Override
    public List<TableInfo> tables(Transaction tx) {
        return state(tx).tables();
    }

    @Override
    public TableInfo createTable(Transaction tx, TableSpec spec, List<String> searchPath) {
        return tableCommands.createTable(tx, spec, searchPath);
    }

    @Override
    public IndexInfo createIndex(Transaction tx, IndexSpec spec) {
        return indexCommands.createIndex(tx, spec);
    }

    @Override
    public ConstraintInfo addForeignKey(Transaction tx, ForeignKeySpec spec) {
        return indexCommands.addForeignKey(tx, spec);
    }

    @Override
    public List<String> dropTable(Transaction tx, int relOid, boolean cascade) {
        return tableCommands.dropTable(tx, relOid, cascade);
    }

    @Override
    public void truncate(Transaction tx, List<Integer> relOids) {
        tableCommands.truncate(tx, relOids);
    }

    /** The table after locking it: 42P01 when it went away meanwhile. */
    TableInfo lockedTable(Transaction tx, int relOid, LockMode mode) {
        tx.lock(LockTag.relation(dbOid, relOid), mode);
        TableInfo t = state(tx).tableInfo(relOid);
        if (t == null) {
            throw new PgException(SqlState.UNDEFINED_TABLE, "relation with OID " + Integer.toUnsignedString(relOid)
                    + " does not exist");
        }
        return t;
    }
}
