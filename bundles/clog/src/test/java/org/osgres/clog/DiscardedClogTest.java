package org.osgres.clog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.clog.XidStatus;
import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.error.SqlState;
import org.osgres.shmem.SharedMemoryArea;
import org.osgres.testing.DiscardableSharedMemory;

/** After a crash the postmaster discards the shared memory: the commit log then writes nothing. */
class DiscardedClogTest {
    static final int PAGE = ClogTest.PAGE;

    static DiscardableSharedMemory shmem() {
        return new DiscardableSharedMemory(new SharedMemoryArea(1 << 20, 1 << 20));
    }

    static Map<String, byte[]> files(Path pgXact) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (var list = Files.list(pgXact)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                out.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    static void assertSameFiles(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String name : expected.keySet()) {
            assertArrayEquals(expected.get(name), actual.get(name), name);
        }
    }

    static void assertCrashShutdown(Executable write) {
        PgException e = assertThrows(PgException.class, write);
        assertEquals(SqlState.CRASH_SHUTDOWN, e.sqlState());
        assertEquals(Severity.FATAL, e.severity());
    }

    @Test
    void deactivationAfterADiscardWritesNoPage(@TempDir Path dir) throws IOException {
        DiscardableSharedMemory shm = shmem();
        Clog clog = new Clog(shm, 4, dir.resolve("pg_xact"), ClogTest.NO_WAL);
        clog.extend(3);
        clog.setStatus(3, XidStatus.COMMITTED, 0);
        clog.checkpoint();
        Map<String, byte[]> onDisk = files(dir.resolve("pg_xact"));
        clog.setStatus(4, XidStatus.COMMITTED, 0);

        shm.discard();
        clog.deactivate();

        assertSameFiles(onDisk, files(dir.resolve("pg_xact")));
        Clog next = new Clog(shmem(), 4, dir.resolve("pg_xact"), ClogTest.NO_WAL);
        assertEquals(XidStatus.COMMITTED, next.status(3));
        assertEquals(XidStatus.IN_PROGRESS, next.status(4), "the status set after the last write is redo's to set again");
    }

    @Test
    void writesAfterADiscardAreRefusedAndWriteNothing(@TempDir Path dir) throws IOException {
        DiscardableSharedMemory shm = shmem();
        Clog clog = new Clog(shm, 4, dir.resolve("pg_xact"), ClogTest.NO_WAL);
        clog.extend(3);
        for (int p = 1; p <= 33; p++) { // segments 0000 and 0001
            clog.extend(p * PAGE);
        }
        clog.checkpoint();
        for (int p = 30; p <= 33; p++) { // every buffer dirty
            clog.setStatus(p * PAGE + 1, XidStatus.COMMITTED, 0);
        }
        Map<String, byte[]> onDisk = files(dir.resolve("pg_xact"));

        shm.discard();

        assertCrashShutdown(clog::checkpoint);
        assertCrashShutdown(() -> clog.extend(34 * PAGE)); // needs a victim: all are dirty
        assertCrashShutdown(() -> clog.status(5)); // reading page 0 in needs a victim too
        assertCrashShutdown(() -> clog.truncate(33 * PAGE));
        assertSameFiles(onDisk, files(dir.resolve("pg_xact")));
    }
}
