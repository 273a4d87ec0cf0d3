package org.osgres.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.buffer.BufferManager;
import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.Page;
import org.osgres.api.buffer.ReadMode;
import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.error.PgException;
import org.osgres.api.wal.WalFlush;
import org.osgres.shmem.SharedMemoryArea;
import org.osgres.shmem.ShmemSizing;

class SharedBufferPoolTest {
    static final RelFileLocator REL = RelFileLocator.of(5, 16384);

    static SharedBufferPool pool(Path dir, int nBuffers, int blocksPerSegment, WalFlush wal) {
        SharedMemoryArea shm = new SharedMemoryArea(ShmemSizing.of(nBuffers, -1, 10).total(), SharedMemoryArea.DEFAULT_CHUNK_SIZE);
        return SharedBufferPool.create(shm, nBuffers, dir, blocksPerSegment, wal);
    }

    static final WalFlush NO_WAL = new NoWalFlush();

    /** Appends a block holding {@code value} at byte 100, after a formatted page header. */
    static long appendBlock(BufferManager bm, RelFileLocator rel, long value) {
        int b = bm.extend(rel, ForkNumber.MAIN);
        try {
            bm.lockExclusive(b);
            ByteBuffer p = bm.page(b);
            assertTrue(Page.isNew(p));
            Page.init(p, 0);
            p.putLong(100, value);
            bm.markDirty(b);
            bm.unlock(b);
            return bm.blockNumber(b);
        } finally {
            bm.unpin(b);
        }
    }

    static long readValue(BufferManager bm, RelFileLocator rel, long block) {
        int b = bm.pin(rel, ForkNumber.MAIN, block);
        try {
            bm.lockShared(b);
            try {
                return bm.page(b).getLong(100);
            } finally {
                bm.unlock(b);
            }
        } finally {
            bm.unpin(b);
        }
    }

    @Test
    void pagesSurviveFlushAndANewPool(@TempDir Path dir) throws IOException {
        SharedBufferPool bm = pool(dir, 16, RelationStorage.RELSEG_SIZE, NO_WAL);
        bm.create(REL, ForkNumber.MAIN);
        assertTrue(bm.exists(REL, ForkNumber.MAIN));
        assertFalse(bm.exists(REL, ForkNumber.FSM));
        assertEquals(0, bm.nblocks(REL, ForkNumber.MAIN));
        for (int i = 0; i < 3; i++) {
            assertEquals(i, appendBlock(bm, REL, 1000 + i));
        }
        assertEquals(3, bm.nblocks(REL, ForkNumber.MAIN));
        bm.flushDirty();
        byte[] file = Files.readAllBytes(dir.resolve("base/5/16384"));
        assertEquals(3 * 8192, file.length);
        ByteBuffer second = ByteBuffer.wrap(file, 8192, 8192).slice().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1001, second.getLong(100));
        assertEquals(8192 | 4, Short.toUnsignedInt(second.getShort(18)), "pd_pagesize_version on disk");
        bm.deactivate();

