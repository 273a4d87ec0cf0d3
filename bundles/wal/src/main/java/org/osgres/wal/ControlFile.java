/*
 * ControlFile: global/pg_control (PostgreSQL: catalog/pg_control.h, ReadControlFile and
 * UpdateControlFile in xlog.c, common/controldata_utils.c).
 *
 * The file is 8192 bytes (PG_CONTROL_FILE_SIZE), zero past the data, written in place and
 * fsynced, as PostgreSQL does (one sector's write is taken to be atomic). Offsets, little-endian,
 * in PostgreSQL's field order but only the fields osgres keeps, so not byte-compatible:
 *
 *    0 system_identifier u64      8 pg_control_version u32   12 catalog_version_no u32
 *   16 state u32 (DBState)       24 time i64                 32 checkPoint u64
 *   40 checkPointCopy (CheckPoint, 88 bytes, PostgreSQL's struct layout with padding):
 *      +0 redo u64, +8 ThisTimeLineID u32, +12 PrevTimeLineID u32, +16 fullPageWrites u8,
 *      +24 nextXid u64 (epoch 0), +32 nextOid u32, +36 nextMulti, +40 nextMultiOffset,
 *      +44 oldestXid, +48 oldestXidDB, +52 oldestMulti, +56 oldestMultiDB, +64 time i64,
 *      +72 oldestCommitTsXid, +76 newestCommitTsXid, +80 oldestActiveXid
 *  128 xlog_blcksz u32          132 xlog_seg_size u32       136 blcksz u32
 *  140 crc u32: CRC-32C of bytes 0..139
 *
 * Entry points: read(), write(), encodeCheckPoint(), decodeCheckPoint().
 * See also: Xlog -- updates it at checkpoints; StartupXLog -- reads it at start.
 * No logging here: initdb (WalBootstrap) uses this class outside the framework.
 */
package org.osgres.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import org.osgres.api.wal.ControlFileData;
import org.osgres.api.wal.ControlFileData.CheckPoint;
import org.osgres.api.wal.ControlFileData.DbState;

public final class ControlFile {
    /** PG_CONTROL_FILE_SIZE. */
    public static final int FILE_SIZE = 8192;
    /** sizeof(CheckPoint). */
    public static final int CHECKPOINT_SIZE = 88;
    static final int CRC_OFFSET = 140;
    /** Where it lives in the data directory. */
    public static final String PATH = "global/pg_control";

    private ControlFile() {
    }

    /** Why the file cannot be used. */
    public static final class BadControlFileException extends IOException {
        public BadControlFileException(String message) {
            super(message);
        }
    }

