package org.osgres.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osgres.catalog.Goldens.assertPgError;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.catalog.ColumnInfo;
import org.osgres.api.catalog.RelationCatalog;
import org.osgres.api.catalog.TableInfo;
import org.osgres.api.catalog.TableSpec;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.heap.Attribute;
import org.osgres.api.xact.LockMode;
import org.osgres.api.xact.Transaction;

/** CREATE TABLE, lookup, DROP TABLE, TRUNCATE: transactional, concurrent, across restarts. */
class TableDdlTest {
    static final List<String> PATH = List.of("public");

    @TempDir
    Path dir;
    CatalogFixture f;
    RelationCatalog cat;

    @BeforeEach
    void start() {
        f = CatalogFixture.start(dir);
        cat = f.catalog.relations(5);
    }

    static TableSpec spec(String name) {
        return new TableSpec(null, name, List.of(new ColumnInfo(1, "id", Attribute.INT4, -1, true, null),
                new ColumnInfo(2, "v", Attribute.VARCHAR, 14, false, "'x'::character varying"),
                new ColumnInfo(3, "n", Attribute.NUMERIC, ((10 << 16) | 2) + 4, false, null)), 100);
    }

    TableInfo create(String name) {
        Transaction tx = f.begin(1);
        TableInfo t = cat.createTable(tx, spec(name), PATH);
        tx.commit();
        return t;
    }

    TableInfo open(Transaction tx, String name) {
        return cat.openTable(tx, null, name, PATH, LockMode.ACCESS_SHARE, true);
    }

    @Test
    void createLookupInsertDrop() {
        Transaction tx = f.begin(1);
        TableInfo t = cat.createTable(tx, spec("t"), PATH);
        assertTrue(t.oid() >= CatalogTables.FIRST_NORMAL_OBJECT_ID);
        assertEquals("public", t.schema());
        assertEquals(List.of("id", "v", "n"), t.columns().stream().map(ColumnInfo::name).toList());
        assertEquals(14, t.columns().get(1).typmod());
        assertEquals("'x'::character varying", t.columns().get(1).defaultExpr());
        assertTrue(t.columns().get(0).notNull());
        assertTrue(f.fileExists(t.heap().locator()));
        assertEquals(t.oid(), t.heap().locator().relNumber(), "a new relation's relfilenode is its oid");
        f.heap.insert(t.heap(), tx, new Object[] {1, "a", new BigDecimal("1.50")});
        TableInfo again = open(tx, "t");
        assertEquals(t, again, "the transaction sees its own table");
        tx.commit();

        Transaction tx2 = f.begin(2);
        TableInfo seen = cat.openTable(tx2, "public", "t", PATH, LockMode.ACCESS_SHARE, false);
        assertEquals(t.oid(), seen.oid());
        assertEquals(1, f.scan(seen.heap(), tx2).size());
        assertTrue(cat.tables(tx2).stream().anyMatch(x -> x.name().equals("t")));
        assertEquals(List.of(), cat.dropTable(tx2, t.oid(), false));
        assertNull(open(tx2, "t"));
        assertTrue(f.fileExists(t.heap().locator()), "the file stays until the DROP commits");
        tx2.commit();
        assertFalse(f.fileExists(t.heap().locator()));
        Transaction tx3 = f.begin(3);
        assertNull(open(tx3, "t"));
        assertNull(cat.table(tx3, t.oid()));
        tx3.commit();
    }

    @Test
    void errorsAreThoseOfPostgres() {
        create("t");
        Transaction tx = f.begin(1);
        assertPgError(() -> cat.createTable(tx, spec("t"), PATH));
        assertPgError(() -> cat.createTable(tx, new TableSpec("nosuch", "t", spec("t").columns(), 100), PATH));
        assertPgError(() -> cat.createTable(tx, spec("u"), List.of()));
        assertPgError(() -> cat.openTable(tx, null, "nosuch", PATH, LockMode.ACCESS_SHARE, false));
        assertEquals("relation \"nosuch.t\" does not exist",
                assertPgError(() -> cat.openTable(tx, "nosuch", "t", PATH, LockMode.ACCESS_SHARE, false)).getMessage());
        PgException e = assertPgError(() -> cat.openTable(tx, "public", "nosuch", PATH, LockMode.ACCESS_SHARE, false));
        assertEquals("relation \"public.nosuch\" does not exist", e.getMessage());
        tx.abort();
    }