        SharedBufferPool again = pool(dir, 16, RelationStorage.RELSEG_SIZE, NO_WAL);
        assertEquals(1002, readValue(again, REL, 2));
        assertEquals(1000, readValue(again, REL, 0));
        assertEquals(new BufferManager.Stats(0, 2, 0), again.stats());
        assertEquals(1002, readValue(again, REL, 2));
        assertEquals(1, again.stats().hits());
    }

    @Test
    void readingPastTheEndIsPostgresError(@TempDir Path dir) {
        SharedBufferPool bm = pool(dir, 16, RelationStorage.RELSEG_SIZE, NO_WAL);
        PgException e = assertThrows(PgException.class, () -> bm.pin(REL, ForkNumber.MAIN, 0));
        assertEquals("58P01", e.sqlState().code());
        assertEquals("could not open file \"base/5/16384\": No such file or directory", e.getMessage());
        bm.create(REL, ForkNumber.MAIN);
        appendBlock(bm, REL, 1);
        e = assertThrows(PgException.class, () -> bm.pin(REL, ForkNumber.MAIN, 5));
        assertEquals("XX001", e.sqlState().code());
        assertEquals("could not read block 5 in file \"base/5/16384\": read only 0 of 8192 bytes", e.getMessage());
        // the failed buffer is reusable and the error repeats, no hang
        assertThrows(PgException.class, () -> bm.pin(REL, ForkNumber.MAIN, 5));
        // ZERO mode gives a zeroed page past the end; writing it out extends the file
        int b = bm.pin(REL, ForkNumber.MAIN, 1, ReadMode.ZERO);
        bm.lockExclusive(b);
        Page.init(bm.page(b), 0);
        bm.markDirty(b);
        bm.unlock(b);
        bm.unpin(b);
        bm.flushDirty();
        assertEquals(2, bm.nblocks(REL, ForkNumber.MAIN));
    }

    @Test
    void pinsLeftBehindByOneBackendAreReleasedForItAndNoOneElse(@TempDir Path dir) throws Exception {
        SharedBufferPool bm = pool(dir, 16, RelationStorage.RELSEG_SIZE, NO_WAL);
        bm.create(REL, ForkNumber.MAIN);
        for (int i = 0; i < 17; i++) {
            appendBlock(bm, REL, i);
        }
        // another backend (thread) holds one pin it keeps
        int[] theirs = new int[1];
        Thread other = Thread.ofVirtual().start(() -> theirs[0] = bm.pin(REL, ForkNumber.MAIN, 0));
        other.join();
        // this backend pins the other 15 buffers (one of them twice) and "fails" without unpinning
        for (int i = 1; i < 16; i++) {
            bm.pin(REL, ForkNumber.MAIN, i);
        }
        bm.pin(REL, ForkNumber.MAIN, 1);
        assertThrows(PgException.class, () -> bm.pin(REL, ForkNumber.MAIN, 16));
        assertEquals(16, bm.releaseAllPins());
        assertEquals(0, bm.releaseAllPins(), "nothing is released twice");
        assertEquals(16L, readValue(bm, REL, 16), "the released buffers can be evicted again");
        PgException e = assertThrows(PgException.class, () -> bm.unpin(theirs[0]));
        assertEquals("buffer " + theirs[0] + " is not owned by resource owner", e.getMessage());
    }

    @Test
    void everyBufferPinnedIsAnErrorNotAHang(@TempDir Path dir) {
        SharedBufferPool bm = pool(dir, 16, RelationStorage.RELSEG_SIZE, NO_WAL);
        bm.create(REL, ForkNumber.MAIN);
        for (int i = 0; i < 17; i++) {
            appendBlock(bm, REL, i);
        }
        List<Integer> pinned = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            pinned.add(bm.pin(REL, ForkNumber.MAIN, i));
        }
        PgException e = assertThrows(PgException.class, () -> bm.pin(REL, ForkNumber.MAIN, 16));
        assertEquals("XX000", e.sqlState().code());
        assertEquals("no unpinned buffers available", e.getMessage());
        assertEquals(0L, readValue(bm, REL, 0), "a page already in the pool is still a hit");
        bm.unpin(pinned.remove(5));
        assertEquals(16L, readValue(bm, REL, 16));
        pinned.forEach(bm::unpin);
        e = assertThrows(PgException.class, () -> bm.unpin(pinned.get(0)));
        assertEquals("buffer " + pinned.get(0) + " is not pinned", e.getMessage());
        e = assertThrows(PgException.class, () -> bm.unpin(17));
        assertEquals("bad buffer ID: 17", e.getMessage());
    }

    @Test
    void walIsFlushedUpToThePageLsnBeforeThePageIsWritten(@TempDir Path dir) {
        List<String> events = new ArrayList<>();
        Path file = dir.resolve("base/5/16384");
        WalFlush wal = new WalFlush() {
            @Override
            public void flush(long lsn) {
                try {
                    long onDisk = Files.size(file) >= 8192 ? ByteBuffer.wrap(Files.readAllBytes(file))
                            .order(ByteOrder.LITTLE_ENDIAN).getLong(100) : -1;
                    events.add("flush " + Long.toHexString(lsn) + " disk=" + onDisk);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public long flushedUpTo() {
                return 0;
            }
        };
        SharedBufferPool bm = pool(dir, 16, RelationStorage.RELSEG_SIZE, wal);
        bm.create(REL, ForkNumber.MAIN);
        int b = bm.extend(REL, ForkNumber.MAIN);
        bm.lockExclusive(b);
        ByteBuffer p = bm.page(b);
        Page.init(p, 0);
        p.putLong(100, 42);
        Page.setLsn(p, 0x1_0000_0028L);
        assertEquals(0x1_0000_0028L, Page.lsn(p));
        assertEquals(1, p.getInt(0), "xlogid, the high half, comes first");
        bm.markDirty(b);
        bm.unlock(b);
        bm.unpin(b);
        // evict it: 16 more blocks through the pool
        for (int i = 0; i < 16; i++) {
            appendBlock(bm, REL, i);
        }
        assertEquals("flush 100000028 disk=0", events.get(0), "WAL flushed before the page reached the file");
        assertEquals(42, readValue(bm, REL, 0));
    }

    @Test
    void segmentsOfAFork(@TempDir Path dir) throws IOException {
        SharedBufferPool bm = pool(dir, 16, 4, NO_WAL);
        bm.create(REL, ForkNumber.MAIN);
        for (int i = 0; i < 10; i++) {
            appendBlock(bm, REL, 500 + i);
        }
        bm.flushDirty();
        assertEquals(4 * 8192, Files.size(dir.resolve("base/5/16384")));
        assertEquals(4 * 8192, Files.size(dir.resolve("base/5/16384.1")));
        assertEquals(2 * 8192, Files.size(dir.resolve("base/5/16384.2")));
        assertEquals(10, bm.nblocks(REL, ForkNumber.MAIN));
        bm.truncate(REL, ForkNumber.MAIN, 5);
        assertEquals(5, bm.nblocks(REL, ForkNumber.MAIN));
        assertFalse(Files.exists(dir.resolve("base/5/16384.2")));
        assertEquals(8192, Files.size(dir.resolve("base/5/16384.1")));
        assertEquals(504, readValue(bm, REL, 4));
        PgException e = assertThrows(PgException.class, () -> bm.pin(REL, ForkNumber.MAIN, 9));
        assertEquals("could not open file \"base/5/16384.2\" (target block 9): previous segment is only 1 blocks",
                e.getMessage());
        // the other forks have their own files
        bm.create(REL, ForkNumber.FSM);
        int b = bm.extend(REL, ForkNumber.FSM);
        bm.unpin(b);
        assertTrue(Files.exists(dir.resolve("base/5/16384_fsm")));
        bm.dropRelation(REL);
        try (var files = Files.list(dir.resolve("base/5"))) {
            assertEquals(0, files.count(), "every fork and segment removed");
        }
        assertFalse(bm.exists(REL, ForkNumber.MAIN));
    }

    @Test
    void droppingAPinnedRelationIsRefused(@TempDir Path dir) {
        SharedBufferPool bm = pool(dir, 16, RelationStorage.RELSEG_SIZE, NO_WAL);
        bm.create(REL, ForkNumber.MAIN);
        appendBlock(bm, REL, 7);
        int b = bm.pin(REL, ForkNumber.MAIN, 0);
        PgException e = assertThrows(PgException.class, () -> bm.dropRelation(REL));
        assertEquals("55006", e.sqlState().code());
        bm.unpin(b);
        bm.dropRelation(REL);
        bm.create(REL, ForkNumber.MAIN);
        assertEquals(0, bm.nblocks(REL, ForkNumber.MAIN));
        assertEquals(0, appendBlock(bm, REL, 8));
        assertEquals(8, readValue(bm, REL, 0), "no stale buffer of the dropped relation");
    }

    @Test
    void relationPathsAsPostgres() {
        assertEquals("base/5/16384", RelationStorage.relpath(REL, ForkNumber.MAIN));
        assertEquals("base/5/16384_vm", RelationStorage.relpath(REL, ForkNumber.VISIBILITYMAP));
        assertEquals("global/1262", RelationStorage.relpath(new RelFileLocator(1664, 0, 1262), ForkNumber.MAIN));
        assertEquals("pg_tblspc/16500/PG_15_202209061/5/16384_init",
                RelationStorage.relpath(new RelFileLocator(16500, 5, 16384), ForkNumber.INIT));
        assertEquals("base/5/4294967295.3", RelationStorage.segpath(RelFileLocator.of(5, -1), ForkNumber.MAIN, 3));
    }

    @Test
    void contentLocks(@TempDir Path dir) throws Exception {
        SharedBufferPool bm = pool(dir, 16, RelationStorage.RELSEG_SIZE, NO_WAL);
        bm.create(REL, ForkNumber.MAIN);
        appendBlock(bm, REL, 1);
        int b = bm.pin(REL, ForkNumber.MAIN, 0);
        bm.lockShared(b);
        boolean[] got = new boolean[1];
        Thread t = Thread.ofVirtual().start(() -> got[0] = bm.tryLockExclusive(b));
        t.join();
        assertFalse(got[0], "share lock held elsewhere");
        bm.unlock(b);
        assertTrue(bm.tryLockExclusive(b));
        bm.unlock(b);
        PgException e = assertThrows(PgException.class, () -> bm.unlock(b));
        assertEquals("content lock of buffer " + b + " is not held", e.getMessage());
        bm.unpin(b);
        assertNotEquals(0, b);
        e = assertThrows(PgException.class, () -> bm.lockShared(b));
        assertEquals("buffer " + b + " is not pinned", e.getMessage());
        assertArrayEquals(new long[] {1}, new long[] {readValue(bm, REL, 0)});
    }

    /** A hint under a share lock dirties the buffer: the page goes out at the next flush. */
    @Test
    void aHintMadeUnderAShareLockIsWrittenOut(@TempDir Path dir) {
        SharedBufferPool bm = pool(dir, 16, RelationStorage.RELSEG_SIZE, NO_WAL);
        bm.create(REL, ForkNumber.MAIN);
        appendBlock(bm, REL, 1);
        bm.flushDirty();
        long writes = bm.stats().writes();
        int b = bm.pin(REL, ForkNumber.MAIN, 0);
        bm.lockShared(b);
        bm.page(b).putLong(100, 2);
        bm.markDirtyHint(b);
        bm.unlock(b);
        bm.unpin(b);
        bm.flushDirty();
        assertEquals(writes + 1, bm.stats().writes());
        SharedBufferPool again = pool(dir, 16, RelationStorage.RELSEG_SIZE, NO_WAL);
        assertEquals(2L, readValue(again, REL, 0));
    }
}
