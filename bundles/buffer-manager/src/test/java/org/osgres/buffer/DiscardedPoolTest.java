package org.osgres.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.error.SqlState;
import org.osgres.shmem.SharedMemoryArea;
import org.osgres.shmem.ShmemSizing;
import org.osgres.testing.DiscardableSharedMemory;

/** After a crash the postmaster discards the shared memory: the pool then writes nothing. */
class DiscardedPoolTest {
    static final int N_BUFFERS = 4;

    static DiscardableSharedMemory shmem() {
        return new DiscardableSharedMemory(new SharedMemoryArea(ShmemSizing.of(N_BUFFERS, -1, 10).total(),
                SharedMemoryArea.DEFAULT_CHUNK_SIZE));
    }

    /** Sets the value of a resident block and marks it dirty. */
    static void change(SharedBufferPool bm, long block, long value) {
        int b = bm.pin(SharedBufferPoolTest.REL, ForkNumber.MAIN, block);
        try {
            bm.lockExclusive(b);
            bm.page(b).putLong(100, value);
            bm.markDirty(b);
            bm.unlock(b);
        } finally {
            bm.unpin(b);
        }
    }

    static void assertCrashShutdown(Executable write) {
        PgException e = assertThrows(PgException.class, write);
        assertEquals(SqlState.CRASH_SHUTDOWN, e.sqlState());
        assertEquals(Severity.FATAL, e.severity());
        assertEquals("terminating connection because of crash of another server process", e.getMessage());
    }

    @Test
    void deactivationAfterADiscardWritesNoDirtyBuffer(@TempDir Path dir) throws IOException {
        DiscardableSharedMemory shm = shmem();
        SharedBufferPool bm = SharedBufferPool.create(shm, N_BUFFERS, dir, RelationStorage.RELSEG_SIZE,
                SharedBufferPoolTest.NO_WAL);
        bm.create(SharedBufferPoolTest.REL, ForkNumber.MAIN);
        SharedBufferPoolTest.appendBlock(bm, SharedBufferPoolTest.REL, 1000);
        bm.flushDirty();
        Path file = dir.resolve("base/5/16384");
        byte[] onDisk = Files.readAllBytes(file);
        change(bm, 0, 2000);

        shm.discard();
        bm.deactivate();

        assertArrayEquals(onDisk, Files.readAllBytes(file), "the dirty page is not written");
        SharedBufferPool next = SharedBufferPool.create(shmem(), N_BUFFERS, dir, RelationStorage.RELSEG_SIZE,
                SharedBufferPoolTest.NO_WAL);
        assertEquals(1000, SharedBufferPoolTest.readValue(next, SharedBufferPoolTest.REL, 0));
    }

    @Test
    void everyWriteAfterADiscardIsRefusedAndWritesNothing(@TempDir Path dir) throws IOException {
        DiscardableSharedMemory shm = shmem();
        SharedBufferPool bm = SharedBufferPool.create(shm, N_BUFFERS, dir, RelationStorage.RELSEG_SIZE,
                SharedBufferPoolTest.NO_WAL);
        bm.create(SharedBufferPoolTest.REL, ForkNumber.MAIN);
        for (int i = 0; i < N_BUFFERS; i++) {
            SharedBufferPoolTest.appendBlock(bm, SharedBufferPoolTest.REL, 1000 + i);
        }
        bm.flushDirty();
        Path file = dir.resolve("base/5/16384");
        byte[] onDisk = Files.readAllBytes(file);
        for (int i = 0; i < N_BUFFERS; i++) {
            change(bm, i, 2000 + i); // every buffer dirty: a miss must evict a dirty victim
        }
        int[] marked = bm.beginCheckpoint();
        assertEquals(N_BUFFERS, marked.length);

        shm.discard();

        assertCrashShutdown(bm::flushDirty);
        assertCrashShutdown(() -> bm.flushRelation(SharedBufferPoolTest.REL));
        assertCrashShutdown(() -> bm.writeIfCheckpointNeeded(marked[0]));
        assertCrashShutdown(() -> bm.syncOneBuffer(marked[1], false));
        assertCrashShutdown(() -> bm.extend(SharedBufferPoolTest.REL, ForkNumber.MAIN));
        assertCrashShutdown(() -> bm.truncate(SharedBufferPoolTest.REL, ForkNumber.MAIN, 1));
        assertCrashShutdown(() -> bm.dropRelation(SharedBufferPoolTest.REL));
        assertCrashShutdown(() -> bm.create(SharedBufferPoolTest.REL, ForkNumber.FSM));
        // a read needing a buffer finds only dirty victims: evicting one would write it
        Files.write(dir.resolve("base/5/16385"), new byte[8192]);
        assertCrashShutdown(() -> bm.pin(org.osgres.api.buffer.RelFileLocator.of(5, 16385), ForkNumber.MAIN, 0));

        assertArrayEquals(onDisk, Files.readAllBytes(file), "no page written, the file neither extended nor truncated");
        assertTrue(Files.exists(file));
        assertTrue(!Files.exists(dir.resolve("base/5/16384_fsm")));
        bm.deactivate();
        assertArrayEquals(onDisk, Files.readAllBytes(file));
    }
}