    @Test
    void searchPathFindsTheFirstSchemaAndPgCatalogFirst() {
        create("pg_class_copy");
        Transaction tx = f.begin(1);
        assertEquals(1259, cat.openTable(tx, null, "pg_class", List.of(), LockMode.ACCESS_SHARE, false).oid(),
                "pg_catalog is searched even when not listed");
        assertNull(cat.openTable(tx, null, "pg_class_copy", List.of("pg_catalog"), LockMode.ACCESS_SHARE, true));
        assertEquals("public", cat.openTable(tx, null, "pg_class_copy", List.of("$user", "public"), LockMode.ACCESS_SHARE,
                false).schema());
        TableInfo inCatalog = cat.createTable(tx, spec("mine"), List.of("nosuch", "pg_catalog", "public"));
        assertEquals("pg_catalog", inCatalog.schema(), "the first existing schema of the path");
        tx.abort();
    }

    @Test
    void aRolledBackCreateLeavesNoTableAndNoFile() {
        Transaction tx = f.begin(1);
        TableInfo t = cat.createTable(tx, spec("t"), PATH);
        RelFileLocator loc = t.heap().locator();
        assertTrue(f.fileExists(loc));
        tx.abort();
        assertFalse(f.fileExists(loc));
        Transaction tx2 = f.begin(2);
        assertNull(open(tx2, "t"));
        assertNull(cat.table(tx2, t.oid()));
        cat.createTable(tx2, spec("t"), PATH); // the name is free again
        tx2.commit();
    }

    @Test
    void aRolledBackDropKeepsTheTable() {
        TableInfo t = create("t");
        Transaction tx = f.begin(1);
        cat.dropTable(tx, t.oid(), false);
        assertNull(open(tx, "t"));
        tx.abort();
        assertTrue(f.fileExists(t.heap().locator()));
        Transaction tx2 = f.begin(2);
        assertEquals(t.oid(), open(tx2, "t").oid());
        tx2.commit();
    }

    @Test
    void anotherTransactionDoesNotSeeUncommittedDdl() {
        TableInfo dropped = create("dropped");
        Transaction ddl = f.begin(1);
        TableInfo t = cat.createTable(ddl, spec("t"), PATH);
        Transaction other = f.begin(2);
        assertNull(open(other, "t"));
        assertNull(cat.table(other, t.oid()));
        other.commit();
        // dropping: the other transaction waits for the DROP's lock, then finds the table gone
        Transaction dropper = f.begin(3);
        cat.dropTable(dropper, dropped.oid(), false);
        Transaction reader = f.begin(4);
        CompletableFuture<TableInfo> read = CompletableFuture.supplyAsync(() -> open(reader, "dropped"));
        assertFalse(waitDone(read, 200), "the reader waits for the DROP's AccessExclusiveLock");
        ddl.commit();
        dropper.commit();
        assertNull(read.join(), "after the DROP committed, the name is gone");
        reader.commit();
        Transaction later = f.begin(5);
        assertEquals(t.oid(), open(later, "t").oid());
        later.commit();
    }

