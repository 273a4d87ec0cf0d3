/*
 * WalBootstrap: the WAL and pg_control of a new cluster (PostgreSQL: BootStrapXLOG in xlog.c,
 * which initdb's bootstrap run calls).
 *
 * Writes pg_wal/000000010000000000000001 with one record, the first shutdown checkpoint at
 * 0/1000028 (right after the segment's long page header) whose redo point is itself, and
 * global/pg_control in state "shut down" pointing at it. The system identifier is made as
 * PostgreSQL makes it: seconds << 32 | microseconds << 12 | pid & 0xFFF.
 *
 * Entry points: bootstrap() -- called by `osgres initdb` (the launcher, outside the framework:
 * so no logging and no OSGi here) and by Xlog for a data directory that has neither.
 * See also: ControlFile, XLogFormat, XLogRecordFormat.
 */
package org.osgres.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import org.osgres.api.wal.ControlFileData;
import org.osgres.api.wal.ControlFileData.CheckPoint;
import org.osgres.api.wal.ControlFileData.DbState;
import org.osgres.api.wal.WalRecord;

public final class WalBootstrap {
    /** The first segment: WAL starts at 0/1000000 as in PostgreSQL. */
    public static final long FIRST_SEGMENT = 1;
    /** FirstNormalTransactionId. */
    public static final int FIRST_NORMAL_XID = 3;
    /** FirstNormalObjectId. */
    public static final int FIRST_NORMAL_OID = 16384;

    private WalBootstrap() {
    }

    /** Creates pg_wal/, its first segment and global/pg_control; returns what pg_control says. */
    public static ControlFileData bootstrap(Path dataDirectory) throws IOException {
        Instant now = Instant.now();
        long sysid = (now.getEpochSecond() << 32) | ((long) (now.getNano() / 1000) << 12)
                | (ProcessHandle.current().pid() & 0xFFF);
        Files.createDirectories(dataDirectory.resolve("pg_wal/archive_status"));
        Files.createDirectories(dataDirectory.resolve("global"));
        long pageAddr = XLogFormat.segmentStart(FIRST_SEGMENT);
        long start = pageAddr + XLogFormat.LONG_PHD_SIZE;
        CheckPoint cp = new CheckPoint(start, XLogFormat.FIRST_TIMELINE, XLogFormat.FIRST_TIMELINE, true,
                FIRST_NORMAL_XID, FIRST_NORMAL_OID, FIRST_NORMAL_XID, now.getEpochSecond());
        byte[] rec = XLogRecordFormat.encode(WalRecord.builder(WalRecord.RM_XLOG_ID, WalRecord.XLOG_CHECKPOINT_SHUTDOWN)
                .mainData(ControlFile.checkPointBytes(cp)).build(), 0);
        ByteBuffer page = ByteBuffer.allocate(XLogFormat.XLOG_BLCKSZ).order(ByteOrder.LITTLE_ENDIAN);
        XLogFormat.writePageHeader(page, pageAddr, XLogFormat.FIRST_TIMELINE, 0, false, sysid);
        page.put(XLogFormat.LONG_PHD_SIZE, rec);
        WalSegments segments = new WalSegments(dataDirectory, XLogFormat.FIRST_TIMELINE);
        segments.create(FIRST_SEGMENT, true);
        try (FileChannel ch = FileChannel.open(segments.path(FIRST_SEGMENT), StandardOpenOption.WRITE)) {
            page.position(0);
            long pos = 0;
            while (page.hasRemaining()) {
                pos += ch.write(page, pos);
            }
            ch.force(true);
        }
        ControlFileData data = new ControlFileData(sysid, ControlFileData.PG_CONTROL_VERSION,
                ControlFileData.CATALOG_VERSION_NO, DbState.DB_SHUTDOWNED, now.getEpochSecond(), start, cp);
        ControlFile.write(dataDirectory, data);
        return data;
    }
}
