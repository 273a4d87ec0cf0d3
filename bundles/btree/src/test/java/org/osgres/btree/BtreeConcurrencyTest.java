package org.osgres.btree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.HeapScan;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.ModifyResult;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.TmResult;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.index.IndexRelation;
import org.osgres.api.index.IndexScan;
import org.osgres.api.index.ScanKey;
import org.osgres.api.xact.Transaction;

/**
 * Eight inserting threads on 64 shared buffers, splitting pages under each other, while a scanner
 * walks the leaves: afterwards every key is found, the tree is ordered and linked; during, every
 * scan saw each key committed before it started exactly once and in order. Racing inserters of
 * the same keys: one wins each. Updaters, scanners and VACUUM on a few hot rows: LP_DEAD marks,
 * their deletion before splits and VACUUM's bulk delete never hide a row version a snapshot sees.
 */
class BtreeConcurrencyTest {
    static final int THREADS = 8;
    static final int PER_THREAD = 5000;
    static final TupleDesc DESC = TupleDesc.of(Attribute.of("k", Attribute.INT4), Attribute.of("t", Attribute.TEXT));

    BtreeFixture f;
    Relation rel;

    @BeforeEach
    void setUp(@TempDir Path dir) {
        f = new BtreeFixture(dir, Integer.getInteger("btree.sharedBuffers", 64));
        rel = f.table("osgres_c", 16384, DESC);
    }

    @AfterEach
    void tearDown() {
        f.stop();
    }

