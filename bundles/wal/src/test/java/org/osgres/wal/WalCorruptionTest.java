package org.osgres.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.wal.WalInsert;
import org.osgres.api.wal.WalRecord;

/** A bad CRC or a torn page ends the WAL at the last good record; recovery continues from there. */
class WalCorruptionTest {
    @TempDir
    Path dir;

    private final List<Long> starts = new ArrayList<>();
    private final List<Long> ends = new ArrayList<>();

    private Xlog writeRecords(int n, int size) {
        Xlog xlog = WalTests.start(WalTests.settings(dir)).xlog();
        for (int i = 0; i < n; i++) {
            starts.add(xlog.insertLsn());
            ends.add(xlog.insert(WalTests.record(i, size)));
        }
        xlog.flush(ends.get(n - 1));
        return xlog;
    }

    private void poke(long lsn, int value) throws Exception {
        Path seg = dir.resolve("pg_wal").resolve(XLogFormat.fileName(1, XLogFormat.segmentOf(lsn)));
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(XLogFormat.segmentOffset(lsn));
            if (value < 0) {
                f.write(new byte[XLogFormat.XLOG_BLCKSZ]);
            } else {
                int b = f.read();
                f.seek(XLogFormat.segmentOffset(lsn));
                f.write(b ^ value);
            }
        }
    }

    private List<WalRecord> readAll(Xlog xlog, StringBuilder why) {
        List<WalRecord> out = new ArrayList<>();
        try (XLogReader reader = new XLogReader(xlog.segments(), 1)) {
            reader.begin(XLogFormat.segmentStart(1) + XLogFormat.LONG_PHD_SIZE, -1);
            reader.next(); // initdb's checkpoint
            for (XLogReader.Read r; (r = reader.next()) != null; ) {
                out.add(r.record());
            }
            why.append(reader.endMessage());
        }
        return out;
    }

    @Test
    void aBadCrcEndsTheWalAtTheLastGoodRecord() throws Exception {
        Xlog xlog = writeRecords(10, 3000);
        poke(starts.get(6) + 100, 0x40);
        StringBuilder why = new StringBuilder();
        assertEquals(6, readAll(xlog, why).size());
        assertEquals("incorrect resource manager data checksum in record at " + WalInsert.formatLsn(starts.get(6)),
                why.toString());
    }

    @Test
    void aTornPageEndsTheWalAndRecoveryContinuesAfterTheLastGoodRecord() throws Exception {
        Xlog xlog = writeRecords(10, 5000);
        // record 4 runs onto a page that never reached the disk
        long page = XLogFormat.pageStart(ends.get(4) - 1);
        assertTrue(page > starts.get(4), "record 4 spans pages");
        poke(page, -1);
        StringBuilder why = new StringBuilder();
        assertEquals(4, readAll(xlog, why).size());
        assertTrue(why.toString().startsWith("invalid magic number 0000 in log segment 000000010000000000000001"), why.toString());

        // "crash" (no shutdown checkpoint) and start again: redo ends after record 3
        List<WalRecord> replayed = new ArrayList<>();
        WalTests.Started again = WalTests.start(WalTests.settings(dir), new RecordingRedo(WalRecord.RM_HEAP_ID, replayed));
        assertTrue(again.result().ran());
        assertEquals(4, replayed.size());
        assertEquals(ends.get(3), again.result().endLsn());
        Xlog x2 = again.xlog();
        long e = x2.insert(WalTests.record(99, 10));
        x2.flush(e);
        why.setLength(0);
        List<WalRecord> now = readAll(x2, why);
        // records 0..3, the end-of-recovery checkpoint at the old end, the new record, nothing of the torn tail
        assertEquals(6, now.size(), why.toString());
        assertEquals(WalTests.record(3, 5000), now.get(3));
        assertEquals(WalRecord.RM_XLOG_ID, now.get(4).rmgrId());
        assertEquals(WalTests.record(99, 10), now.get(5));
    }

    /** A WalRedo that remembers what it was given. */
    record RecordingRedo(int rmgrId, List<WalRecord> seen) implements org.osgres.api.wal.WalRedo {
        @Override
        public void redo(WalRecord record, long startLsn, long lsn) {
            seen.add(record);
        }
    }
}
