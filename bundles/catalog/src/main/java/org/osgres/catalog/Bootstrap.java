/*
 * Bootstrap: the catalogs of a new cluster (PostgreSQL: initdb's bootstrap run of
 * postgres.bki, then make_template0 and make_postgres: template1 is built and copied).
 *
 * At the first start over a data directory (no global/osgres_oid, as the commit log and the xid
 * counter also appear at the first start), template1 (oid 1) gets its catalogs describing
 * themselves: pg_namespace rows pg_catalog (11), pg_toast (99) and public (2200), the pg_type
 * rows recorded from PostgreSQL 15, a pg_class row and pg_attribute rows for each catalog
 * (pg_database included, shared). Every row is frozen (xmin FrozenTransactionId, as initdb's
 * VACUUM FREEZE leaves them). template1's files are flushed and copied to template0 (4) and
 * postgres (5), and global/pg_database gets their rows. The oid counter's file is written
 * last: a start that finds the catalogs without it begins again.
 *
 * Entry points: run(), copyDatabaseFiles().
 * See also: CatalogTables; CatalogRows; OidGenerator.
 */
package org.osgres.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

import org.osgres.api.buffer.BufferManager;
import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.heap.HeapAccess;
import org.osgres.api.heap.Relation;
import org.osgres.api.xact.TransactionIds;
import org.osgres.catalog.CatalogTables.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class Bootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);
    static final int TEMPLATE1 = 1;
    static final int TEMPLATE0 = 4;
    static final int POSTGRES = 5;
    /** pg_database_owner, public's owner since PostgreSQL 15. */
    static final int PG_DATABASE_OWNER = 6171;

    private Bootstrap() {
    }

    /** Creates the cluster's catalogs; returns the oid counter. */
    static OidGenerator run(Path dataDir, BufferManager buffers, HeapAccess heap) {
        LOG.info("creating the system catalogs of template1, template0 and postgres");
        for (int db : new int[] {TEMPLATE1, TEMPLATE0, POSTGRES}) {
            Path dir = dataDir.resolve("base").resolve(Integer.toString(db));
            removeDirectory(dir); // a bootstrap cut off earlier starts again
            createDirectory(dir);
        }
        Relation pgDatabase = CatalogTables.PG_DATABASE.relation(0);
        buffers.dropRelation(pgDatabase.locator());
        for (Catalog c : CatalogTables.ALL) {
            heap.createStorage(c.relation(TEMPLATE1));
        }
        heap.createStorage(pgDatabase);
        Relation ns = CatalogTables.PG_NAMESPACE.relation(TEMPLATE1);
        heap.insertFrozen(ns, CatalogRows.pgNamespace(CatalogTables.PG_CATALOG_NAMESPACE, "pg_catalog",
                CatalogTables.BOOTSTRAP_SUPERUSER));
        heap.insertFrozen(ns, CatalogRows.pgNamespace(CatalogTables.PG_TOAST_NAMESPACE, "pg_toast",
                CatalogTables.BOOTSTRAP_SUPERUSER));
        heap.insertFrozen(ns, CatalogRows.pgNamespace(CatalogTables.PUBLIC_NAMESPACE, "public", PG_DATABASE_OWNER));
        Relation type = CatalogTables.PG_TYPE.relation(TEMPLATE1);
        for (Object[] row : CatalogRows.pgTypeRows()) {
            heap.insertFrozen(type, row);
        }
        Relation pgClass = CatalogTables.PG_CLASS.relation(TEMPLATE1);
        Relation pgAttribute = CatalogTables.PG_ATTRIBUTE.relation(TEMPLATE1);
        for (Catalog c : CatalogTables.ALL) {
            heap.insertFrozen(pgClass, CatalogRows.pgClass(new CatalogRows.ClassSpec(c.oid(), c.name(),
                    CatalogTables.PG_CATALOG_NAMESPACE, c.rowType(), CatalogTables.BOOTSTRAP_SUPERUSER,
                    CatalogTables.HEAP_AM, c.oid(), c.shared() ? RelFileLocator.GLOBAL_TABLESPACE_OID : 0, c.shared(), 'r',
                    c.desc().size(), null)));
            for (int i = 0; i < c.desc().size(); i++) {
                heap.insertFrozen(pgAttribute, CatalogRows.pgAttribute(c.oid(), i + 1, c.desc().get(i), -1, false));
            }
        }
        for (Catalog c : CatalogTables.ALL) {
            if (!c.shared()) {
                buffers.flushRelation(c.relation(TEMPLATE1).locator());
            }
        }
        copyDatabaseFiles(dataDir, TEMPLATE1, TEMPLATE0);
        copyDatabaseFiles(dataDir, TEMPLATE1, POSTGRES);
        int frozen = TransactionIds.FIRST_NORMAL;
        heap.insertFrozen(pgDatabase, CatalogRows.pgDatabase(TEMPLATE1, "template1", CatalogTables.BOOTSTRAP_SUPERUSER,
                true, true, frozen));
        heap.insertFrozen(pgDatabase, CatalogRows.pgDatabase(TEMPLATE0, "template0", CatalogTables.BOOTSTRAP_SUPERUSER,
                true, false, frozen));
        heap.insertFrozen(pgDatabase, CatalogRows.pgDatabase(POSTGRES, "postgres", CatalogTables.BOOTSTRAP_SUPERUSER,
                false, true, frozen));
        buffers.flushRelation(pgDatabase.locator());
        return OidGenerator.create(dataDir);
    }

    /** Copies base/&lt;from&gt;'s files to base/&lt;to&gt; (copydir.c); the caller flushed the source's buffers. */
    static void copyDatabaseFiles(Path dataDir, int from, int to) {
        Path src = dataDir.resolve("base").resolve(Integer.toUnsignedString(from));
        Path dst = dataDir.resolve("base").resolve(Integer.toUnsignedString(to));
        try {
            createDirectory(dst);
            try (Stream<Path> files = Files.list(src)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(f)) {
                        Files.copy(f, dst.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR, "could not copy directory \"" + src + "\" to \"" + dst + "\": "
                    + e.getMessage(), e);
        }
    }

    static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR, "could not create directory \"" + dir + "\": " + e.getMessage(), e);
        }
    }

    /** rmtree. */
    static void removeDirectory(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR, "could not remove directory \"" + dir + "\": " + e.getMessage(), e);
        }
    }
}
