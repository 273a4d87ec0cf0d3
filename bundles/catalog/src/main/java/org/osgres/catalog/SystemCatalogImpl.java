/*
 * SystemCatalogImpl: the system catalogs (PostgreSQL: catalog/ with commands/dbcommands.c
 * createdb and dropdb, utils/init/postinit.c's pg_database lookup).
 *
 * At activation it bootstraps the catalogs when the data directory has none yet (Bootstrap),
 * else continues the oid counter. pg_database is the shared catalog global/1262, read with a
 * fresh snapshot and cached per version like a database's catalog (DatabaseCatalog).
 *
 * CREATE DATABASE flushes the buffer pool's dirty pages and copies the template's directory
 * under a new oid (FILE_COPY: the copy fsynced, then a checkpoint, as PostgreSQL's), the copy
 * removed if the transaction aborts; DROP DATABASE deletes
 * the row and removes the directory (buffers dropped without writing) when the transaction
 * commits. Both refuse while other sessions are connected to the database concerned (counted
 * through BackendRegistry), without PostgreSQL's five seconds of waiting for them to leave.
 *
 * Entry points: the SystemCatalog interface.
 * See also: DatabaseCatalog -- one database's catalog; Bootstrap; OidGenerator.
 */
package org.osgres.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgres.api.buffer.BufferManager;
import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.catalog.DatabaseInfo;
import org.osgres.api.catalog.RelationCatalog;
import org.osgres.api.catalog.SystemCatalog;
import org.osgres.api.checkpoint.CheckpointRequest;
import org.osgres.api.config.Settings;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.heap.HeapAccess;
import org.osgres.api.heap.Relation;
import org.osgres.api.index.IndexAccess;
import org.osgres.api.session.BackendRegistry;
import org.osgres.api.session.BackendStatus;
import org.osgres.api.xact.IsolationLevel;
import org.osgres.api.xact.LockMode;
import org.osgres.api.xact.LockTag;
import org.osgres.api.xact.Transaction;
import org.osgres.api.xact.TransactionIds;
import org.osgres.api.xact.TransactionManager;
import org.osgres.api.xact.WaitContext;
import org.osgres.catalog.CatalogRows.Row;

@Component(service = SystemCatalog.class, immediate = true)
public final class SystemCatalogImpl implements SystemCatalog {
    private final CatalogContext ctx;
    private final Relation pgDatabase = CatalogTables.PG_DATABASE.relation(0);
    private final Map<Integer, DatabaseCatalog> databases = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();
    private volatile DatabaseList committed;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile IndexAccess indexAccess;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BackendRegistry backendRegistry;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CheckpointRequest checkpointRequest;

    private record DatabaseList(long version, List<Row> rows) {
    }

    @Activate
    public SystemCatalogImpl(@Reference Settings settings, @Reference BufferManager buffers,
            @Reference TransactionManager xacts, @Reference HeapAccess heap) {
        this(settings.dataDirectory(), buffers, xacts, heap);
    }

    /** The catalogs of a data directory (tests build it so; set indexAccess/backendRegistry with the setters). */
    public SystemCatalogImpl(Path dataDirectory, BufferManager buffers, TransactionManager xacts, HeapAccess heap) {
        OidGenerator oids = OidGenerator.exists(dataDirectory) ? OidGenerator.open(dataDirectory)
                : Bootstrap.run(dataDirectory, buffers, heap);
        this.ctx = new CatalogContext(heap, buffers, xacts, oids, dataDirectory, () -> indexAccess,
                () -> backendRegistry);
    }

    /** For tests: the index access method (DS sets the field itself). */
    public void setIndexAccess(IndexAccess indexAccess) {
        this.indexAccess = indexAccess;
    }

    /** For tests: who is connected where. */
    public void setBackendRegistry(BackendRegistry backendRegistry) {
        this.backendRegistry = backendRegistry;
    }

    /** For tests in this package. */
    CatalogContext ctxForTests() {
        return ctx;
    }

    /** Clean shutdown: the oid counter's exact next value. */
    @Deactivate
    public void shutdown() {
        ctx.oids().shutdown();
    }

    private static DatabaseInfo info(Row r) {
        return new DatabaseInfo(r.i(0), r.s(1), r.i(2), r.b(5), r.b(6), r.i(7));
    }

    /** The committed pg_database rows, read in a transaction of its own when they changed. */
    private List<Row> committedRows() {
        long v = version.get();
        DatabaseList list = committed;
        if (list != null && list.version() == v) {
            return list.rows();
        }
        Transaction tx = ctx.xacts().begin(IsolationLevel.READ_COMMITTED, WaitContext.of(0));
        try {
            list = new DatabaseList(v, CatalogState.scan(ctx.heap(), pgDatabase, tx, ctx.catalogSnapshot(tx)));
        } finally {
            tx.commit();
        }
        committed = list;
        return list.rows();
    }

    private List<Row> rows(Transaction tx) {
        return CatalogState.scan(ctx.heap(), pgDatabase, tx, ctx.catalogSnapshot(tx));
    }

    private static Row find(List<Row> rows, String name) {
        for (Row r : rows) {
            if (r.s(CatalogTables.DATNAME).equals(name)) {
                return r;
            }
        }
        return null;
    }

    @Override
    public DatabaseInfo database(String name) {
        Row r = find(committedRows(), name);
        return r == null ? null : info(r);
    }