    /**
     * Reads and checks the file.
     *
     * @throws NoSuchFileException when there is none
     * @throws BadControlFileException "incorrect checksum in control file", or a size or version mismatch
     */
    public static ControlFileData read(Path dataDirectory) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(FILE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(dataDirectory.resolve(PATH), StandardOpenOption.READ)) {
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read it all
            }
        }
        if (buf.position() < CRC_OFFSET + 4) {
            throw new BadControlFileException("could not read file \"" + PATH + "\": read " + buf.position()
                    + " of " + FILE_SIZE);
        }
        CRC32C crc = XLogFormat.crc();
        crc.update(buf.array(), 0, CRC_OFFSET);
        if ((int) crc.getValue() != buf.getInt(CRC_OFFSET)) {
            throw new BadControlFileException("incorrect checksum in control file");
        }
        int version = buf.getInt(8);
        if (version != ControlFileData.PG_CONTROL_VERSION) {
            throw new BadControlFileException("database files are incompatible with server: the database cluster was "
                    + "initialized with PG_CONTROL_VERSION " + version + ", but the server was compiled with "
                    + "PG_CONTROL_VERSION " + ControlFileData.PG_CONTROL_VERSION + ".");
        }
        if (buf.getInt(128) != XLogFormat.XLOG_BLCKSZ || buf.getInt(132) != XLogFormat.SEG_SIZE) {
            throw new BadControlFileException("database files are incompatible with server: WAL block or segment size");
        }
        int state = buf.getInt(16);
        if (state < 0 || state >= DbState.values().length) {
            throw new BadControlFileException("invalid database state " + state + " in control file");
        }
        return new ControlFileData(buf.getLong(0), version, buf.getInt(12), DbState.values()[state], buf.getLong(24),
                buf.getLong(32), decodeCheckPoint(buf, 40));
    }

    /** Writes the file in place and fsyncs it (PostgreSQL: UpdateControlFile). */
    public static void write(Path dataDirectory, ControlFileData data) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(FILE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(0, data.systemIdentifier());
        buf.putInt(8, data.controlVersion());
        buf.putInt(12, data.catalogVersion());
        buf.putInt(16, data.state().ordinal());
        buf.putLong(24, data.time());
        buf.putLong(32, data.checkPoint());
        encodeCheckPoint(buf, 40, data.checkPointCopy());
        buf.putInt(128, XLogFormat.XLOG_BLCKSZ);
        buf.putInt(132, (int) XLogFormat.SEG_SIZE);
        buf.putInt(136, 8192);
        CRC32C crc = XLogFormat.crc();
        crc.update(buf.array(), 0, CRC_OFFSET);
        buf.putInt(CRC_OFFSET, (int) crc.getValue());
        try (FileChannel ch = FileChannel.open(dataDirectory.resolve(PATH), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            long pos = 0;
            buf.position(0);
            while (buf.hasRemaining()) {
                pos += ch.write(buf, pos);
            }
            ch.force(true);
        }
        WalSegments.ownerOnly(dataDirectory.resolve(PATH));
    }

    /** CheckPoint in PostgreSQL's struct layout at {@code off}. */
    public static void encodeCheckPoint(ByteBuffer buf, int off, CheckPoint c) {
        buf.putLong(off, c.redo());
        buf.putInt(off + 8, c.timeLineId());
        buf.putInt(off + 12, c.prevTimeLineId());
        buf.put(off + 16, (byte) (c.fullPageWrites() ? 1 : 0));
        buf.putLong(off + 24, c.nextXid() & 0xffffffffL);
        buf.putInt(off + 32, c.nextOid());
        buf.putInt(off + 36, 1); // nextMulti: FirstMultiXactId
        buf.putInt(off + 40, 0);
        buf.putInt(off + 44, c.oldestXid());
        buf.putInt(off + 48, 1); // oldestXidDB: template1
        buf.putInt(off + 52, 1);
        buf.putInt(off + 56, 1);
        buf.putLong(off + 64, c.time());
        buf.putInt(off + 72, 0);
        buf.putInt(off + 76, 0);
        buf.putInt(off + 80, 0);
    }

    public static CheckPoint decodeCheckPoint(ByteBuffer buf, int off) {
        return new CheckPoint(buf.getLong(off), buf.getInt(off + 8), buf.getInt(off + 12), buf.get(off + 16) != 0,
                (int) buf.getLong(off + 24), buf.getInt(off + 32), buf.getInt(off + 44), buf.getLong(off + 64));
    }

    /** A CheckPoint as a checkpoint record's main data. */
    public static byte[] checkPointBytes(CheckPoint c) {
        ByteBuffer buf = ByteBuffer.allocate(CHECKPOINT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        encodeCheckPoint(buf, 0, c);
        return buf.array();
    }

    /** A checkpoint record's main data back; null when it is not the size of a CheckPoint. */
    public static CheckPoint checkPointOf(byte[] mainData) {
        if (mainData.length != CHECKPOINT_SIZE) {
            return null;
        }
        return decodeCheckPoint(ByteBuffer.wrap(mainData).order(ByteOrder.LITTLE_ENDIAN), 0);
    }
}
