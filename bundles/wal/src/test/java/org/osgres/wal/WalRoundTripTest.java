package org.osgres.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.Page;
import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.wal.WalRecord;

/** Records written through Xlog and read back with XLogReader, across pages, the buffer ring and segments. */
class WalRoundTripTest {
    @TempDir
    Path dir;

    record Inserted(WalRecord record, long end) {
    }

    /** Reads every record after the bootstrap checkpoint. */
    static List<XLogReader.Read> readAll(Xlog xlog, XLogReader reader) {
        reader.begin(xlog.controlFile().checkPoint(), -1);
        List<XLogReader.Read> out = new ArrayList<>();
        for (XLogReader.Read r; (r = reader.next()) != null; ) {
            out.add(r);
        }
        return out;
    }

    @Test
    void recordsRoundTripAcrossPagesTheBufferRingAndSegments() {
        // 4 WAL buffers (32 kB): a 40 kB record is longer than the whole ring
        Xlog xlog = WalTests.start(WalTests.settings(dir, "wal_buffers", "4")).xlog();
        int[] sizes = {0, 1, 7, 100, 3000, 8150, 8192, 9000, 40000, 200000};
        List<Inserted> inserted = new ArrayList<>();
        int seq = 0;
        while (XLogFormat.segmentOf(xlog.insertLsn()) < 3) {
            WalRecord r = WalTests.record(seq, sizes[seq % sizes.length]);
            inserted.add(new Inserted(r, xlog.insert(r)));
            seq++;
        }
        long last = inserted.get(inserted.size() - 1).end();
        xlog.flush(last);
        assertTrue(xlog.flushedUpTo() >= last);
        assertTrue(Files.exists(dir.resolve("pg_wal/000000010000000000000003")));

        try (XLogReader reader = new XLogReader(xlog.segments(), 1)) {
            List<XLogReader.Read> read = readAll(xlog, reader);
            assertEquals(inserted.size() + 1, read.size(), reader.endMessage());
            assertEquals(WalRecord.RM_XLOG_ID, read.get(0).record().rmgrId()); // initdb's checkpoint
            for (int i = 0; i < inserted.size(); i++) {
                assertEquals(inserted.get(i).record(), read.get(i + 1).record(), "record " + i);
                assertEquals(inserted.get(i).end(), read.get(i + 1).endLsn(), "end of record " + i);
                assertEquals(0, read.get(i + 1).startLsn() % 8, "records start MAXALIGNed");
            }
            assertEquals("invalid record length at " + org.osgres.api.wal.WalInsert.formatLsn(last)
                    + ": wanted 24, got 0", reader.endMessage());
        }
    }