    @Test
    void eightThreadsInsertWhileAScanWalks() throws Exception {
        IndexRelation byK = f.index("osgres_c_k", 16385, rel, List.of(1), true);
        IndexRelation byT = f.index("osgres_c_t", 16386, rel, List.of(2), false);
        f.btree.createStorage(byK);
        f.btree.createStorage(byT);
        // keys committed before: multiples of 1000 * THREADS... every key k with k % 16 == 15
        Transaction pre = f.begin();
        int preloaded = 0;
        for (int k = 15; k < THREADS * PER_THREAD * 2; k += 16) {
            f.insert(pre, rel, new Object[] {k, "p" + k}, byK, byT);
            preloaded++;
        }
        pre.commit();
        int expectedPre = preloaded;

        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger scans = new AtomicInteger();
        Thread scanner = Thread.ofVirtual().start(() -> {
            try {
                while (!done.get()) {
                    Transaction r = f.begin();
                    int last = Integer.MIN_VALUE;
                    int pres = 0;
                    try (IndexScan scan = f.btree.beginScan(byK, r, r.statementSnapshot(), List.of())) {
                        for (HeapTuple t = scan.next(); t != null; t = scan.next()) {
                            int k = (int) t.values()[0];
                            if (k <= last) {
                                throw new AssertionError("scan out of order or twice: " + k + " after " + last);
                            }
                            last = k;
                            pres += k % 16 == 15 ? 1 : 0;
                        }
                    }
                    r.commit();
                    if (pres != expectedPre) {
                        throw new AssertionError("a scan saw " + pres + " of the " + expectedPre + " preloaded keys");
                    }
                    scans.incrementAndGet();
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });

        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            int me = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    List<Integer> keys = new ArrayList<>();
                    for (int i = 0; i < PER_THREAD; i++) {
                        int k = (i * THREADS + me) * 2;
                        keys.add(k);
                    }
                    Collections.shuffle(keys, new Random(me));
                    Transaction tx = f.begin();
                    for (int i = 0; i < keys.size(); i++) {
                        int k = keys.get(i);
                        f.insert(tx, rel, new Object[] {k, "v" + (k % 977)}, byK, byT);
                        if (i % 500 == 499) {
                            tx.commit();
                            tx = f.begin();
                        }
                    }
                    tx.commit();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        long elapsed = System.nanoTime() - start;
        done.set(true);
        scanner.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        int total = THREADS * PER_THREAD;
        System.out.printf("btree: %d threads x %d inserts (heap + unique int4 + text index, %d buffers): %.0f rows/s, %d concurrent scans, %d + %d index pages%n",
                THREADS, PER_THREAD, f.buffers.bufferCount(), total / (elapsed / 1e9), scans.get(), f.btree.nblocks(byK), f.btree.nblocks(byT));
        assertTrue(scans.get() > 0);

        assertEquals(total + expectedPre, BtreeChecker.check(f, byK));
        assertEquals(total + expectedPre, BtreeChecker.check(f, byT));
        Transaction r = f.begin();
        // the heap has every row (a lost heap insert would show here, not in the index checks)
        int heapRows = 0;
        try (HeapScan hs = f.heap.beginScan(rel, r, r.statementSnapshot())) {
            while (hs.next() != null) {
                heapRows++;
            }
        }
        assertEquals(total + expectedPre, heapRows, "heap rows");
        java.util.Set<Integer> inFullScan = new java.util.HashSet<>();
        for (Object[] row : f.scan(byK, r)) {
            inFullScan.add((Integer) row[0]);
        }
        for (int t = 0; t < THREADS; t++) {
            for (int i = 0; i < PER_THREAD; i++) {
                int k = (i * THREADS + t) * 2;
                List<Object[]> rows = f.scan(byK, r, new ScanKey(1, ScanKey.Strategy.EQUAL, k));
                assertEquals(1, rows.size(), "key " + k + " (in a full index scan: " + inFullScan.contains(k) + ")");
            }
        }
        assertEquals(total + expectedPre, f.scan(byK, r).size());
        assertEquals(total + expectedPre, f.scan(byT, r).size());
        r.commit();
        assertNull(failure.get());
    }

    /** Eight threads insert the same 2000 keys, each in its own transaction: exactly one wins each key. */
    @Test
    void racingInsertersOfTheSameKeys() throws Exception {
        IndexRelation byK = f.index("osgres_c_k", 16385, rel, List.of(1), true);
        f.btree.createStorage(byK);
        int keys = 2000;
        AtomicInteger violations = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int me = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    List<Integer> order = new ArrayList<>();
                    for (int k = 0; k < keys; k++) {
                        order.add(k);
                    }
                    Collections.shuffle(order, new Random(me));
                    for (int k : order) {
                        Transaction tx = f.begin();
                        try {
                            f.insert(tx, rel, new Object[] {k, "t" + me}, byK);
                            tx.commit();
                        } catch (org.osgres.api.error.PgException e) {
                            if (e.sqlState() != org.osgres.api.error.SqlState.UNIQUE_VIOLATION) {
                                throw e;
                            }
                            violations.incrementAndGet();
                            tx.abort();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(keys * (THREADS - 1), violations.get());
        Transaction r = f.begin();
        List<Object[]> rows = f.scan(byK, r);
        r.commit();
        assertEquals(keys, rows.size());
        for (int k = 0; k < keys; k++) {
            assertEquals(k, rows.get(k)[0]);
        }
        // the losers failed in the unique check, before their entry went in (their heap rows are aborted)
        assertEquals(keys, BtreeChecker.check(f, byK));
    }

    /**
     * pgbench's branches in small: four hot rows updated by four threads as the executor does it
     * (an index scan finds the row, the heap update makes a new version, the index gets its entry,
     * the scan's pin held throughout), four threads looking the hot rows up, and VACUUM with the
     * index's bulk delete running all along, which frees TIDs for new versions to take. Every
     * lookup sees exactly one version of its row; at the end each row has its count of updates.
     */
    @Test
    void updatersScannersAndVacuumOnHotRows() throws Exception {
        TupleDesc desc = TupleDesc.of(Attribute.of("k", Attribute.INT4), Attribute.of("n", Attribute.INT4));
        Relation hot = f.table("osgres_hot", 16390, desc);
        IndexRelation pkey = f.index("osgres_hot_pkey", 16391, hot, List.of(1), true);
        f.btree.createStorage(pkey);
        int rows = 20;
        int hotRows = 4;
        int updates = Integer.getInteger("btree.hotUpdates", 1500);
        Transaction load = f.begin();
        for (int k = 0; k < rows; k++) {
            f.insert(load, hot, new Object[] {k, 0}, pkey);
        }
        load.commit();

        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger[] counts = new AtomicInteger[hotRows];
        for (int k = 0; k < hotRows; k++) {
            counts[k] = new AtomicInteger();
        }
        AtomicInteger lookups = new AtomicInteger();
        AtomicInteger vacuums = new AtomicInteger();
        List<Thread> updaters = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Random random = new Random(t);
            updaters.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < updates && failure.get() == null; i++) {
                        int k = random.nextInt(hotRows);
                        if (updateHotRow(hot, pkey, k)) {
                            counts[k].incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        List<Thread> others = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Random random = new Random(100 + t);
            others.add(Thread.ofVirtual().start(() -> {
                try {
                    while (!done.get() && failure.get() == null) {
                        int k = random.nextInt(hotRows);
                        Transaction r = f.begin();
                        List<Object[]> found = f.scan(pkey, r, new ScanKey(1, ScanKey.Strategy.EQUAL, k));
                        r.commit();
                        if (found.size() != 1) {
                            throw new AssertionError("a lookup of hot row " + k + " found " + found.size() + " versions");
                        }
                        lookups.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        others.add(Thread.ofVirtual().start(() -> {
            try {
                while (!done.get() && failure.get() == null) {
                    Transaction v = f.begin();
                    f.heap.vacuum(hot, v, isDead -> f.btree.bulkDelete(pkey, isDead));
                    v.commit();
                    vacuums.incrementAndGet();
                    Thread.sleep(10);
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }));
        for (Thread t : updaters) {
            t.join();
        }
        done.set(true);
        for (Thread t : others) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        int[] dead = BtreeChecker.deadItems(f, pkey);
        System.out.printf("btree hot rows: %d updates, %d lookups, %d vacuums, %d index pages, %d LP_DEAD entries left%n",
                counts[0].get() + counts[1].get() + counts[2].get() + counts[3].get(), lookups.get(), vacuums.get(),
                f.btree.nblocks(pkey), dead[0]);
        assertTrue(lookups.get() > 0 && vacuums.get() > 0);
        long entries = BtreeChecker.check(f, pkey);
        assertTrue(entries >= rows, "entries: " + entries);
        Transaction r = f.begin();
        for (int k = 0; k < rows; k++) {
            List<Object[]> found = f.scan(pkey, r, new ScanKey(1, ScanKey.Strategy.EQUAL, k));
            assertEquals(1, found.size(), "row " + k);
            assertEquals(k < hotRows ? counts[k].get() : 0, found.get(0)[1], "updates of row " + k);
        }
        assertEquals(rows, f.scan(pkey, r).size());
        r.commit();
    }

    /**
     * UPDATE hot SET n = n + 1 WHERE k = ?, as ModifyTable runs it under READ COMMITTED: the
     * newest version when another transaction updated the row first. Returns whether it committed.
     */
    private boolean updateHotRow(Relation hot, IndexRelation pkey, int k) {
        Transaction tx = f.begin();
        try (IndexScan scan = f.btree.beginScan(pkey, tx, tx.statementSnapshot(),
                List.of(new ScanKey(1, ScanKey.Strategy.EQUAL, k)))) {
            HeapTuple row = scan.next();
            if (row == null) {
                throw new AssertionError("hot row " + k + " not found by its updater");
            }
            int n = (int) row.values()[1];
            ModifyResult m = f.heap.update(hot, tx, row.tid(), new Object[] {k, n + 1});
            if (m.result() == TmResult.UPDATED) {
                n = (int) m.latest().values()[1];
                m = f.heap.update(hot, tx, m.latest().tid(), new Object[] {k, n + 1});
            }
            if (m.result() != TmResult.OK) {
                throw new AssertionError("update of hot row " + k + ": " + m.result());
            }
            f.btree.insert(pkey, tx, new Object[] {k}, m.tid());
            if (scan.next() != null) {
                throw new AssertionError("hot row " + k + " found twice by its updater");
            }
        } catch (RuntimeException | Error e) {
            tx.abort();
            throw e;
        }
        tx.commit();
        return true;
    }
}
