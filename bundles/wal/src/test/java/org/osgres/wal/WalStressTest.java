package org.osgres.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.wal.WalRecord;

/**
 * Many backends inserting records of every size at once through a small buffer ring (records
 * longer than the ring, page and segment crossings), some flushing, the WAL writer running:
 * every record reads back intact, in LSN order, and the WAL ends after the last one.
 */
class WalStressTest {
    @TempDir
    Path dir;

    @Test
    void concurrentInsertsFlushesAndTheWalWriterKeepEveryRecordIntact() throws Exception {
        Xlog xlog = WalTests.start(WalTests.settings(dir, "wal_buffers", "6")).xlog();
        int threads = 8;
        int perThread = 200;
        int[] sizes = {16, 200, 5000, 9000, 30000, 70000, 120};
        Map<Long, WalRecord> byEnd = new ConcurrentHashMap<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                xlog.backgroundFlush();
                try {
                    xlog.waitForWork(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < perThread; i++) {
                        WalRecord r = WalTests.record(id * 1000 + i, sizes[(id + i) % sizes.length]);
                        long end = xlog.insert(r);
                        byEnd.put(end, r);
                        if (i % 3 == 0) {
                            xlog.flush(end);
                        } else if (i % 3 == 1) {
                            xlog.flushAsync(end);
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            }));
        }
        for (Thread t : ts) {
            t.join();
        }
        writer.interrupt();
        writer.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        long last = byEnd.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
        xlog.flush(last);
        assertTrue(XLogFormat.segmentOf(last) >= 2, "the test crossed a segment");
        try (XLogReader reader = new XLogReader(xlog.segments(), 1)) {
            reader.begin(xlog.controlFile().checkPoint(), -1);
            reader.next();
            int n = 0;
            long prevEnd = 0;
            for (XLogReader.Read r; (r = reader.next()) != null; n++) {
                assertTrue(r.endLsn() > prevEnd);
                prevEnd = r.endLsn();
                assertEquals(byEnd.get(r.endLsn()), r.record(), "record ending at " + r.endLsn());
            }
            assertEquals(threads * perThread, n, reader.endMessage());
            assertEquals(last, reader.endOfRecord());
        }
    }
}
