package org.osgres.wal;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

import org.osgres.api.buffer.BufferManager;
import org.osgres.api.clog.CommitLog;
import org.osgres.api.clog.XidStatus;
import org.osgres.api.wal.Recovery;
import org.osgres.api.wal.WalRecord;
import org.osgres.shmem.SharedMemoryArea;
import org.osgres.testing.TestSettings;

/** Shared set-up of the wal tests: settings, a WAL over a temporary data directory, records. */
final class WalTests {
    private WalTests() {
    }

    static TestSettings settings(Path dir, String... overrides) {
        Map<String, String> v = new HashMap<>(Map.of("shared_buffers", "128", "wal_buffers", "-1", "fsync", "on",
                "wal_sync_method", "fdatasync", "full_page_writes", "on", "archive_mode", "off",
                "wal_writer_flush_after", "128", "wal_writer_delay", "200", "log_timezone", "UTC"));
        for (int i = 0; i < overrides.length; i += 2) {
            v.put(overrides[i], overrides[i + 1]);
        }
        return new TestSettings(dir, Map.copyOf(v));
    }

    static SharedMemoryArea shmem() {
        return new SharedMemoryArea(8L << 20, 8L << 20);
    }

    /** A commit log that does nothing: recovery's checkpoint calls it. */
    static final CommitLog NO_CLOG = new CommitLog() {
        @Override
        public XidStatus status(int xid) {
            return XidStatus.IN_PROGRESS;
        }

        @Override
        public void setTreeStatus(int xid, int[] subxids, XidStatus status, long lsn) {
        }

        @Override
        public void extend(int newestXid) {
        }

        @Override
        public void checkpoint() {
        }

        @Override
        public void truncate(int oldestXid) {
        }
    };

    /** An Xlog ready to insert, without a buffer pool (recovery must not need one). */
    static Started start(TestSettings settings, org.osgres.api.wal.WalRedo... redos) {
        return start(settings, (BufferManager) null, redos);
    }

    /** An Xlog ready to insert: started as the server starts it (recovery if needed). */
    static Started start(TestSettings settings, BufferManager buffers, org.osgres.api.wal.WalRedo... redos) {
        return start(settings, (x, m) -> buffers, redos);
    }

    /** As start(), with a buffer pool made over the new Xlog (its WalFlush) and the same shared memory. */
    static Started start(TestSettings settings, java.util.function.BiFunction<Xlog, SharedMemoryArea, BufferManager> pool,
            org.osgres.api.wal.WalRedo... redos) {
        SharedMemoryArea shmem = shmem();
        Xlog xlog = new Xlog(settings, shmem, settings.dataDirectory());
        BufferManager buffers = pool.apply(xlog, shmem);
        StartupXLog startup = new StartupXLog(xlog, buffers, NO_CLOG, ZoneId.of("UTC"));
        for (var r : redos) {
            startup.addRedo(r);
        }
        Recovery.Result result = startup.recover();
        return new Started(xlog, result, buffers);
    }

    record Started(Xlog xlog, Recovery.Result result, BufferManager buffers) {
    }

    /** A heap-ish record with {@code size} bytes of main data, deterministic content. */
    static WalRecord record(int seq, int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (seq * 31 + i);
        }
        return WalRecord.builder(WalRecord.RM_HEAP_ID, 0x10).xid(1000 + seq).mainData(data).build();
    }
}
