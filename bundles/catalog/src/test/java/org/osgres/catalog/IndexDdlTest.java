package org.osgres.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osgres.catalog.Goldens.assertPgError;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.catalog.ColumnInfo;
import org.osgres.api.catalog.ConstraintInfo;
import org.osgres.api.catalog.ForeignKeySpec;
import org.osgres.api.catalog.IndexInfo;
import org.osgres.api.catalog.IndexSpec;
import org.osgres.api.catalog.RelationCatalog;
import org.osgres.api.catalog.TableInfo;
import org.osgres.api.catalog.TableSpec;
import org.osgres.api.heap.Attribute;
import org.osgres.api.xact.LockMode;
import org.osgres.api.xact.Transaction;

/** Indexes, PRIMARY KEY and UNIQUE constraints, foreign keys; names as ChooseRelationName gives them. */
class IndexDdlTest {
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

    TableInfo table(Transaction tx, String name, String... cols) {
        List<ColumnInfo> columns = new ArrayList<>();
        for (int i = 0; i < cols.length; i++) {
            columns.add(new ColumnInfo(i + 1, cols[i], Attribute.INT4, -1, false, null));
        }
        return cat.createTable(tx, new TableSpec(null, name, columns, 100), PATH);
    }

    IndexInfo index(Transaction tx, TableInfo t, String name, boolean unique, boolean primary, boolean constraint,
            Integer... cols) {
        return cat.createIndex(tx, new IndexSpec(t.oid(), name, List.of(cols), unique, primary, constraint, false));
    }

    ConstraintInfo fk(Transaction tx, TableInfo t, String name, List<Integer> cols, TableInfo ref, List<Integer> refCols) {
        return cat.addForeignKey(tx, new ForeignKeySpec(t.oid(), name, cols, ref.oid(), refCols, 'a', 'a'));
    }

    @Test
    void namesAreChosenAsPostgresChoosesThem() {
        // index-names.txt: the statements of record-catalog.sh, on tables osgres_names and osgres_names_ref
        Transaction tx = f.begin(1);
        TableInfo t = table(tx, "osgres_names", "a", "b", "c");
        List<String> indexes = new ArrayList<>();
        List<String> constraints = new ArrayList<>();
        indexes.add(index(tx, t, null, true, true, true, 1).name());
        indexes.add(index(tx, t, null, true, false, true, 2).name());
        indexes.add(index(tx, t, null, false, false, false, 3).name());
        indexes.add(index(tx, t, null, false, false, false, 3).name());
        indexes.add(index(tx, t, null, false, false, false, 2, 3).name());
        indexes.add(index(tx, t, null, true, false, false, 3).name());
        indexes.add(index(tx, t, null, true, false, true, 2).name());
        TableInfo r = table(tx, "osgres_names_ref", "x", "y", "z");
        constraints.add(fk(tx, r, null, List.of(1), t, List.of()).name());
        constraints.add(fk(tx, r, null, List.of(2), t, List.of(2)).name());
        constraints.add(fk(tx, r, null, List.of(2), t, List.of(2)).name());
        indexes.add(index(tx, r, null, false, false, false, 2).name());
        TableInfo names = cat.table(tx, t.oid());
        for (ConstraintInfo c : names.constraints()) {
            constraints.add(constraints.size() - 3, c.name());
        }
        List<String> golden = Goldens.lines("index-names.txt");
        int at = golden.indexOf("        relname         ");
        assertEquals(golden.subList(at + 2, at + 2 + indexes.size()).stream().map(String::trim).toList(), indexes);
        int cat2 = golden.indexOf("         conname          ");
        assertEquals(golden.subList(cat2 + 2, cat2 + 2 + 6).stream().map(String::trim).toList(), constraints);
        assertEquals(3, cat.table(tx, r.oid()).constraints().size());
        assertEquals(3, names.referencedBy().size());
        tx.commit();
    }

    @Test
    void primaryKeyIndexAndItsConstraint() {
        Transaction tx = f.begin(1);
        TableInfo t = table(tx, "t", "a", "b");
        f.heap.insert(t.heap(), tx, new Object[] {1, 2});
        IndexInfo pk = index(tx, t, null, true, true, true, 1);
        assertEquals("t_pkey", pk.name());
        assertTrue(pk.primary() && pk.unique() && pk.constraint());
        assertTrue(f.fileExists(pk.index().locator()));
        assertEquals(List.of("t_pkey"), f.indexes.built);
        TableInfo after = cat.table(tx, t.oid());
        assertTrue(after.columns().get(0).notNull(), "a primary key's columns become NOT NULL");
        assertEquals(pk.oid(), after.primaryKey().orElseThrow().oid());
        ConstraintInfo c = after.constraints().get(0);
        assertEquals('p', c.type());
        assertEquals(pk.oid(), c.indexOid());
        assertEquals(List.of(1), c.columns());
        assertPgError(() -> index(tx, cat.table(tx, t.oid()), null, true, true, true, 2)); // 42P16
        tx.commit();
        Transaction tx2 = f.begin(2);
        assertEquals(pk, cat.table(tx2, t.oid()).primaryKey().orElseThrow());
        // an index's name is a relation's name
        assertPgError(() -> index(tx2, t, "t", false, false, false, 1)); // 42P07 relation "t" already exists
        tx2.abort();
        Transaction tx3 = f.begin(3);
        assertNull(cat.createIndex(tx3, new IndexSpec(t.oid(), "t", List.of(1), false, false, false, true)),
                "IF NOT EXISTS: the caller sends the NOTICE");
        Goldens.assertNotice("42P07", "relation \"t\" already exists, skipping");
        tx3.commit();
    }