    @Test
    void blockReferencesImagesAndDataRoundTrip() {
        Xlog xlog = WalTests.start(WalTests.settings(dir)).xlog();
        RelFileLocator rel = RelFileLocator.of(5, 16384);
        ByteBuffer fresh = ByteBuffer.allocate(Page.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        Page.init(fresh, 64);
        fresh.put(Page.SIZE - 10, (byte) 42); // in the special space: kept (the hole is left out)
        ByteBuffer recent = ByteBuffer.allocate(Page.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        Page.init(recent, 16);
        byte[] forced = new byte[Page.SIZE];
        forced[5000] = 7; // not a standard page: no hole
        WalRecord r = WalRecord.builder(WalRecord.RM_HEAP_ID, 0x00).xid(700)
                .block(0, rel, ForkNumber.MAIN, 3, fresh, new byte[] {1, 2, 3})
                .initBlock(1, rel, ForkNumber.MAIN, 4, new byte[] {9})
                .imageBlock(2, RelFileLocator.of(5, 16385), ForkNumber.FSM, 0, forced)
                .mainData(new byte[300]).build();
        long end1 = xlog.insert(r);
        // now the page was changed after the redo pointer: no image
        Page.setLsn(recent, end1);
        assertFalse(xlog.needsFullPageImage(end1));
        assertTrue(xlog.needsFullPageImage(0));
        long end2 = xlog.insert(WalRecord.builder(WalRecord.RM_HEAP2_ID, 0x20).block(0, rel, ForkNumber.VISIBILITYMAP, 1, recent)
                .build());
        xlog.flush(end2);
        try (XLogReader reader = new XLogReader(xlog.segments(), 1)) {
            List<XLogReader.Read> read = readAll(xlog, reader);
            assertEquals(3, read.size(), reader.endMessage());
            WalRecord got = read.get(1).record();
            assertEquals(700, got.xid());
            WalRecord.BlockReference b0 = got.block(0);
            assertTrue(b0.hasImage(), "first change since the checkpoint logs the page");
            assertArrayEquals(XLogRecordFormat.pageImage(fresh), b0.image());
            assertArrayEquals(new byte[] {1, 2, 3}, b0.data());
            WalRecord.BlockReference b1 = got.block(1);
            assertTrue(b1.willInit());
            assertFalse(b1.hasImage());
            assertEquals(4, b1.blockNumber());
            assertArrayEquals(forced, got.block(2).image());
            assertEquals(ForkNumber.FSM, got.block(2).fork());
            assertEquals(RelFileLocator.of(5, 16385), got.block(2).rel());
            assertEquals(300, got.mainData().length);
            WalRecord.BlockReference later = read.get(2).record().block(0);
            assertFalse(later.hasImage(), "a page changed since the redo point gets no image");
            assertEquals(ForkNumber.VISIBILITYMAP, later.fork());
        }
    }

    @Test
    void fullPageWritesOffLogsNoImages() {
        Xlog xlog = WalTests.start(WalTests.settings(dir, "full_page_writes", "off")).xlog();
        ByteBuffer page = ByteBuffer.allocate(Page.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        Page.init(page, 0);
        long end = xlog.insert(WalRecord.builder(WalRecord.RM_HEAP_ID, 0).block(0, RelFileLocator.of(5, 1), ForkNumber.MAIN, 0,
                page).build());
        xlog.flush(end);
        try (XLogReader reader = new XLogReader(xlog.segments(), 1)) {
            assertFalse(readAll(xlog, reader).get(1).record().block(0).hasImage());
        }
    }

    @Test
    void switchEndsTheSegmentAndReadingGoesOnInTheNext() {
        Xlog xlog = WalTests.start(WalTests.settings(dir, "archive_mode", "on")).xlog();
        long e1 = xlog.insert(WalTests.record(1, 500));
        long sw = xlog.switchSegment();
        assertTrue(sw > e1);
        assertEquals(1, XLogFormat.segmentOf(sw - 1));
        assertEquals(XLogFormat.segmentStart(2) + XLogFormat.LONG_PHD_SIZE, xlog.insertLsn());
        assertTrue(xlog.flushedUpTo() >= XLogFormat.segmentStart(2));
        assertTrue(Files.exists(dir.resolve("pg_wal/archive_status/000000010000000000000001.ready")));
        assertEquals("000000010000000000000001", xlog.walFileName(sw));
        // a second switch with nothing in the new segment does nothing
        assertEquals(xlog.insertLsn(), xlog.switchSegment());
        long e2 = xlog.insert(WalTests.record(2, 70000));
        xlog.flush(e2);
        try (XLogReader reader = new XLogReader(xlog.segments(), 1)) {
            List<XLogReader.Read> read = readAll(xlog, reader);
            assertEquals(4, read.size(), reader.endMessage());
            assertEquals(XLogFormat.segmentStart(2) + XLogFormat.LONG_PHD_SIZE, read.get(3).startLsn());
            assertEquals(WalTests.record(2, 70000), read.get(3).record());
        }
    }

    @Test
    void theWalWriterCreatesTheNextSegmentAhead() {
        Xlog xlog = WalTests.start(WalTests.settings(dir)).xlog();
        Path next = dir.resolve("pg_wal/000000010000000000000002");
        xlog.backgroundFlush();
        assertFalse(Files.exists(next), "not while the segment is mostly empty");
        while (XLogFormat.segmentOffset(xlog.insertLsn()) < XLogFormat.SEG_SIZE / 4 * 3) {
            xlog.insert(WalTests.record(1, 100000));
        }
        xlog.backgroundFlush();
        assertTrue(Files.exists(next));
    }

    @Test
    void noReadyFilesWithoutArchiving() {
        Xlog xlog = WalTests.start(WalTests.settings(dir)).xlog();
        xlog.insert(WalTests.record(1, 10));
        xlog.switchSegment();
        assertTrue(Files.exists(dir.resolve("pg_wal/archive_status")));
        assertFalse(Files.exists(dir.resolve("pg_wal/archive_status/000000010000000000000001.ready")));
    }

    @Test
    void insertingDuringRecoveryIsRefused() {
        Xlog xlog = new Xlog(WalTests.settings(dir), WalTests.shmem(), dir);
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.osgres.api.error.PgException.class,
                () -> xlog.insert(WalTests.record(1, 10)));
        assertEquals("cannot make new WAL entries during recovery", e.getMessage());
        assertNotNull(xlog.controlFile());
        assertNull(null);
    }
}
