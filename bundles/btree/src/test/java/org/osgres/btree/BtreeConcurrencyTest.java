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
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.index.IndexRelation;
import org.osgres.api.index.IndexScan;
import org.osgres.api.index.ScanKey;
import org.osgres.api.xact.Transaction;

/**
 * Eight inserting threads on 64 shared buffers, splitting pages under each other, while a scanner
 * walks the leaves: afterwards every key is found, the tree is ordered and linked; during, every
 * scan saw each key committed before it started exactly once and in order.
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
}