    @Test
    void aNewPrimaryKeyRefusesNullsAndANewUniqueIndexDuplicates() {
        Transaction tx = f.begin(1);
        TableInfo n = table(tx, "n", "a", "b");
        f.heap.insert(n.heap(), tx, new Object[] {null, 1});
        tx.commit();
        Transaction tx2 = f.begin(2);
        assertPgError(() -> index(tx2, n, null, true, true, true, 1)); // 23502
        tx2.abort();
        Transaction tx3 = f.begin(3);
        f.heap.insert(n.heap(), tx3, new Object[] {1, 1});
        tx3.commit();
        Transaction tx4 = f.begin(4);
        assertPgError(() -> index(tx4, n, "n_b", true, false, false, 2)); // 23505 with its detail
        tx4.abort();
        Transaction tx5 = f.begin(5);
        assertTrue(cat.table(tx5, n.oid()).indexes().isEmpty(), "the failed index left nothing");
        assertFalse(cat.table(tx5, n.oid()).columns().get(0).notNull());
        tx5.commit();
    }

    @Test
    void foreignKeysCheckTheirRowsAndHoldOffDropWithoutCascade() {
        Transaction tx = f.begin(1);
        TableInfo t = table(tx, "t", "a");
        index(tx, t, null, true, true, true, 1);
        TableInfo n = table(tx, "n", "a", "b");
        TableInfo c = table(tx, "c", "a", "b");
        assertPgError(() -> fk(tx, c, null, List.of(2), n, List.of(2))); // 42830
        assertPgError(() -> fk(tx, c, null, List.of(1), c, List.of())); // 42704 no primary key
        index(tx, c, "c_b", true, false, false, 2);
        assertEquals("c_self", fk(tx, c, "c_self", List.of(1), c, List.of(2)).name());
        assertPgError(() -> fk(tx, c, "c_self", List.of(1), c, List.of(2))); // 42710
        f.heap.insert(c.heap(), tx, new Object[] {5, 5});
        tx.commandCounterIncrement();
        assertPgError(() -> fk(tx, c, null, List.of(1), t, List.of())); // 23503 with its detail
        tx.abort();

        Transaction tx2 = f.begin(2);
        TableInfo t2 = table(tx2, "t", "a");
        index(tx2, t2, null, true, true, true, 1);
        TableInfo c2 = table(tx2, "c", "a", "b");
        f.heap.insert(t2.heap(), tx2, new Object[] {5});
        f.heap.insert(c2.heap(), tx2, new Object[] {5, 5});
        f.heap.insert(c2.heap(), tx2, new Object[] {null, 6});
        tx2.commandCounterIncrement();
        ConstraintInfo k = fk(tx2, c2, null, List.of(1), t2, List.of());
        assertEquals("c_a_fkey", k.name());
        assertEquals(List.of(1), k.refColumns());
        assertEquals(cat.table(tx2, t2.oid()).primaryKey().orElseThrow().oid(), k.indexOid());
        assertEquals(c2.oid(), cat.table(tx2, t2.oid()).referencedBy().get(0).tableOid());
        tx2.commit();

        Transaction tx3 = f.begin(3);
        assertPgError(() -> cat.dropTable(tx3, t2.oid(), false)); // 2BP01 with detail and hint
        tx3.abort();
        Transaction tx4 = f.begin(4);
        List<String> notices = cat.dropTable(tx4, t2.oid(), true);
        assertEquals(List.of("drop cascades to constraint c_a_fkey on table c"), notices);
        Goldens.assertNotice("00000", notices.get(0));
        assertTrue(cat.table(tx4, c2.oid()).constraints().isEmpty());
        tx4.commit();
        Transaction tx5 = f.begin(5);
        assertTrue(cat.table(tx5, c2.oid()).constraints().isEmpty());
        tx5.commit();
    }

    @Test
    void dropAndTruncateTakeTheIndexesAlong() {
        Transaction tx = f.begin(1);
        TableInfo t = table(tx, "t", "a");
        IndexInfo ix = index(tx, t, null, false, false, false, 1);
        tx.commit();
        Transaction tr = f.begin(2);
        cat.truncate(tr, List.of(t.oid()));
        IndexInfo newIx = cat.table(tr, t.oid()).indexes().get(0);
        assertFalse(newIx.index().locator().equals(ix.index().locator()));
        assertTrue(f.fileExists(newIx.index().locator()));
        tr.commit();
        assertFalse(f.fileExists(ix.index().locator()));
        Transaction drop = f.begin(3);
        cat.dropTable(drop, t.oid(), false);
        drop.commit();
        assertFalse(f.fileExists(newIx.index().locator()));
        Transaction tx4 = f.begin(4);
        assertNull(cat.openTable(tx4, null, "t_a_idx", PATH, LockMode.ACCESS_SHARE, true));
        tx4.commit();
    }
}
