package org.osgres.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.HeapScan;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.ModifyResult;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.TmResult;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.index.IndexRelation;
import org.osgres.api.index.IndexScan;
import org.osgres.api.index.ScanKey;
import org.osgres.api.xact.Transaction;

/**
 * A TPC-B-like load of eight threads (update an account found through its primary key, insert a
 * history row), stopped dead at a random moment between statements -- transactions left open,
 * dirty pages, commit-log pages and WAL unwritten -- then recovered: every acknowledged commit
 * is there, nothing else, and the balances equal the history, through the heap and the index.
 * Runs three rounds over the same directory, a checkpoint in the middle of the first.
 */
class ConcurrentCrashTest {
    static final int THREADS = 8;
    static final int ACCOUNTS_PER_THREAD = 200;
    static final TupleDesc HISTORY = TupleDesc.of(Attribute.of("tid", Attribute.INT4), Attribute.of("seq", Attribute.INT4),
            Attribute.of("aid", Attribute.INT4), Attribute.of("delta", Attribute.INT4));

    @TempDir
    Path dir;

    final Relation accounts = CrashStack.accounts(16384);
    final IndexRelation pkey = CrashStack.pkey(accounts, 16385);
    final Relation history = Relation.of(RelFileLocator.of(CrashStack.DB, 16386), 16386, "history", HISTORY);
    /** Per thread: commits acknowledged over all rounds. */
    final long[] acknowledged = new long[THREADS];

    @Test
    void acknowledgedCommitsSurviveCrashesUnderLoad() throws Exception {
        CrashStack s = new CrashStack(dir, 48);
        s.heap.createStorage(accounts);
        s.btree.createStorage(pkey);
        s.heap.createStorage(history);
        Transaction setup = s.begin();
        for (int aid = 0; aid < THREADS * ACCOUNTS_PER_THREAD; aid++) {
            ItemPointer tid = s.heap.insert(accounts, setup, CrashStack.row(aid, 0));
            s.btree.insert(pkey, setup, new Object[] {aid}, tid);
        }
        setup.commit();
        for (int round = 0; round < 3; round++) {
            run(s, 400 + round * 150, round == 0, round);
            long flushed = s.xlog.flushedUpTo();
            s = new CrashStack(dir, 48); // kill -9, restart
            assertTrue(Long.compareUnsigned(s.recovery.endLsn(), flushed) >= 0, "recovery read to "
                    + Long.toHexString(s.recovery.endLsn()) + ", WAL was flushed to " + Long.toHexString(flushed));
            assertTrue(s.recovery.ran());
            check(s);
        }
    }

    private void run(CrashStack s, long crashAfterMillis, boolean checkpointMidway, int round) throws Exception {
        AtomicBoolean crashed = new AtomicBoolean();
        AtomicLong errors = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int me = t;
            threads.add(Thread.ofPlatform().start(() -> {
                Random rnd = new Random(me * 31L + round);
                int seq = (int) acknowledged[me];
                try {
                    while (!crashed.get()) {
                        Transaction tx = s.begin();
                        int aid = me * ACCOUNTS_PER_THREAD + rnd.nextInt(ACCOUNTS_PER_THREAD);
                        int delta = rnd.nextInt(10_001) - 5000;
                        Object[] old = lookup(s, tx, aid);
                        if (crashed.get()) {
                            return; // the crash leaves tx open
                        }
                        ItemPointer tid = (ItemPointer) old[0];
                        ModifyResult r = s.heap.update(accounts, tx, tid,
                                CrashStack.row(aid, (Integer) old[1] + delta));
                        if (r.result() != TmResult.OK) {
                            throw new AssertionError("update of own account " + aid + ": " + r.result());
                        }
                        s.btree.insert(pkey, tx, new Object[] {aid}, r.tid());
                        if (crashed.get()) {
                            return;
                        }
                        s.heap.insert(history, tx, new Object[] {me, seq, aid, delta});
                        if (crashed.get()) {
                            return;
                        }
                        tx.commit();
                        seq++;
                        acknowledged[me]++;
                    }
                } catch (Throwable e) {
                    errors.incrementAndGet();
                    e.printStackTrace();
                }
            }));
        }
        long deadline = System.nanoTime() + crashAfterMillis * 1_000_000L;
        if (checkpointMidway) {
            Thread.sleep(crashAfterMillis / 2);
            s.checkpoint();
        }
        while (System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        crashed.set(true);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(0, errors.get(), "workers failed");
    }

    /** {tid, balance} of the account, through the primary key. */
    private Object[] lookup(CrashStack s, Transaction tx, int aid) {
        try (IndexScan scan = s.btree.beginScan(pkey, tx, tx.statementSnapshot(),
                List.of(new ScanKey(1, ScanKey.Strategy.EQUAL, aid)))) {
            HeapTuple t = scan.next();
            if (t == null || scan.next() != null) {
                throw new AssertionError("account " + aid + " not found exactly once");
            }
            return new Object[] {t.tid(), t.values()[1]};
        }
    }

    private void check(CrashStack s) {
        Transaction tx = s.begin();
        long[] historyRows = new long[THREADS];
        java.util.Set<Long> seen = new java.util.TreeSet<>();
        Map<Integer, Long> deltaPerAccount = new HashMap<>();
        HeapScan scan = s.heap.beginScan(history, tx, tx.statementSnapshot());
        try {
            for (HeapTuple t = scan.next(); t != null; t = scan.next()) {
                Object[] v = t.values();
                historyRows[(Integer) v[0]]++;
                seen.add(((long) (Integer) v[0] << 32) | (Integer) v[1]);
                deltaPerAccount.merge((Integer) v[2], (long) (Integer) v[3], Long::sum);
            }
        } finally {
            scan.close();
        }
        for (int t = 0; t < THREADS; t++) {
            for (long q = 0; q < acknowledged[t]; q++) {
                if (!seen.contains(((long) t << 32) | q)) {
                    System.out.println("MISSING thread " + t + " seq " + q + " of " + acknowledged[t]);
                }
            }
        }
        for (int t = 0; t < THREADS; t++) {
            assertEquals(acknowledged[t], historyRows[t], "history rows of thread " + t + " (acknowledged commits)");
        }
        Map<Integer, Integer> balances = s.rows(accounts);
        assertEquals(THREADS * ACCOUNTS_PER_THREAD, balances.size());
        for (var e : balances.entrySet()) {
            assertEquals(deltaPerAccount.getOrDefault(e.getKey(), 0L), (long) e.getValue(), "balance of " + e.getKey());
            assertEquals(e.getValue(), lookup(s, tx, e.getKey())[1], "balance of " + e.getKey() + " through the index");
        }
        tx.commit();
    }
}
