package org.osgres.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.error.SqlState;
import org.osgres.api.wal.ControlFileData.DbState;
import org.osgres.testing.DiscardableSharedMemory;
import org.osgres.testing.TestSettings;

/** After a crash the postmaster discards the shared memory: the WAL then writes nothing, pg_control neither. */
class DiscardedXlogTest {
    @TempDir
    Path dir;

    /** An Xlog over shared memory the test discards, started as the server starts it. */
    Xlog start(DiscardableSharedMemory shm, RecoveryTest.TestRedo redo) {
        TestSettings settings = WalTests.settings(dir);
        Xlog xlog = new Xlog(settings, shm, dir);
        StartupXLog startup = new StartupXLog(xlog, null, WalTests.NO_CLOG, ZoneId.of("UTC"));
        startup.addRedo(redo);
        startup.recover();
        return xlog;
    }

    /** Every file of pg_wal (archive_status included) and pg_control, by path. */
    Map<String, byte[]> walAndControl() throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (var files = Files.walk(dir.resolve("pg_wal"))) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p)) {
                    out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
                }
            }
        }
        out.put(ControlFile.PATH, Files.readAllBytes(dir.resolve(ControlFile.PATH)));
        return out;
    }

    static void assertSameFiles(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String name : expected.keySet()) {
            assertArrayEquals(expected.get(name), actual.get(name), name + " changed");
        }
    }

    static void assertCrashShutdown(Executable write) {
        PgException e = assertThrows(PgException.class, write);
        assertEquals(SqlState.CRASH_SHUTDOWN, e.sqlState());
        assertEquals(Severity.FATAL, e.severity());
    }

    @Test
    void deactivationAfterADiscardWritesNoShutdownCheckpoint() throws Exception {
        DiscardableSharedMemory shm = new DiscardableSharedMemory(WalTests.shmem());
        RecoveryTest.TestRedo redo = new RecoveryTest.TestRedo();
        Xlog xlog = start(shm, redo);
        long flushed = xlog.insert(WalTests.record(1, 100));
        xlog.flush(flushed);
        xlog.insert(WalTests.record(2, 100)); // in the WAL buffers only
        xlog.noteNextIds(1234, 20000);
        Map<String, byte[]> before = walAndControl();

        shm.discard();
        xlog.deactivate();

        assertSameFiles(before, walAndControl());
        assertEquals(DbState.DB_IN_PRODUCTION, ControlFile.read(dir).state(), "no shutdown checkpoint in pg_control");

        // the next start recovers what was flushed, and only that
        Xlog next = start(new DiscardableSharedMemory(WalTests.shmem()), redo);
        assertEquals(1, redo.seen.size());
        assertEquals(WalTests.record(1, 100).xid(), redo.seen.get(0).record().xid());
        assertEquals(flushed, redo.seen.get(0).end());
        next.deactivate();
    }

    @Test
    void writesAfterADiscardAreRefusedAndWriteNothing() throws Exception {
        DiscardableSharedMemory shm = new DiscardableSharedMemory(WalTests.shmem());
        Xlog xlog = start(shm, new RecoveryTest.TestRedo());
        long flushed = xlog.insert(WalTests.record(1, 100));
        xlog.flush(flushed);
        long pending = xlog.insert(WalTests.record(2, 20_000)); // spans pages
        xlog.flushAsync(pending);
        long redo = xlog.startCheckpoint();
        Map<String, byte[]> before = walAndControl();

        shm.discard();

        xlog.flush(flushed); // already durable: nothing to write, no error
        assertCrashShutdown(() -> xlog.flush(pending));
        assertCrashShutdown(() -> xlog.write(pending, false));
        assertFalse(xlog.backgroundFlush(), "the WAL writer does nothing");
        // a checkpoint in a checkpointer that has not noticed yet: neither its record nor pg_control
        assertCrashShutdown(() -> xlog.writeCheckpointRecord(redo, 1000, 20000, false));
        assertCrashShutdown(() -> xlog.updateControlFile(xlog.controlFile().with(DbState.DB_SHUTDOWNED, 0)));
        assertCrashShutdown(xlog::switchSegment);
        assertEquals(flushed, xlog.flushedUpTo());
        xlog.deactivate();

        assertSameFiles(before, walAndControl());
        assertTrue(ControlFile.read(dir).checkPoint() < flushed, "pg_control still names the checkpoint before");
    }
}
