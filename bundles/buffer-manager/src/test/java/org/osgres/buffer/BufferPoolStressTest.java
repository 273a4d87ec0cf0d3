package org.osgres.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.Page;
import org.osgres.api.buffer.RelFileLocator;

/**
 * Many virtual threads pin, lock, change and unpin random blocks of a relation ten times larger
 * than the pool, so pages are evicted and read back all the time: no update may be lost and
 * every page must still hold its own block number.
 */
class BufferPoolStressTest {
    static final int BUFFERS = 64;
    static final int BLOCKS = BUFFERS * 10;
    static final int THREADS = 8;
    static final int OPS = 3000;
    static final RelFileLocator REL = RelFileLocator.of(5, 20000);

    @Test
    void concurrentChangesSurviveEvictionAndReload(@TempDir Path dir) throws Exception {
        SharedBufferPool bm = SharedBufferPoolTest.pool(dir, BUFFERS, 100, SharedBufferPoolTest.NO_WAL);
        bm.create(REL, ForkNumber.MAIN);
        for (int i = 0; i < BLOCKS; i++) {
            SharedBufferPoolTest.appendBlock(bm, REL, i); // block number at byte 100, counter at 200
        }
        AtomicLong increments = new AtomicLong();
        concurrently(Thread.ofVirtual().name("stress-", 0), t -> {
            boolean writer = t % 4 != 3;
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            for (int i = 0; i < OPS; i++) {
                long block = rnd.nextInt(BLOCKS);
                int b = bm.pin(REL, ForkNumber.MAIN, block);
                try {
                    if (writer) {
                        bm.lockExclusive(b);
                    } else {
                        bm.lockShared(b);
                    }
                    ByteBuffer p = bm.page(b);
                    if (p.getLong(100) != block || bm.blockNumber(b) != block) {
                        throw new AssertionError("block " + block + " holds " + p.getLong(100));
                    }
                    if (writer) {
                        p.putLong(200, p.getLong(200) + 1);
                        Page.setLsn(p, Page.lsn(p) + 1);
                        bm.markDirty(b);
                        increments.incrementAndGet();
                    }
                    bm.unlock(b);
                } finally {
                    bm.unpin(b);
                }
            }
        });
        assertEquals(increments.get(), sumOfCounters(bm));
        assertTrue(bm.stats().reads() > OPS, "pages were evicted and read back: " + bm.stats());
        bm.deactivate();

        SharedBufferPool again = SharedBufferPoolTest.pool(dir, BUFFERS, 100, SharedBufferPoolTest.NO_WAL);
        assertEquals(BLOCKS, again.nblocks(REL, ForkNumber.MAIN));
        assertEquals(increments.get(), sumOfCounters(again), "after flush and a fresh pool");
    }

    /**
     * Threads add to the relation's last page (as heap inserts do with the target block) while
     * others extend it and pages are evicted all the time: a new block must be in the pool before
     * the relation's size shows it, or an extender's zeroed buffer can overwrite what another
     * thread already wrote there and got evicted.
     */
    @Test
    void extendingNeverZeroesWhatAnotherBackendWroteToTheNewBlock(@TempDir Path dir) throws Exception {
        SharedBufferPool bm = SharedBufferPoolTest.pool(dir, 16, 100, SharedBufferPoolTest.NO_WAL);
        RelFileLocator other = RelFileLocator.of(5, 20001);
        bm.create(REL, ForkNumber.MAIN);
        bm.create(other, ForkNumber.MAIN);
        for (int i = 0; i < 64; i++) {
            SharedBufferPoolTest.appendBlock(bm, other, i);
        }
        AtomicLong increments = new AtomicLong();
        concurrently(Thread.ofPlatform().name("extend-", 0), t -> {
            int role = t % 4; // 0 extends, 1 and 2 add to the last page, 3 reads other blocks (evictions)
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            for (int i = 0; i < OPS; i++) {
                if (role == 3) {
                    int b = bm.pin(other, ForkNumber.MAIN, rnd.nextInt(64));
                    bm.unpin(b);
                    continue;
                }
                int b;
                if (role == 0) {
                    b = bm.extend(REL, ForkNumber.MAIN);
                } else {
                    long n = bm.nblocks(REL, ForkNumber.MAIN);
                    if (n == 0) {
                        continue;
                    }
                    b = bm.pin(REL, ForkNumber.MAIN, n - 1);
                }
                try {
                    bm.lockExclusive(b);
                    ByteBuffer p = bm.page(b);
                    if (Page.isNew(p)) {
                        Page.init(p, 0);
                        p.putLong(100, bm.blockNumber(b));
                    }
                    p.putLong(200, p.getLong(200) + 1);
                    bm.markDirty(b);
                    increments.incrementAndGet();
                    bm.unlock(b);
                } finally {
                    bm.unpin(b);
                }
            }
        });
        long sum = 0;
        long nblocks = bm.nblocks(REL, ForkNumber.MAIN);
        for (int i = 0; i < nblocks; i++) {
            int b = bm.pin(REL, ForkNumber.MAIN, i);
            bm.lockShared(b);
            sum += bm.page(b).getLong(200);
            bm.unlock(b);
            bm.unpin(b);
        }
        assertEquals(increments.get(), sum, "additions to the relation's pages, over " + nblocks + " blocks");
    }

    /** One thread's work; t is its number. */
    interface Body {
        void run(int t) throws Exception;
    }

    /** Runs THREADS threads of the builder's kind and waits for all; the first failure fails the test. */
    static void concurrently(Thread.Builder builder, Body body) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int me = t;
            threads.add(builder.start(() -> {
                try {
                    body.run(me);
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
    }

    private static long sumOfCounters(SharedBufferPool bm) {
        long sum = 0;
        for (int i = 0; i < BLOCKS; i++) {
            int b = bm.pin(REL, ForkNumber.MAIN, i);
            bm.lockShared(b);
            ByteBuffer p = bm.page(b);
            assertEquals(i, p.getLong(100));
            sum += p.getLong(200);
            bm.unlock(b);
            bm.unpin(b);
        }
        return sum;
    }
}
