package org.osgres.checkpointer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgres.api.buffer.BufferManager;

/** The background writer's round (BgBufferSync) over a fake pool of buffers. */
class BgBufferSyncTest {
    /** A pool of n buffers: each dirty or clean, recently used or not; the clock hand moves by allocations. */
    static final class FakePool implements BgBufferSync.Pool {
        final boolean[] dirty;
        final boolean[] used;
        long hand;
        long allocations;
        final List<Integer> written = new ArrayList<>();

        FakePool(int n) {
            dirty = new boolean[n];
            used = new boolean[n];
        }

        @Override
        public int bufferCount() {
            return dirty.length;
        }

        @Override
        public BufferManager.ClockPosition clockPosition() {
            return new BufferManager.ClockPosition((int) (hand % dirty.length) + 1, hand / dirty.length, allocations);
        }

        @Override
        public int syncOneBuffer(int index) {
            if (used[index]) {
                return 0;
            }
            if (dirty[index]) {
                dirty[index] = false;
                written.add(index);
                return BufferManager.BUF_WRITTEN | BufferManager.BUF_REUSABLE;
            }
            return BufferManager.BUF_REUSABLE;
        }

        void allocate(int count) {
            hand += count;
            allocations += count;
        }
    }

    @Test
    void writesDirtyUnusedBuffersAheadOfTheHand() {
        FakePool pool = new FakePool(1000);
        for (int i = 0; i < 1000; i++) {
            pool.dirty[i] = true;
            pool.used[i] = i % 2 == 1; // every other buffer recently used
        }
        BgBufferSync sync = new BgBufferSync(pool);
        sync.round(100, 2.0, 200); // first round: learns the hand
        pool.written.clear();
        pool.allocate(50);
        BgBufferSync.Round r = sync.round(100, 2.0, 200);
        // 50 recent allocations * multiplier 2: about 100 reusable buffers wanted, found ahead of the hand
        assertTrue(r.written() > 0);
        assertTrue(pool.written.stream().allMatch(i -> i % 2 == 0), "recently used buffers are skipped");
        assertTrue(pool.written.stream().allMatch(i -> i >= 50), "from the hand on: " + pool.written);
    }

    @Test
    void stopsAtBgwriterLruMaxpages() {
        FakePool pool = new FakePool(1000);
        java.util.Arrays.fill(pool.dirty, true);
        BgBufferSync sync = new BgBufferSync(pool);
        sync.round(10, 2.0, 200);
        pool.allocate(400);
        BgBufferSync.Round r = sync.round(10, 2.0, 200);
        assertEquals(10, r.written());
        assertTrue(r.hitMaxPages(), "maxwritten_clean counts this round");
    }

    @Test
    void idleRoundsScanSlowlyAndMayHibernate() {
        FakePool pool = new FakePool(12000);
        java.util.Arrays.fill(pool.dirty, true);
        BgBufferSync sync = new BgBufferSync(pool);
        BgBufferSync.Round first = sync.round(1000, 2.0, 200);
        // no allocations: the minimum scan is NBuffers / (120 s / 200 ms) = 20 buffers a round
        assertEquals(20, first.written());
        assertFalse(first.canHibernate());
        assertEquals(0, sync.round(0, 2.0, 200).written(), "bgwriter_lru_maxpages 0 turns it off");
    }
}
