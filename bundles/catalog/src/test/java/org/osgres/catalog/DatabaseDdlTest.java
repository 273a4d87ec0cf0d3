package org.osgres.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osgres.catalog.Goldens.assertPgError;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.catalog.ColumnInfo;
import org.osgres.api.catalog.DatabaseInfo;
import org.osgres.api.catalog.TableInfo;
import org.osgres.api.catalog.TableSpec;
import org.osgres.api.heap.Attribute;
import org.osgres.api.session.BackendRegistry;
import org.osgres.api.session.BackendStatus;
import org.osgres.api.xact.LockMode;
import org.osgres.api.xact.Transaction;

/** CREATE DATABASE and DROP DATABASE. */
class DatabaseDdlTest {
    @TempDir
    Path dir;
    CatalogFixture f;
    final List<BackendStatus> sessions = new ArrayList<>();

    @BeforeEach
    void start() {
        f = CatalogFixture.start(dir);
        f.catalog.setBackendRegistry(new BackendRegistry() {
            @Override
            public List<BackendStatus> backends() {
                return sessions;
            }

            @Override
            public boolean cancel(int pid) {
                return false;
            }

            @Override
            public boolean terminate(int pid) {
                return false;
            }
        });
    }

    void connect(int pid, String database) {
        BackendStatus b = new BackendStatus(pid, "client backend", OffsetDateTime.now());
        b.setIdentity("postgres", database, null);
        sessions.add(b);
    }

    @Test
    void createDatabaseCopiesTheTemplateWithItsTables() {
        Transaction tx = f.begin(1);
        TableInfo t = f.catalog.relations(1).createTable(tx, new TableSpec(null, "in_template",
                List.of(new ColumnInfo(1, "a", Attribute.INT4, -1, false, null)), 100), List.of("public"));
        f.heap.insert(t.heap(), tx, new Object[] {42});
        tx.commit();
        Transaction c = f.begin(2);
        DatabaseInfo db = f.catalog.createDatabase(c, "mydb", 10, null);
        assertTrue(db.oid() >= CatalogTables.FIRST_NORMAL_OBJECT_ID);
        assertNull(f.catalog.database("mydb"), "not committed yet");
        c.commit();
        assertEquals(db, f.catalog.database("mydb"));
        assertTrue(Files.isDirectory(dir.resolve("base/" + db.oid())));
        Transaction r = f.begin(3);
        TableInfo copy = f.catalog.relations(db.oid()).openTable(r, null, "in_template", List.of("public"),
                LockMode.ACCESS_SHARE, false);
        assertEquals(db.oid(), copy.heap().locator().dbOid());
        assertEquals(List.of(42), f.scan(copy.heap(), r).stream().map(v -> v[0]).toList());
        r.commit();

        Transaction d = f.begin(4);
        assertTrue(f.catalog.dropDatabase(d, "mydb", false, 5));
        assertNotNull(f.catalog.database("mydb"), "not dropped before the commit");
        d.commit();
        assertNull(f.catalog.database("mydb"));
        assertFalse(Files.exists(dir.resolve("base/" + db.oid())));
        f.stop();
        CatalogFixture g = CatalogFixture.start(dir);
        assertNull(g.catalog.database("mydb"));
        assertEquals(3, g.catalog.databases().size());
    }

    @Test
    void aRolledBackCreateDatabaseLeavesNoDirectory() {
        Transaction c = f.begin(1);
        DatabaseInfo db = f.catalog.createDatabase(c, "gone", 10, "template0");
        assertTrue(Files.isDirectory(dir.resolve("base/" + db.oid())));
        c.abort();
        assertFalse(Files.exists(dir.resolve("base/" + db.oid())));
        assertNull(f.catalog.database("gone"));
    }

    @Test
    void errorsAreThoseOfPostgres() {
        Transaction tx = f.begin(1);
        assertPgError(() -> f.catalog.createDatabase(tx, "postgres", 10, null)); // 42P04
        assertPgError(() -> f.catalog.createDatabase(tx, "x", 10, "nosuch")); // 3D000
        assertPgError(() -> f.catalog.dropDatabase(tx, "nosuch", false, 5));
        assertFalse(f.catalog.dropDatabase(tx, "nosuch", true, 5));
        assertPgError(() -> f.catalog.dropDatabase(tx, "template1", false, 5)); // 42809
        Goldens.assertNotice("00000", "database \"nosuch\" does not exist, skipping");
        tx.commit();
        Transaction c = f.begin(2);
        f.catalog.createDatabase(c, "osgres_cat", 10, null);
        c.commit();
        int catOid = f.catalog.database("osgres_cat").oid();
        Transaction own = f.begin(3);
        assertPgError(() -> f.catalog.dropDatabase(own, "osgres_cat", false, catOid)); // the currently open one
        own.abort();
        connect(77, "osgres_cat");
        Transaction busy = f.begin(4);
        assertPgError(() -> f.catalog.dropDatabase(busy, "osgres_cat", false, 5)); // 55006 with its detail
        assertPgError(() -> f.catalog.createDatabase(busy, "osgres_cat2", 10, "osgres_cat"));
        busy.abort();
        sessions.clear();
        Transaction free = f.begin(5);
        assertTrue(f.catalog.dropDatabase(free, "osgres_cat", false, 5));
        free.commit();
    }
}
