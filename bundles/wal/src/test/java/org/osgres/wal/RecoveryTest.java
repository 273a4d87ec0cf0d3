package org.osgres.wal;

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
import org.osgres.api.wal.ControlFileData.DbState;
import org.osgres.api.wal.RedoBuffers;
import org.osgres.api.wal.WalRecord;
import org.osgres.api.wal.WalRedo;
import org.osgres.buffer.SharedBufferPool;

/** Startup: clean starts, shutdown checkpoints, crash recovery dispatching to WalRedo services, full-page images. */
class RecoveryTest {
    @TempDir
    Path dir;

    record Seen(WalRecord record, long start, long end) {
    }

    static final class TestRedo implements WalRedo {
        final List<Seen> seen = new ArrayList<>();

        @Override
        public int rmgrId() {
            return WalRecord.RM_HEAP_ID;
        }

        @Override
        public void redo(WalRecord record, long startLsn, long lsn) {
            seen.add(new Seen(record, startLsn, lsn));
        }
    }

    @Test
    void aFreshClusterStartsWithoutRedo() throws Exception {
        WalTests.Started s = WalTests.start(WalTests.settings(dir));
        assertFalse(s.result().ran());
        assertEquals(DbState.DB_SHUTDOWNED, s.result().previousState());
        assertEquals(DbState.DB_IN_PRODUCTION, ControlFile.read(dir).state());
    }

    @Test
    void aCleanShutdownNeedsNoRedo() throws Exception {
        TestRedo redo = new TestRedo();
        WalTests.Started s = WalTests.start(WalTests.settings(dir), redo);
        long end = s.xlog().insert(WalTests.record(1, 100));
        s.xlog().noteNextIds(1234, 20000);
        s.xlog().deactivate(); // ShutdownXLOG
        var cf = ControlFile.read(dir);
        assertEquals(DbState.DB_SHUTDOWNED, cf.state());
        assertTrue(cf.checkPoint() >= end);
        assertEquals(cf.checkPoint(), cf.checkPointCopy().redo(), "a shutdown checkpoint's redo point is itself");
        assertEquals(1234, cf.checkPointCopy().nextXid());
        assertEquals(20000, cf.checkPointCopy().nextOid());

        WalTests.Started again = WalTests.start(WalTests.settings(dir), redo);
        assertFalse(again.result().ran());
        assertTrue(redo.seen.isEmpty());
        // inserting continues right after the shutdown checkpoint
        assertEquals(again.result().endLsn(), again.xlog().insertLsn());
        long e2 = again.xlog().insert(WalTests.record(2, 10));
        again.xlog().flush(e2);
        assertEquals(DbState.DB_IN_PRODUCTION, ControlFile.read(dir).state());
    }

    @Test
    void crashRecoveryReplaysEveryRecordInOrderToItsResourceManager() throws Exception {
        WalTests.Started s = WalTests.start(WalTests.settings(dir));
        List<Long> ends = new ArrayList<>();
        List<WalRecord> records = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            WalRecord r = WalTests.record(i, i * 400);
            records.add(r);
            ends.add(s.xlog().insert(r));
        }
        s.xlog().insert(WalRecord.builder(WalRecord.RM_XLOG_ID, WalRecord.XLOG_NOOP).build());
        long last = s.xlog().insert(WalTests.record(50, 10));
        records.add(WalTests.record(50, 10));
        ends.add(last);
        s.xlog().flush(last);
        // crash: no shutdown checkpoint; the pg_control says "in production"

        TestRedo redo = new TestRedo();
        WalTests.Started again = WalTests.start(WalTests.settings(dir), redo);
        assertTrue(again.result().ran());
        assertEquals(DbState.DB_IN_PRODUCTION, again.result().previousState());
        assertEquals(XLogFormat.segmentStart(1) + XLogFormat.LONG_PHD_SIZE, again.result().startLsn());
        assertEquals(last, again.result().endLsn());
        assertEquals(52, again.result().recordsReplayed(), "51 heap records and a noop after initdb's checkpoint");
        assertEquals(records.size(), redo.seen.size());
        for (int i = 0; i < records.size(); i++) {
            assertEquals(records.get(i), redo.seen.get(i).record());
            assertEquals(ends.get(i), redo.seen.get(i).end());
        }
        var cf = ControlFile.read(dir);
        assertEquals(DbState.DB_IN_PRODUCTION, cf.state());
        assertTrue(cf.checkPoint() >= last, "the end-of-recovery checkpoint comes after the replayed WAL");

