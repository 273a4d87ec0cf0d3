package org.osgres.btree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.index.IndexRelation;
import org.osgres.api.index.ScanKey;
import org.osgres.api.index.ScanKey.Strategy;
import org.osgres.api.xact.Transaction;

/**
 * Inserts with splits through a 64-buffer pool, then equality, range and composite scans checked
 * against a sorted Java list; the tree's invariants (levels, sibling links, high keys, order)
 * checked page by page; the default operator classes' orders.
 */
class BtreeScanTest {
    static final TupleDesc DESC = TupleDesc.of(Attribute.of("id", Attribute.INT4), Attribute.of("name", Attribute.TEXT),
            Attribute.of("n", Attribute.INT8));

    BtreeFixture f;
    Relation rel;

    @BeforeEach
    void setUp(@TempDir Path dir) {
        f = new BtreeFixture(dir, 64);
        rel = f.table("osgres_t", 16384, DESC);
    }

    @AfterEach
    void tearDown() {
        f.stop();
    }

    static String name(int i) {
        return i % 7 == 0 ? null : "n" + Integer.toString(i * 7919 % 1000, 36) + "é".repeat(i % 3);
    }

    @Test
    void randomInsertsScanInKeyOrder() {
        IndexRelation byId = f.index("osgres_t_id", 16385, rel, List.of(1), false);
        IndexRelation byName = f.index("osgres_t_name_id", 16386, rel, List.of(2, 1), false);
        f.btree.createStorage(byId);
        f.btree.createStorage(byName);
        Random rnd = new Random(42);
        List<Object[]> rows = new ArrayList<>();
        Transaction tx = f.begin();
        for (int i = 0; i < 20000; i++) {
            int id = rnd.nextInt(5000); // duplicates too
            Object[] row = {id, name(id + i), (long) i};
            rows.add(row);
            f.insert(tx, rel, row, byId, byName);
        }
        tx.commit();
        assertTrue(f.btree.nblocks(byId) > 40, "splits happened: " + f.btree.nblocks(byId));
        BtreeChecker.check(f, byId);
        BtreeChecker.check(f, byName);

        Transaction r = f.begin();
        Comparator<Object[]> byIdCmp = Comparator.comparingInt(a -> (int) a[0]);
        checkScan(r, byId, rows, byIdCmp, x -> true);
        checkScan(r, byId, rows, byIdCmp, x -> (int) x[0] == 1234, new ScanKey(1, Strategy.EQUAL, 1234));
        checkScan(r, byId, rows, byIdCmp, x -> (int) x[0] < 100, new ScanKey(1, Strategy.LESS, 100));
        checkScan(r, byId, rows, byIdCmp, x -> (int) x[0] > 4900, new ScanKey(1, Strategy.GREATER, 4900));
        checkScan(r, byId, rows, byIdCmp, x -> (int) x[0] >= 2000 && (int) x[0] <= 2100,
                new ScanKey(1, Strategy.GREATER_EQUAL, 2000), new ScanKey(1, Strategy.LESS_EQUAL, 2100));
        checkScan(r, byId, rows, byIdCmp, x -> (int) x[0] > 3000 && (int) x[0] < 2000,
                new ScanKey(1, Strategy.GREATER, 3000), new ScanKey(1, Strategy.LESS, 2000));
        checkScan(r, byId, rows, byIdCmp, x -> (int) x[0] > 10 && (int) x[0] < 20,
                new ScanKey(1, Strategy.GREATER, 5), new ScanKey(1, Strategy.GREATER, 10), new ScanKey(1, Strategy.LESS, 20));

        // composite (name, id): NULL names last, C collation order of text
        Comparator<Object[]> nameCmp = (a, b) -> {
            String x = (String) a[1];
            String y = (String) b[1];
            if (x == null || y == null) {
                return x == null ? (y == null ? 0 : 1) : -1;
            }
            return BtreeCompare.compareUtf8(x, y, false);
        };
        Comparator<Object[]> composite = nameCmp.thenComparing(byIdCmp);
        checkScan(r, byName, rows, composite, x -> true);
        String some = (String) rows.get(5)[1];
        checkScan(r, byName, rows, composite, x -> some.equals(x[1]), new ScanKey(1, Strategy.EQUAL, some));
        checkScan(r, byName, rows, composite, x -> some.equals(x[1]) && (int) x[0] >= 100 && (int) x[0] < 4000,
                new ScanKey(1, Strategy.EQUAL, some), new ScanKey(2, Strategy.GREATER_EQUAL, 100),
                new ScanKey(2, Strategy.LESS, 4000));
        checkScan(r, byName, rows, composite, x -> x[1] != null && BtreeCompare.compareUtf8((String) x[1], "n5", false) > 0
                && (int) x[0] == 17, new ScanKey(1, Strategy.GREATER, "n5"), new ScanKey(2, Strategy.EQUAL, 17));
        checkScan(r, byName, rows, composite, x -> x[1] != null && BtreeCompare.compareUtf8((String) x[1], "n5", false) <= 0,
                new ScanKey(1, Strategy.LESS_EQUAL, "n5"));
        r.commit();
    }

