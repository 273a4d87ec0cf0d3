package org.osgres.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.wal.WalRecord;

/** Concurrent commits share fsyncs; every commit returns only once its record is durable. */
class GroupCommitTest {
    @TempDir
    Path dir;

    static final int THREADS = 16;
    static final int COMMITS_EACH = 40;

    /** Runs THREADS committers; returns the fsyncs issued. */
    static long commitConcurrently(Xlog xlog) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong notDurable = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    for (int i = 0; i < COMMITS_EACH; i++) {
                        long end = xlog.insert(WalRecord.builder(WalRecord.RM_XACT_ID, 0).xid(1000 + id)
                                .mainData(new byte[48]).build());
                        xlog.flush(end);
                        if (xlog.flushedUpTo() < end) {
                            notDurable.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        long before = xlog.syncCount();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(0, notDurable.get(), "a commit returned before its record was flushed");
        return xlog.syncCount() - before;
    }

    @Test
    void concurrentCommitsShareFsyncs() throws Exception {
        Xlog xlog = WalTests.start(WalTests.settings(dir)).xlog();
        long syncs = commitConcurrently(xlog);
        int commits = THREADS * COMMITS_EACH;
        System.out.printf("group commit: %d commits, %d fsyncs%n", commits, syncs);
        assertTrue(syncs > 0);
        assertTrue(syncs < commits, syncs + " fsyncs for " + commits + " commits");
    }

    @Test
    void oneCommitterFsyncsEachCommit() throws Exception {
        Xlog xlog = WalTests.start(WalTests.settings(dir)).xlog();
        long before = xlog.syncCount();
        for (int i = 0; i < 20; i++) {
            xlog.flush(xlog.insert(WalTests.record(i, 50)));
        }
        assertEquals(20, xlog.syncCount() - before);
        // flushing what is flushed already costs nothing
        xlog.flush(xlog.flushedUpTo());
        assertEquals(20, xlog.syncCount() - before);
    }

    @Test
    void anInterruptedBackendStillFlushesAndKeepsItsInterrupt() {
        Xlog xlog = WalTests.start(WalTests.settings(dir)).xlog();
        long e1 = xlog.insert(WalTests.record(1, 50));
        Thread.currentThread().interrupt();
        xlog.flush(e1);
        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        assertTrue(xlog.flushedUpTo() >= e1);
        long e2 = xlog.insert(WalTests.record(2, 50));
        xlog.flush(e2); // the WAL file is still usable
        assertTrue(xlog.flushedUpTo() >= e2);
    }

    @Test
    void fsyncOffSyncsNothingButStillWrites() throws Exception {
        Xlog xlog = WalTests.start(WalTests.settings(dir, "fsync", "off")).xlog();
        long before = xlog.syncCount();
        long end = xlog.insert(WalTests.record(1, 50));
        xlog.flush(end);
        assertEquals(0, xlog.syncCount() - before);
        assertTrue(xlog.writtenUpTo() >= end);
    }

    @Test
    void openDatasyncWritesSynchronously() throws Exception {
        Xlog xlog = WalTests.start(WalTests.settings(dir, "wal_sync_method", "open_datasync")).xlog();
        long before = xlog.syncCount();
        xlog.flush(xlog.insert(WalTests.record(1, 50)));
        assertEquals(1, xlog.syncCount() - before, "one O_DSYNC write, no separate fsync");
    }

    @Test
    void asyncCommitsAreFlushedByTheWalWriter() throws Exception {
        Xlog xlog = WalTests.start(WalTests.settings(dir)).xlog();
        long end = xlog.insert(WalTests.record(1, 50));
        xlog.flushAsync(end);
        assertTrue(xlog.flushedUpTo() < end, "flushAsync does not wait");
        assertTrue(xlog.backgroundFlush());
        assertTrue(xlog.flushedUpTo() >= end);
        assertEquals(false, xlog.backgroundFlush(), "nothing left to do");
    }
}
