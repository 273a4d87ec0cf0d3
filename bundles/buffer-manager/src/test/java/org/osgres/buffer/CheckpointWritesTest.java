package org.osgres.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.buffer.BufferManager;
import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.Page;
import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.wal.WalFlush;

/**
 * The checkpointer's and background writer's part of the buffer pool: BufferSync's marking pass
 * (beginCheckpoint) and paced writes (writeIfCheckpointNeeded), SyncOneBuffer for the
 * background writer, the sync queue, the clock position and backend write counts.
 */
class CheckpointWritesTest {
    static final RelFileLocator A = RelFileLocator.of(5, 16384);
    static final RelFileLocator B = RelFileLocator.of(5, 16390);

    /** Records the LSNs flushed, and the smgr writes seen after each flush, to check WAL-before-data. */
    static final class RecordingWal implements WalFlush {
        final List<Long> flushed = new ArrayList<>();
        long flushedUpTo;

        @Override
        public synchronized void flush(long lsn) {
            flushed.add(lsn);
            flushedUpTo = Math.max(flushedUpTo, lsn);
        }

        @Override
        public synchronized long flushedUpTo() {
            return flushedUpTo;
        }
    }

    static void dirty(BufferManager bm, RelFileLocator rel, long block, long lsn) {
        int b = bm.pin(rel, ForkNumber.MAIN, block);
        try {
            bm.lockExclusive(b);
            ByteBuffer p = bm.page(b);
            if (Page.isNew(p)) {
                Page.init(p, 0);
            }
            p.putLong(100, lsn);
            Page.setLsn(p, lsn);
            bm.markDirty(b);
            bm.unlock(b);
        } finally {
            bm.unpin(b);
        }
    }

    static int bufferOf(BufferManager bm, RelFileLocator rel, long block) {
        int b = bm.pin(rel, ForkNumber.MAIN, block);
        bm.unpin(b);
        return b;
    }

    @Test
    void beginCheckpointMarksDirtyBuffersInTagOrder(@TempDir Path dir) {
        RecordingWal wal = new RecordingWal();
        SharedBufferPool bm = SharedBufferPoolTest.pool(dir, 32, RelationStorage.RELSEG_SIZE, wal);
        bm.create(A, ForkNumber.MAIN);
        bm.create(B, ForkNumber.MAIN);
        // B's blocks first, A's after, block 1 before block 0: the marking pass sorts by tag
        for (RelFileLocator rel : List.of(B, A)) {
            SharedBufferPoolTest.appendBlock(bm, rel, 1);
            SharedBufferPoolTest.appendBlock(bm, rel, 2);
        }
        bm.flushDirty();
        wal.flushed.clear();
        dirty(bm, B, 1, 0x500);
        dirty(bm, A, 1, 0x400);
        dirty(bm, A, 0, 0x300);
        int[] marked = bm.beginCheckpoint();
        assertArrayEquals(new int[] {bufferOf(bm, A, 0), bufferOf(bm, A, 1), bufferOf(bm, B, 1)}, marked);

        // a page dirtied after the marking pass is not part of this checkpoint
        dirty(bm, B, 0, 0x600);
        int written = 0;
        for (int b : marked) {
            written += bm.writeIfCheckpointNeeded(b) ? 1 : 0;
        }
        assertEquals(3, written);
        assertEquals(List.of(0x300L, 0x400L, 0x500L), wal.flushed, "each page's LSN is flushed before its write");
        assertFalse(bm.writeIfCheckpointNeeded(marked[0]), "written once: the flag is gone");
        assertFalse(bm.writeIfCheckpointNeeded(bufferOf(bm, B, 0)), "not marked: left for the next checkpoint");
        assertEquals(1, bm.beginCheckpoint().length, "B block 0 is still dirty");

        BufferManager.SyncResult sync = bm.syncPendingFiles();
        assertEquals(2, sync.files(), "the two relation files written since the last sync");
        assertTrue(sync.longestNanos() <= sync.totalNanos());
        assertEquals(0, bm.syncPendingFiles().files(), "the queue is empty after a sync");
        bm.deactivate();
    }

    @Test
    void aBufferWrittenByABackendMeanwhileIsNotWrittenAgain(@TempDir Path dir) {
        RecordingWal wal = new RecordingWal();
        SharedBufferPool bm = SharedBufferPoolTest.pool(dir, 16, RelationStorage.RELSEG_SIZE, wal);
        bm.create(A, ForkNumber.MAIN);
        SharedBufferPoolTest.appendBlock(bm, A, 7);
        int[] marked = bm.beginCheckpoint();
        assertEquals(1, marked.length);
        bm.flushRelation(A); // a backend writes it first
        assertFalse(bm.writeIfCheckpointNeeded(marked[0]));
        assertEquals(1, bm.backendWrites().writes(), "the relation flush counts as a backend write");
        bm.deactivate();
    }

    @Test
    void syncOneBufferSkipsRecentlyUsedAndWritesReusable(@TempDir Path dir) {
        SharedBufferPool bm = SharedBufferPoolTest.pool(dir, 16, RelationStorage.RELSEG_SIZE, new RecordingWal());
        bm.create(A, ForkNumber.MAIN);
        SharedBufferPoolTest.appendBlock(bm, A, 1);
        int b = bufferOf(bm, A, 0);
        // extend + pin: usage count above zero, so the LRU scan leaves it alone
        assertEquals(0, bm.syncOneBuffer(b, true));
        // without skipRecentlyUsed (a checkpoint-style write) it is written, but not reusable
        assertEquals(BufferManager.BUF_WRITTEN, bm.syncOneBuffer(b, false));
        assertEquals(0, bm.syncOneBuffer(b, false), "clean now: nothing to write");
        bm.deactivate();
    }

    @Test
    void clockPositionCountsAllocationsAndPasses(@TempDir Path dir) {
        SharedBufferPool bm = SharedBufferPoolTest.pool(dir, 16, RelationStorage.RELSEG_SIZE, new RecordingWal());
        bm.create(A, ForkNumber.MAIN);
        BufferManager.ClockPosition start = bm.clockPosition();
        assertEquals(0, start.allocations());
        for (int i = 0; i < 20; i++) {
            SharedBufferPoolTest.appendBlock(bm, A, i);
        }
        BufferManager.ClockPosition now = bm.clockPosition();
        assertEquals(20, now.allocations());
        assertTrue(now.completePasses() >= 1, "20 allocations over 16 buffers went round at least once");
        assertTrue(now.nextVictimBuffer() >= 1 && now.nextVictimBuffer() <= 16);
        assertTrue(bm.backendWrites().writes() >= 4, "victims written by the backends themselves");
        bm.deactivate();
    }
}
