package org.osgres.shmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.shmem.SharedMemory;
import org.osgres.api.shmem.SharedRegion;

class SharedMemoryAreaTest {

    @Test
    void sameNameSameRegionAndSharedBytes() {
        SharedMemoryArea shm = new SharedMemoryArea(1 << 20, 1 << 20);
        SharedRegion a = shm.region("Xact", 3 * 8192);
        assertSame(a, shm.region("Xact", 3 * 8192));
        ByteBuffer w = a.slice(8192, 8192);
        w.putLong(0, 0x1234_5678_9abc_def0L);
        assertEquals(0x1234_5678_9abc_def0L, a.slice(8192, 16).getLong(0), "two slices see the same memory");
        assertEquals(0L, a.slice(0, 8).getLong(0), "memory comes zeroed");
        PgException e = assertThrows(PgException.class, () -> shm.region("Xact", 8192));
        assertEquals("XX000", e.sqlState().code());
        assertEquals("ShmemIndex entry size is wrong for data structure \"Xact\": expected 8192, actual 24576", e.getMessage());
    }

    @Test
    void regionsAreAlignedAndListed() {
        SharedMemoryArea shm = new SharedMemoryArea(1 << 20, 1 << 20);
        shm.region("a", 100);
        shm.region("b", 8192);
        List<SharedMemory.Allocation> all = shm.allocations();
        assertEquals(List.of(new SharedMemory.Allocation("a", 0, 100, 100), new SharedMemory.Allocation("b", 8192, 8192, 8192)), all);
        assertEquals((1 << 20) - 16384, shm.freeBytes());
        assertEquals(1 << 20, shm.size());
    }

    @Test
    void exhaustingTheAreaIsFatal() {
        SharedMemoryArea shm = new SharedMemoryArea(64 * 1024, 64 * 1024);
        shm.region("first", 60 * 1024);
        PgException e = assertThrows(PgException.class, () -> shm.region("second", 8192));
        assertEquals("53200", e.sqlState().code());
        assertEquals(Severity.FATAL, e.severity());
        assertEquals("not enough shared memory for data structure \"second\" (8192 bytes requested)", e.getMessage());
    }

    @Test
    void regionsLargerThanAChunkSpanChunksByBlocks() {
        // chunks of 4 blocks; a region of 10 blocks spans three chunks, each 8 KB block sliceable
        SharedMemoryArea shm = new SharedMemoryArea(16 * 8192, 4 * 8192);
        SharedRegion small = shm.region("small", 100);
        SharedRegion big = shm.region("big", 10 * 8192);
        for (int i = 0; i < 10; i++) {
            big.slice(i * 8192L, 8192).putInt(0, i + 1);
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(i + 1, big.slice(i * 8192L, 8192).getInt(0));
        }
        assertThrows(IllegalArgumentException.class, () -> big.slice(2 * 8192, 3 * 8192), "crosses a chunk");
        assertThrows(IllegalArgumentException.class, big::buffer, "larger than one chunk");
        assertEquals(100, small.buffer().capacity());
        // a region that fits in one chunk moves to the next chunk rather than crossing
        SharedRegion three = shm.region("three", 3 * 8192);
        assertEquals(12 * 8192, shm.allocations().get(2).offset());
        assertEquals(3 * 8192, three.buffer().capacity());
        assertThrows(IndexOutOfBoundsException.class, () -> three.slice(2 * 8192, 8193));
    }

    @Test
    void sizingFollowsPostgresFormulas() {
        // shared_buffers = 128MB (16384 pages): 32 CLOG buffers, wal_buffers -1 means 512 pages (4MB)
        assertEquals(32, ShmemSizing.clogBuffers(16384));
        assertEquals(4, ShmemSizing.clogBuffers(16));
        assertEquals(128, ShmemSizing.clogBuffers(1 << 20));
        assertEquals(512, ShmemSizing.walBuffers(-1, 16384));
        assertEquals(8, ShmemSizing.walBuffers(-1, 16));
        assertEquals(2048, ShmemSizing.walBuffers(-1, 1 << 20));
        assertEquals(100, ShmemSizing.walBuffers(100, 16384));
        ShmemSizing s = ShmemSizing.of(16384, -1, 100 + 3 + 1 + 8 + 10);
        assertTrue(s.total() > 16384L * 8192 + 4 * 1024 * 1024, "pages, descriptors, WAL and more");
        assertTrue(s.total() < 150L * 1024 * 1024);
        assertEquals(0, s.total() % 8192);
        assertEquals(s.total(), s.total(SharedMemoryArea.DEFAULT_CHUNK_SIZE), "one chunk: no extra room");
        ShmemSizing big = ShmemSizing.of(4 * 131072, -1, 122);
        assertTrue(big.total(SharedMemoryArea.DEFAULT_CHUNK_SIZE) > big.total());
    }
}