    private static boolean waitDone(CompletableFuture<?> f, long millis) {
        try {
            f.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (Exception e) {
            return true;
        }
    }

    @Test
    void concurrentCreatesOfOneNameQueue() throws Exception {
        Transaction first = f.begin(1);
        cat.createTable(first, spec("t"), PATH);
        Transaction second = f.begin(2);
        CompletableFuture<TableInfo> other = CompletableFuture.supplyAsync(() -> cat.createTable(second, spec("t"), PATH));
        assertFalse(waitDone(other, 200), "the second CREATE waits for the first transaction");
        first.commit();
        Throwable failure = assertThrowsAsync(other);
        PgException e = (PgException) failure;
        assertEquals(SqlState.DUPLICATE_TABLE, e.sqlState());
        Goldens.assertGolden(e, "ERROR");
        second.abort();
        // and when the first aborts, the second creates it
        Transaction third = f.begin(3);
        cat.createTable(third, spec("u"), PATH);
        Transaction fourth = f.begin(4);
        CompletableFuture<TableInfo> next = CompletableFuture.supplyAsync(() -> cat.createTable(fourth, spec("u"), PATH));
        assertFalse(waitDone(next, 200));
        third.abort();
        assertEquals("u", next.get(10, TimeUnit.SECONDS).name());
        fourth.commit();
    }

    private static Throwable assertThrowsAsync(CompletableFuture<?> f) {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void aNewCatalogOverTheSameDirectorySeesCommittedTables() {
        TableInfo t = create("kept");
        Transaction tx = f.begin(1);
        f.heap.insert(t.heap(), tx, new Object[] {7, "seven", null});
        tx.commit();
        Transaction gone = f.begin(2);
        cat.createTable(gone, spec("uncommitted"), PATH);
        f.stop();
        CatalogFixture g = CatalogFixture.start(dir);
        RelationCatalog cat2 = g.catalog.relations(5);
        Transaction tx2 = g.begin(1);
        TableInfo kept = cat2.openTable(tx2, null, "kept", PATH, LockMode.ACCESS_SHARE, false);
        assertEquals(t, kept);
        assertEquals(1, g.scan(kept.heap(), tx2).size());
        assertNull(cat2.openTable(tx2, null, "uncommitted", PATH, LockMode.ACCESS_SHARE, true));
        assertNotEquals(t.oid(), cat2.createTable(tx2, spec("new"), PATH).oid(), "oids do not repeat");
        tx2.commit();
    }

    @Test
    void truncateGivesNewEmptyFiles() {
        TableInfo t = create("t");
        Transaction tx = f.begin(1);
        f.heap.insert(t.heap(), tx, new Object[] {1, "a", null});
        tx.commit();
        Transaction tr = f.begin(2);
        cat.truncate(tr, List.of(t.oid()));
        TableInfo after = cat.table(tr, t.oid());
        assertNotEquals(t.heap().locator(), after.heap().locator());
        assertEquals(0, f.scan(after.heap(), tr).size());
        assertTrue(f.fileExists(t.heap().locator()), "the old file stays until commit");
        tr.commit();
        assertFalse(f.fileExists(t.heap().locator()));
        Transaction tx2 = f.begin(3);
        assertEquals(after.heap().locator(), cat.table(tx2, t.oid()).heap().locator());
        assertEquals(0, f.scan(after.heap(), tx2).size());
        tx2.commit();
        // a rolled back TRUNCATE keeps the rows and removes the new file
        Transaction ins = f.begin(4);
        f.heap.insert(after.heap(), ins, new Object[] {2, "b", null});
        ins.commit();
        Transaction rb = f.begin(5);
        cat.truncate(rb, List.of(t.oid()));
        RelFileLocator unused = cat.table(rb, t.oid()).heap().locator();
        rb.abort();
        assertFalse(f.fileExists(unused));
        Transaction tx3 = f.begin(6);
        assertEquals(1, f.scan(cat.table(tx3, t.oid()).heap(), tx3).size());
        tx3.commit();
    }

    @Test
    void fillfactorIsKeptInReloptions() {
        Transaction tx = f.begin(1);
        TableInfo t = cat.createTable(tx, new TableSpec(null, "ff", spec("x").columns(), 70), PATH);
        assertEquals(70, t.heap().fillfactor());
        tx.commit();
        f.stop();
        CatalogFixture g = CatalogFixture.start(dir);
        Transaction tx2 = g.begin(1);
        assertEquals(70, g.catalog.relations(5).openTable(tx2, null, "ff", PATH, LockMode.ACCESS_SHARE, false)
                .heap().fillfactor());
        tx2.commit();
    }
}