        // a second crash right away replays only from the end-of-recovery checkpoint
        TestRedo redo2 = new TestRedo();
        WalTests.Started third = WalTests.start(WalTests.settings(dir), redo2);
        assertTrue(third.result().ran(), "pg_control said in production");
        assertEquals(0, third.result().recordsReplayed(), "redo is not required");
        assertTrue(redo2.seen.isEmpty());
    }

    @Test
    void redoRestoresFullPageImagesAndSkipsPagesAlreadyChanged() throws Exception {
        RelFileLocator rel = RelFileLocator.of(5, 16384);
        byte[] firstImage;
        long end1;
        long end2;
        {
            WalTests.Started s = WalTests.start(WalTests.settings(dir),
                    (xlog, shmem) -> new SharedBufferPool(WalTests.settings(dir), shmem, xlog));
            BufferManager buffers = s.buffers();
            buffers.create(rel, ForkNumber.MAIN);
            int buf = buffers.extend(rel, ForkNumber.MAIN);
            buffers.lockExclusive(buf);
            ByteBuffer page = buffers.page(buf);
            Page.init(page, 512); // the special space survives the hole between pd_lower and pd_upper
            page.put(7700, (byte) 1);
            buffers.markDirty(buf);
            end1 = s.xlog().insert(WalRecord.builder(WalRecord.RM_HEAP_ID, 0).block(0, rel, ForkNumber.MAIN, 0, page,
                    new byte[] {1}).build());
            Page.setLsn(page, end1);
            firstImage = XLogRecordFormat.pageImage(page);
            page.put(7701, (byte) 2);
            buffers.markDirty(buf);
            end2 = s.xlog().insert(WalRecord.builder(WalRecord.RM_HEAP_ID, 0).block(0, rel, ForkNumber.MAIN, 0, page,
                    new byte[] {2}).build());
            Page.setLsn(page, end2);
            buffers.unlock(buf);
            buffers.unpin(buf);
            s.xlog().flush(end2);
            // crash before the page was ever written: the relation file has a zeroed block 0
        }
        PageRedo heapRedo = new PageRedo();
        WalTests.Started again = WalTests.start(WalTests.settings(dir), (xlog, shmem) -> {
            SharedBufferPool pool = new SharedBufferPool(WalTests.settings(dir), shmem, xlog);
            heapRedo.buffers = new RedoBufferManager(pool);
            return pool;
        }, heapRedo);
        List<RedoBuffers.Action> actions = heapRedo.actions;
        assertTrue(again.result().ran());
        assertEquals(List.of(RedoBuffers.Action.RESTORED, RedoBuffers.Action.NEEDS_REDO), actions);
        BufferManager buffers = again.buffers();
        int buf = buffers.pin(rel, ForkNumber.MAIN, 0);
        ByteBuffer page = buffers.page(buf);
        byte[] now = XLogRecordFormat.pageImage(page);
        buffers.unpin(buf);
        assertEquals(1, now[7700]);
        assertEquals(2, now[7701]);
        assertTrue(Page.lsn(page) >= end2);
        byte[] expected = firstImage.clone();
        expected[7701] = 2;
        System.arraycopy(now, 0, expected, 0, 8); // the LSN differs
        assertArrayEquals(expected, now);
    }

    /** Redo of the test's page records: block data v sets byte 7699 + v to v. */
    static final class PageRedo implements WalRedo {
        final List<RedoBuffers.Action> actions = new ArrayList<>();
        RedoBuffers buffers;

        @Override
        public int rmgrId() {
            return WalRecord.RM_HEAP_ID;
        }

        @Override
        public void redo(WalRecord record, long startLsn, long lsn) {
            RedoBuffers.Result r = buffers.readBufferForRedo(record, 0, lsn);
            actions.add(r.action());
            if (r.action() == RedoBuffers.Action.NEEDS_REDO) {
                byte v = record.block(0).data()[0];
                r.page().put(7699 + v, v);
                buffers.finish(r, lsn);
            } else {
                buffers.release(r);
            }
        }
    }
}