    @Override
    public List<DatabaseInfo> databases() {
        List<DatabaseInfo> out = new ArrayList<>();
        for (Row r : committedRows()) {
            out.add(info(r));
        }
        return out;
    }

    private void lockDatabaseName(Transaction tx, String name) {
        tx.lock(LockTag.object(0, CatalogTables.PG_DATABASE.oid(), 0, name.hashCode()), LockMode.ACCESS_EXCLUSIVE);
    }

    /** CountOtherDBBackends: sessions other than the transaction's own connected to the database. */
    private int otherSessions(Transaction tx, String name) {
        BackendRegistry registry = backendRegistry;
        if (registry == null) {
            return 0;
        }
        int n = 0;
        for (BackendStatus b : registry.backends()) {
            if (name.equals(b.database()) && b.pid() != tx.pid()) {
                n++;
            }
        }
        return n;
    }

    private static String sessionsDetail(int n) {
        return n == 1 ? "There is 1 other session using the database."
                : "There are " + n + " other sessions using the database.";
    }

    @Override
    public DatabaseInfo createDatabase(Transaction tx, String name, int ownerOid, String template) {
        String tmpl = template == null ? "template1" : template;
        lockDatabaseName(tx, name);
        List<Row> rows = rows(tx);
        if (find(rows, name) != null) {
            throw new PgException(SqlState.DUPLICATE_DATABASE, "database \"" + name + "\" already exists");
        }
        Row src = find(rows, tmpl);
        if (src == null) {
            throw new PgException(SqlState.UNDEFINED_DATABASE, "template database \"" + tmpl + "\" does not exist");
        }
        int others = otherSessions(tx, tmpl);
        if (others > 0) {
            throw new PgException(SqlState.OBJECT_IN_USE, "source database \"" + tmpl
                    + "\" is being accessed by other users").withDetail(sessionsDetail(others));
        }
        int oid = ctx.oids().getNewObjectId();
        ctx.buffers().flushDirty();
        Path dir = databaseDirectory(oid);
        tx.onEnd(isCommit -> {
            if (isCommit) {
                version.incrementAndGet();
            } else {
                Bootstrap.removeDirectory(dir);
            }
        });
        Bootstrap.copyDatabaseFiles(ctx.dataDirectory(), src.i(0), oid);
        CheckpointRequest checkpointer = checkpointRequest;
        if (checkpointer != null) {
            // FILE_COPY's checkpoint after the copy: redo never starts before the (unlogged) copy,
            // and the first change to each of its pages logs a full-page image
            checkpointer.requestCheckpoint(CheckpointRequest.CHECKPOINT_IMMEDIATE | CheckpointRequest.CHECKPOINT_FORCE
                    | CheckpointRequest.CHECKPOINT_WAIT);
        }
        ctx.insert(pgDatabase, tx, CatalogRows.pgDatabase(oid, name, ownerOid, false, true, TransactionIds.FIRST_NORMAL));
        tx.commandCounterIncrement();
        return new DatabaseInfo(oid, name, ownerOid, false, true, -1);
    }

    @Override
    public boolean dropDatabase(Transaction tx, String name, boolean ifExists, int currentDatabaseOid) {
        lockDatabaseName(tx, name);
        Row r = find(rows(tx), name);
        if (r == null) {
            if (ifExists) {
                return false;
            }
            throw new PgException(SqlState.UNDEFINED_DATABASE, "database \"" + name + "\" does not exist");
        }
        int oid = r.i(0);
        if (oid == currentDatabaseOid) {
            throw new PgException(SqlState.OBJECT_IN_USE, "cannot drop the currently open database");
        }
        if (r.b(5)) {
            throw new PgException(SqlState.WRONG_OBJECT_TYPE, "cannot drop a template database");
        }
        int others = otherSessions(tx, name);
        if (others > 0) {
            throw new PgException(SqlState.OBJECT_IN_USE, "database \"" + name + "\" is being accessed by other users")
                    .withDetail(sessionsDetail(others));
        }
        ctx.delete(pgDatabase, tx, r);
        tx.commandCounterIncrement();
        tx.onEnd(isCommit -> {
            if (isCommit) {
                version.incrementAndGet();
                DatabaseCatalog gone = databases.remove(oid);
                if (gone != null) {
                    gone.invalidate();
                }
                removeDatabaseFiles(oid);
            }
        });
        return true;
    }

    /** Drops every relation's buffers and files under base/&lt;oid&gt;, then the directory. */
    private void removeDatabaseFiles(int oid) {
        Path dir = databaseDirectory(oid);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String n = f.getFileName().toString();
                    int end = 0;
                    while (end < n.length() && Character.isDigit(n.charAt(end))) {
                        end++;
                    }
                    if (end > 0) {
                        ctx.buffers().dropRelation(RelFileLocator.of(oid, Integer.parseUnsignedInt(n.substring(0, end))));
                    }
                }
            } catch (IOException e) {
                throw new PgException(SqlState.IO_ERROR, "could not read directory \"" + dir + "\": " + e.getMessage(), e);
            }
        }
        Bootstrap.removeDirectory(dir);
    }

    private Path databaseDirectory(int oid) {
        return ctx.dataDirectory().resolve("base").resolve(Integer.toUnsignedString(oid));
    }

    @Override
    public RelationCatalog relations(int databaseOid) {
        return databases.computeIfAbsent(databaseOid, oid -> new DatabaseCatalog(ctx, oid));
    }
}
