package org.osgres.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.catalog.DatabaseInfo;
import org.osgres.api.catalog.RelationCatalog;
import org.osgres.api.catalog.TableInfo;
import org.osgres.api.heap.Attribute;
import org.osgres.api.xact.LockMode;
import org.osgres.api.xact.Transaction;
import org.osgres.api.xact.TransactionIds;

/** The catalogs a first start creates, and what they say about themselves. */
class CatalogBootstrapTest {
    static final List<String> PATH = List.of("public");

    @Test
    void theCatalogsColumnsAreThoseOfPostgres() {
        List<String> expected = Goldens.lines("catalog-columns.tsv");
        List<String> actual = new ArrayList<>();
        for (String name : List.of("pg_class", "pg_attribute", "pg_type", "pg_namespace", "pg_index", "pg_constraint",
                "pg_attrdef", "pg_database")) {
            CatalogTables.Catalog c = CatalogTables.ALL.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            for (int i = 0; i < c.desc().size(); i++) {
                Attribute a = c.desc().get(i);
                actual.add(name + "\t" + (i + 1) + "\t" + a.name() + "\t" + a.typeOid() + "\t" + a.len() + "\t"
                        + (a.notNull() ? "t" : "f"));
            }
        }
        assertEquals(expected, actual);
    }

    @Test
    void bootstrapCreatesThreeDatabasesWithTheirCatalogs(@TempDir Path dir) {
        CatalogFixture f = CatalogFixture.start(dir);
        List<DatabaseInfo> dbs = f.catalog.databases();
        assertEquals(List.of(new DatabaseInfo(1, "template1", 10, true, true, -1),
                new DatabaseInfo(4, "template0", 10, true, false, -1),
                new DatabaseInfo(5, "postgres", 10, false, true, -1)), dbs);
        assertFalse(f.catalog.database("template0").allowConnections());
        assertNull(f.catalog.database("nosuch"));
        for (int db : new int[] {1, 4, 5}) {
            for (int relfilenode : new int[] {1247, 1249, 1259, 2604, 2606, 2610, 2615}) {
                assertTrue(Files.exists(dir.resolve("base/" + db + "/" + relfilenode)), db + "/" + relfilenode);
            }
        }
        assertTrue(Files.exists(dir.resolve("global/1262")));
        assertTrue(Files.exists(dir.resolve("global/osgres_oid")));

        RelationCatalog postgres = f.catalog.relations(5);
        Transaction tx = f.begin(1);
        TableInfo pgClass = postgres.openTable(tx, null, "pg_class", PATH, LockMode.ACCESS_SHARE, false);
        assertEquals(1259, pgClass.oid());
        assertEquals("pg_catalog", pgClass.schema());
        assertTrue(pgClass.systemCatalog());
        assertEquals(33, pgClass.columns().size());
        assertEquals("relname", pgClass.columns().get(1).name());
        assertEquals(Attribute.NAME, pgClass.columns().get(1).typeOid());
        assertEquals(8, postgres.tables(tx).size(), "the catalogs, pg_database included");
        // select relname, relkind, relnamespace from pg_class: every row frozen, as initdb leaves them
        List<Object[]> classes = f.scan(pgClass.heap(), tx);
        assertEquals(8, classes.size());
        Object[] row = classes.stream().filter(r -> r[1].equals("pg_attribute")).findFirst().orElseThrow();
        assertEquals("r", row[16]);
        assertEquals(11, row[2]);
        // select attname, atttypid from pg_attribute where attrelid = 'pg_namespace'::regclass
        TableInfo pgAttribute = postgres.openTable(tx, "pg_catalog", "pg_attribute", PATH, LockMode.ACCESS_SHARE, false);
        List<String> nsColumns = new ArrayList<>();
        for (Object[] a : f.scan(pgAttribute.heap(), tx)) {
            if ((Integer) a[0] == 2615) {
                nsColumns.add(a[1] + ":" + a[2]);
            }
        }
        assertEquals(List.of("oid:26", "nspname:19", "nspowner:26", "nspacl:1034"), nsColumns);
        TableInfo pgNamespace = postgres.openTable(tx, null, "pg_namespace", PATH, LockMode.ACCESS_SHARE, false);
        List<String> schemas = new ArrayList<>();
        for (Object[] n : f.scan(pgNamespace.heap(), tx)) {
            schemas.add(n[0] + " " + n[1]);
        }
        assertEquals(List.of("11 pg_catalog", "99 pg_toast", "2200 public"), schemas);
        TableInfo pgType = postgres.openTable(tx, null, "pg_type", PATH, LockMode.ACCESS_SHARE, false);
        List<Object[]> types = f.scan(pgType.heap(), tx);
        Object[] int4 = types.stream().filter(t -> t[0].equals(23)).findFirst().orElseThrow();
        assertEquals("int4", int4[1]);
        assertEquals((short) 4, int4[4]);
        assertEquals(1007, int4[14], "typarray");
        assertNotNull(types.stream().filter(t -> t[1].equals("_numeric")).findFirst().orElse(null));
        tx.commit();
        f.stop();
    }

    @Test
    void bootstrapRowsAreFrozen(@TempDir Path dir) {
        CatalogFixture f = CatalogFixture.start(dir);
        Transaction tx = f.begin(1);
        TableInfo pgClass = f.catalog.relations(1).openTable(tx, null, "pg_class", PATH, LockMode.ACCESS_SHARE, false);
        try (var scan = f.heap.beginScan(pgClass.heap(), tx, tx.statementSnapshot())) {
            assertEquals(TransactionIds.FROZEN, scan.next().xmin());
        }
        tx.commit();
    }

    @Test
    void aSecondStartKeepsTheCatalogsAndTheOidCounterMovesOn(@TempDir Path dir) {
        CatalogFixture f = CatalogFixture.start(dir);
        int first = f.catalog.ctxForTests().oids().getNewObjectId();
        assertEquals(CatalogTables.FIRST_NORMAL_OBJECT_ID, first);
        f.stop();
        CatalogFixture g = CatalogFixture.start(dir);
        assertEquals(3, g.catalog.databases().size());
        assertEquals(first + 1, g.catalog.ctxForTests().oids().getNewObjectId());
        // a crash: the counter continues past the persisted mark, never repeating
        int a = g.catalog.ctxForTests().oids().getNewObjectId();
        CatalogFixture h = CatalogFixture.start(dir);
        assertTrue(h.catalog.ctxForTests().oids().getNewObjectId() > a);
    }
}
