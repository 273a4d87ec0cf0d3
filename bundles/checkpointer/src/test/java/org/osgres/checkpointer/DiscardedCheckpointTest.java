package org.osgres.checkpointer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.buffer.BufferManager;
import org.osgres.api.checkpoint.CheckpointRequest;
import org.osgres.api.clog.CommitLog;
import org.osgres.api.shmem.SharedMemory;
import org.osgres.api.wal.ControlFileData;
import org.osgres.api.wal.ControlFileData.CheckPoint;
import org.osgres.api.wal.ControlFileData.DbState;
import org.osgres.api.wal.WalInsert;
import org.osgres.testing.TestSettings;

/** A checkpoint in a checkpointer that has not yet noticed a crash removes no WAL segment. */
class DiscardedCheckpointTest {
    static final long SEG = CheckpointSchedule.WAL_SEGMENT_SIZE;

    @TempDir
    Path dir;
    final AtomicBoolean discarded = new AtomicBoolean();

    /** A proxy of the interface answering from {@code answers} by method name, else with a zero. */
    @SuppressWarnings("unchecked")
    static <T> T fake(Class<T> type, Map<String, java.util.function.Supplier<Object>> answers) {
        InvocationHandler h = (proxy, method, args) -> {
            var answer = answers.get(method.getName());
            if (answer != null) {
                return answer.get();
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            Class<?> r = method.getReturnType();
            return r == long.class ? 0L : r == int.class ? 0 : r == boolean.class ? false : null;
        };
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h);
    }

    /** Runs one IMMEDIATE checkpoint whose redo point is in segment 5; {@code crashAfterRecord} discards right after its record. */
    TreeSet<Long> checkpoint(boolean crashAfterRecord) throws IOException {
        Path wal = WalSegmentRemovalTest.pgWal(dir, 1, 2, 3, 4, 5, 6);
        TestSettings settings = new TestSettings(dir, Map.of("log_checkpoints", "off", "checkpoint_completion_target",
                "0.9", "checkpoint_timeout", "300", "max_wal_size", "1024", "min_wal_size", "80", "wal_keep_size", "0",
                "archive_mode", "off", "wal_recycle", "off", "checkpoint_warning", "30"));
        ControlFileData control = new ControlFileData(1, ControlFileData.PG_CONTROL_VERSION,
                ControlFileData.CATALOG_VERSION_NO, DbState.DB_IN_PRODUCTION, 0, SEG,
                new CheckPoint(SEG, 1, 1, true, 1000, 20000, 3, 0));
        WalInsert walInsert = fake(WalInsert.class, Map.of(
                "insertLsn", () -> 6 * SEG + 100,
                "startCheckpoint", () -> 5 * SEG + 100,
                "controlFile", () -> control,
                "timeline", () -> 1,
                "writeCheckpointRecord", () -> {
                    discarded.set(crashAfterRecord); // the postmaster's reset, right after the record
                    return 5 * SEG + 200;
                }));
        BufferManager buffers = fake(BufferManager.class, Map.of(
                "beginCheckpoint", () -> new int[0],
                "syncPendingFiles", () -> new BufferManager.SyncResult(0, 0, 0),
                "bufferCount", () -> 16));
        CommitLog clog = fake(CommitLog.class, Map.of());
        SharedMemory shmem = fake(SharedMemory.class, Map.of("discarded", discarded::get));
        PgStatBgwriter stats = new PgStatBgwriter(buffers);
        Checkpointer checkpointer = new Checkpointer(settings, shmem, walInsert, buffers, clog, stats, () -> null);
        CreateCheckpoint creator = new CreateCheckpoint(settings, walInsert, buffers, clog, stats, checkpointer,
                discarded::get);
        creator.run(CheckpointRequest.CHECKPOINT_IMMEDIATE | CheckpointRequest.CHECKPOINT_FORCE, null);
        return WalSegmentRemovalTest.segments(wal);
    }

    @Test
    void anOrdinaryCheckpointRemovesTheSegmentsBeforeItsRedoPoint() throws IOException {
        assertEquals(new TreeSet<>(List.of(5L, 6L)), checkpoint(false));
    }

    @Test
    void aCheckpointPastItsRecordWhenTheCrashCameRemovesNone() throws IOException {
        assertEquals(new TreeSet<>(List.of(1L, 2L, 3L, 4L, 5L, 6L)), checkpoint(true));
    }

    @Test
    void aRemovalInProgressStopsAtTheDiscard() throws IOException {
        Path wal = WalSegmentRemovalTest.pgWal(dir, 1, 2, 3, 4, 5, 6);
        AtomicInteger asked = new AtomicInteger();
        WalSegmentRemoval.Result r = new WalSegmentRemoval(wal, 1, () -> asked.incrementAndGet() > 1)
                .removeOldSegments(5 * SEG + 100, 5 * SEG + 200, 0, WalSegmentRemovalTest.NO_RECYCLE);
        assertEquals(new WalSegmentRemoval.Result(1, 0), r, "the first segment went before the crash, no other");
        assertEquals(new TreeSet<>(List.of(2L, 3L, 4L, 5L, 6L)), WalSegmentRemovalTest.segments(wal));
    }
}
