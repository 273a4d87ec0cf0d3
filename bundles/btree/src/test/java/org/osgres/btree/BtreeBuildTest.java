package org.osgres.btree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.index.IndexRelation;
import org.osgres.api.index.IndexScan;
import org.osgres.api.index.ScanKey;
import org.osgres.api.xact.Snapshot;
import org.osgres.api.xact.Transaction;

/**
 * CREATE INDEX: bottom-up loads from the heap's build scan, recently dead tuples included but not
 * conflicting, PostgreSQL's "could not create unique index" texts, fillfactor, inserts into a
 * built tree, and the time to build a million keys.
 */
class BtreeBuildTest {
    static final TupleDesc DESC = TupleDesc.of(Attribute.of("bid", Attribute.INT4), Attribute.of("v", Attribute.TEXT));

    BtreeFixture f;

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.stop();
        }
    }

    @Test
    void buildsFromEveryTupleNotDeadToAll(@TempDir Path dir) {
        f = new BtreeFixture(dir, 64);
        Relation rel = f.table("osgres_b", 16384, DESC);
        Random rnd = new Random(7);
        List<Integer> keys = new ArrayList<>();
        List<ItemPointer> tids = new ArrayList<>();
        Transaction t = f.begin();
        for (int i = 0; i < 30000; i++) {
            int k = rnd.nextInt(1_000_000);
            keys.add(k);
            tids.add(f.heap.insert(rel, t, new Object[] {k, "v" + k}));
        }
        t.commit();
        Transaction old = f.begin();
        Snapshot oldSnapshot = old.statementSnapshot(); // holds back the horizon: deleted rows stay recently dead
        Transaction d = f.begin();
        for (int i = 0; i < 100; i++) {
            f.heap.delete(rel, d, tids.get(i));
        }
        d.commit();
        Transaction builder = f.begin();
        f.heap.insert(rel, builder, new Object[] {-1, "own"}); // in progress, our own: indexed
        IndexRelation index = f.index("osgres_b_bid", 16385, rel, List.of(1), false);
        f.btree.createStorage(index);
        assertEquals(30001, f.btree.build(index, builder));
        builder.commit();
        assertEquals(30001, BtreeChecker.check(f, index));
        List<Integer> sorted = new ArrayList<>(keys.subList(100, keys.size()));
        sorted.add(-1);
        sorted.sort(null);
        Transaction r = f.begin();
        assertEquals(sorted, f.scan(index, r).stream().map(v -> (Integer) v[0]).toList());
        List<Integer> before = new ArrayList<>();
        try (IndexScan scan = f.btree.beginScan(index, old, oldSnapshot, List.of())) {
            for (HeapTuple h = scan.next(); h != null; h = scan.next()) {
                before.add((Integer) h.values()[0]);
            }
        }
        assertEquals(keys.stream().sorted().toList(), before, "the old snapshot still sees the deleted rows through the new index");
        r.commit();
        old.commit();

        // inserts after the build split the loaded pages
        Transaction more = f.begin();
        for (int i = 0; i < 20000; i++) {
            int k = rnd.nextInt(1_000_000);
            sorted.add(k);
            f.insert(more, rel, new Object[] {k, "w"}, index);
        }
        more.commit();
        sorted.sort(null);
        assertEquals(sorted.size() + 100, BtreeChecker.check(f, index), "the deleted rows' entries stay until VACUUM");
        Transaction r2 = f.begin();
        assertEquals(sorted, f.scan(index, r2).stream().map(v -> (Integer) v[0]).toList());
        int probe = sorted.get(12345);
        assertEquals(sorted.stream().filter(k -> k == probe).count(),
                f.scan(index, r2, new ScanKey(1, ScanKey.Strategy.EQUAL, probe)).size());
        r2.commit();
    }

    @Test
    void uniqueBuildFailsWithPostgresTexts(@TempDir Path dir) throws IOException {
        f = new BtreeFixture(dir, 64);
        Relation rel = f.table("osgres_b", 16384, DESC);
        Transaction t = f.begin();
        f.heap.insert(rel, t, new Object[] {1, "x"});
        f.heap.insert(rel, t, new Object[] {2, "y"});
        f.heap.insert(rel, t, new Object[] {1, "z"});
        t.commit();
        IndexRelation index = f.index("osgres_b_bid", 16385, rel, List.of(1), true);
        f.btree.createStorage(index);
        Transaction b = f.begin();
        PgException e = assertThrows(PgException.class, () -> f.btree.build(index, b));
        BtreeUniqueTest.assertGolden("build-int4", SqlState.UNIQUE_VIOLATION, e);
        b.abort();

        TupleDesc fd = TupleDesc.of(Attribute.of("f", Attribute.FLOAT8), Attribute.of("d", Attribute.DATE),
                Attribute.of("ts", Attribute.TIMESTAMP));
        Relation frel = f.table("osgres_f", 16390, fd);
        Transaction t2 = f.begin();
        for (int i = 0; i < 2; i++) {
            f.heap.insert(frel, t2, new Object[] {0.1, LocalDate.of(-43, 3, 15), LocalDateTime.of(2000, 1, 1, 0, 0)});
        }
        t2.commit();
        IndexRelation fkey = f.index("osgres_f_key", 16391, frel, List.of(1, 2, 3), true);
        f.btree.createStorage(fkey);
        Transaction b2 = f.begin();
        e = assertThrows(PgException.class, () -> f.btree.build(fkey, b2));
        BtreeUniqueTest.assertGolden("build-float-date", SqlState.UNIQUE_VIOLATION, e);
        b2.abort();
    }

    @Test
    void recentlyDeadDuplicatesDoNotConflict(@TempDir Path dir) {
        f = new BtreeFixture(dir, 64);
        Relation rel = f.table("osgres_b", 16384, DESC);
        Transaction t = f.begin();
        ItemPointer first = f.heap.insert(rel, t, new Object[] {1, "x"});
        f.heap.insert(rel, t, new Object[] {1, null});
        t.commit();
        Transaction old = f.begin();
        old.statementSnapshot();
        Transaction d = f.begin();
        f.heap.delete(rel, d, first);
        d.commit();
        IndexRelation index = f.index("osgres_b_bid", 16385, rel, List.of(1), true);
        f.btree.createStorage(index);
        Transaction b = f.begin();
        assertEquals(2, f.btree.build(index, b));
        b.commit();
        old.commit();
        Transaction again = f.begin();
        PgException e = assertThrows(PgException.class, () -> f.insert(again, rel, new Object[] {1, "y"}, index));
        assertEquals("Key (bid)=(1) already exists.", e.detail());
        again.abort();
    }

    @Test
    void fillfactorLeavesRoomOnLeaves(@TempDir Path dir) {
        f = new BtreeFixture(dir, 64);
        Relation rel = f.table("osgres_b", 16384, TupleDesc.of(Attribute.of("bid", Attribute.INT4)));
        Transaction t = f.begin();
        for (int i = 0; i < 100_000; i++) {
            f.heap.insert(rel, t, new Object[] {i});
        }
        t.commit();
        IndexRelation ff90 = f.index("ff90", 16385, rel, List.of(1), false);
        IndexRelation ff100 = f.index("ff100", 16386, rel, List.of(1), false, 100);
        IndexRelation ff50 = f.index("ff50", 16387, rel, List.of(1), false, 50);
        Transaction b = f.begin();
        for (IndexRelation ix : List.of(ff90, ff100, ff50)) {
            f.btree.createStorage(ix);
            assertEquals(100_000, f.btree.build(ix, b));
            assertEquals(100_000, BtreeChecker.check(f, ix));
        }
        b.commit();
        // PostgreSQL 15 builds 276, 249 and 500 pages (pg_relation_size / 8192); its leaf high keys
        // are 8 bytes shorter (suffix truncation drops the heap TID), so osgres needs a page or two more
        long pages90 = f.btree.nblocks(ff90);
        long pages100 = f.btree.nblocks(ff100);
        long pages50 = f.btree.nblocks(ff50);
        System.out.printf("btree build of 100000 int4 keys: %d pages (ff 90), %d (ff 100), %d (ff 50)%n", pages90, pages100, pages50);
        assertTrue(pages100 < pages90 && pages90 < pages50);
        assertEquals(1.8, (double) pages50 / pages90, 0.1);
    }

    @Test
    void millionKeyBuild(@TempDir Path dir) {
        int n = Integer.getInteger("btree.buildKeys", 1_000_000);
        f = new BtreeFixture(dir, 128);
        Relation rel = f.table("pgbench_accounts", 16384, TupleDesc.of(Attribute.of("aid", Attribute.INT4)));
        Transaction t = f.begin();
        for (int i = 1; i <= n; i++) {
            f.heap.insert(rel, t, new Object[] {i});
        }
        t.commit();
        IndexRelation pkey = f.index("pgbench_accounts_pkey", 16385, rel, List.of(1), true);
        f.btree.createStorage(pkey);
        Transaction b = f.begin();
        long start = System.nanoTime();
        assertEquals(n, f.btree.build(pkey, b));
        long ms = (System.nanoTime() - start) / 1_000_000;
        b.commit();
        System.out.printf("btree: build of %d int4 keys (unique, from a %d-page heap, 128 buffers): %d ms, %d index pages%n",
                n, f.heap.nblocks(rel), ms, f.btree.nblocks(pkey));
        Transaction r = f.begin();
        for (int k : new int[] {1, n / 2, n}) {
            assertEquals(1, f.scan(pkey, r, new ScanKey(1, ScanKey.Strategy.EQUAL, k)).size());
        }
        assertEquals(100, f.scan(pkey, r, new ScanKey(1, ScanKey.Strategy.GREATER, n - 100)).size());
        r.commit();
    }
}