    /** The scan's rows equal the filtered list sorted stably by the key (ties in heap order: insertion order). */
    private void checkScan(Transaction r, IndexRelation index, List<Object[]> rows, Comparator<Object[]> cmp,
            Predicate<Object[]> filter, ScanKey... keys) {
        List<Object[]> expected = new ArrayList<>(rows.stream().filter(filter).toList());
        expected.sort(cmp);
        List<Object[]> got = f.scan(index, r, keys);
        assertEquals(expected.size(), got.size(), "rows for " + List.of(keys));
        for (int i = 0; i < got.size(); i++) {
            assertEquals(expected.get(i)[2], got.get(i)[2], "row " + i + " for " + List.of(keys));
        }
    }

    @Test
    void typesSortAsPostgresDefaultOpclasses() {
        TupleDesc desc = TupleDesc.of(Attribute.of("c", Attribute.BPCHAR), Attribute.of("f", Attribute.FLOAT8),
                Attribute.of("n", Attribute.NUMERIC), Attribute.of("i", Attribute.INT4));
        Relation t = f.table("osgres_types", 16390, desc);
        IndexRelation byC = f.index("osgres_types_c", 16391, t, List.of(1, 4), false);
        IndexRelation byF = f.index("osgres_types_f", 16392, t, List.of(2), false);
        IndexRelation byN = f.index("osgres_types_n", 16393, t, List.of(3), false);
        for (IndexRelation ix : List.of(byC, byF, byN)) {
            f.btree.createStorage(ix);
        }
        Object[][] rows = {
            {"ab   ", Double.NaN, new java.math.BigDecimal("1.50"), 1},
            {"ab", -0.0, new java.math.BigDecimal("1.5"), 2},
            {"a    ", Double.NEGATIVE_INFINITY, new java.math.BigDecimal("-100"), 3},
            {"Z    ", 0.0, new java.math.BigDecimal("0.001"), 4},
            {"é", Double.POSITIVE_INFINITY, null, 5},
            {"ab c ", 1e300, new java.math.BigDecimal("123456789012345678901234567890.5"), 6},
        };
        Transaction tx = f.begin();
        for (Object[] row : rows) {
            f.insert(tx, t, row, byC, byF, byN);
        }
        tx.commandCounterIncrement();
        // bpchar ignores trailing spaces: 'ab   ' = 'ab'; C order: 'Z' < 'a' < 'ab' < 'ab c' < 'é'
        assertEquals(List.of(4, 3, 1, 2, 6, 5), ids(f.scan(byC, tx)));
        assertEquals(List.of(1, 2), ids(f.scan(byC, tx, new ScanKey(1, Strategy.EQUAL, "ab"))));
        // float8: -Infinity < -0 = 0 < 1e300 < Infinity < NaN
        assertEquals(List.of(3, 2, 4, 6, 5, 1), ids(f.scan(byF, tx)));
        assertEquals(List.of(2, 4), ids(f.scan(byF, tx, new ScanKey(1, Strategy.EQUAL, 0.0))));
        // numeric by value, NULL last
        assertEquals(List.of(3, 4, 1, 2, 6, 5), ids(f.scan(byN, tx)));
        assertEquals(List.of(1, 2), ids(f.scan(byN, tx, new ScanKey(1, Strategy.EQUAL, new java.math.BigDecimal("1.500")))));
        tx.commit();
    }

    private static List<Integer> ids(List<Object[]> rows) {
        return rows.stream().map(r -> (Integer) r[3]).toList();
    }

    @Test
    void integersCompareAcrossWidths() {
        IndexRelation byId = f.index("osgres_t_id", 16385, rel, List.of(1), false);
        IndexRelation byN = f.index("osgres_t_n", 16386, rel, List.of(3), false);
        f.btree.createStorage(byId);
        f.btree.createStorage(byN);
        Transaction tx = f.begin();
        for (int i = -5; i <= 5; i++) {
            f.insert(tx, rel, new Object[] {i, "x", (long) i * 1_000_000_000L}, byId, byN);
        }
        tx.commit();
        Transaction r = f.begin();
        assertEquals(0, f.scan(byId, r, new ScanKey(1, Strategy.EQUAL, 5_000_000_000L)).size());
        assertEquals(0, f.scan(byId, r, new ScanKey(1, Strategy.GREATER_EQUAL, 5_000_000_000L)).size());
        assertEquals(0, f.scan(byId, r, new ScanKey(1, Strategy.EQUAL, -5_000_000_000L)).size());
        assertEquals(11, f.scan(byId, r, new ScanKey(1, Strategy.GREATER, -5_000_000_000L)).size());
        assertEquals(11, f.scan(byId, r, new ScanKey(1, Strategy.LESS, 5_000_000_000L)).size());
        assertEquals(3, f.scan(byId, r, new ScanKey(1, Strategy.LESS_EQUAL, -3L)).size());
        assertEquals(1, f.scan(byN, r, new ScanKey(1, Strategy.EQUAL, 0)).size());
        assertEquals(5, f.scan(byN, r, new ScanKey(1, Strategy.GREATER, 0)).size());
        r.commit();
    }
}
