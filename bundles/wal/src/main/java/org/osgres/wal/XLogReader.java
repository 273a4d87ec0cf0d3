/*
 * XLogReader: reads WAL records back from the segment files, one after another (PostgreSQL:
 * access/transam/xlogreader.c -- XLogReadRecord, XLogReaderValidatePageHeader, ValidXLogRecord).
 *
 * Every page read is checked (magic, pageaddr, timeline, continuation flag and length); every
 * record's length, prev-link, resource manager and CRC-32C. Whatever fails -- a zero record
 * where the WAL ends, a torn write, a missing segment, a bad CRC -- ends the WAL there: next()
 * returns null and endMessage() says why, in PostgreSQL's words ("invalid record length at
 * 0/1000100: wanted 24, got 0"). It never throws for bad WAL.
 *
 * Entry points: begin(), next(), endMessage(), lastRecordStart(), endOfRecord().
 * See also: XLogRecordFormat -- record decoding; StartupXLog -- recovery reads with it.
 */
package org.osgres.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;

import org.osgres.api.wal.WalInsert;
import org.osgres.api.wal.WalRecord;

import static org.osgres.wal.XLogFormat.XLOG_BLCKSZ;

public final class XLogReader implements AutoCloseable {
    /** One record read: where it starts and ends (ReadRecPtr, EndRecPtr). */
    public record Read(WalRecord record, long startLsn, long endLsn) {
    }

    private final WalSegments segments;
    private final int tli;
    private final ByteBuffer page = ByteBuffer.allocate(XLOG_BLCKSZ).order(ByteOrder.LITTLE_ENDIAN);
    private long pageAddr = -1;
    private FileChannel segment;
    private long segno = -1;
    private long nextRecPtr;
    private long prevRecPtr;
    private long lastStart;
    private long endOfRecord;
    private String endMessage;

    public XLogReader(WalSegments segments, int tli) {
        this.segments = segments;
        this.tli = tli;
    }

    /**
     * Starts at the record at {@code start}; {@code expectedPrev} is its xl_prev when known, or
     * -1 (then the first record's prev-link is not checked).
     */
    public void begin(long start, long expectedPrev) {
        this.nextRecPtr = start;
        this.prevRecPtr = expectedPrev;
        this.endMessage = null;
        this.lastStart = 0;
        this.endOfRecord = start;
    }

    /** Why the WAL ended, after next() returned null. */
    public String endMessage() {
        return endMessage;
    }

    /** Start of the last valid record read. */
    public long lastRecordStart() {
        return lastStart;
    }

    /** The end (MAXALIGNed) of the last valid record read; the start point before any. */
    public long endOfRecord() {
        return endOfRecord;
    }

    /** The next record, or null at the end of valid WAL. */
    public Read next() {
        if (endMessage != null) {
            return null;
        }
        try {
            return readRecord();
        } catch (IOException e) {
            return end("could not read WAL at " + lsn(nextRecPtr) + ": " + e.getMessage());
        }
    }

    private Read end(String message) {
        endMessage = message;
        return null;
    }

    private static String lsn(long p) {
        return WalInsert.formatLsn(p);
    }

    private Read readRecord() throws IOException {
        long pos = nextRecPtr;
        if (XLogFormat.pageStart(pos) == pos) {
            String err = loadPage(pos);
            if (err != null) {
                return end(err);
            }
            if ((page.getShort(2) & XLogFormat.XLP_FIRST_IS_CONTRECORD) != 0) {
                return end("contrecord is requested by " + lsn(pos));
            }
            pos += XLogFormat.pageHeaderSize(pos);
        } else {
            String err = loadPage(XLogFormat.pageStart(pos));
            if (err != null) {
                return end(err);
            }
        }
        long start = pos;
        // the header, possibly split across two pages
        byte[] header = new byte[XLogRecordFormat.SIZE_OF_XLOG_RECORD];
        int got = (int) Math.min(header.length, pageAddr + XLOG_BLCKSZ - pos);
        page.get((int) (pos - pageAddr), header, 0, got);
        pos += got;
        if (got >= 4) {
            int totLen = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            if (Integer.compareUnsigned(totLen, XLogRecordFormat.SIZE_OF_XLOG_RECORD) < 0) {
                return end("invalid record length at " + lsn(start) + ": wanted "
                        + XLogRecordFormat.SIZE_OF_XLOG_RECORD + ", got " + Integer.toUnsignedString(totLen));
            }
        }
        if (got < header.length) {
            String err = continuePage(pos, -1);
            if (err != null) {
                return end(err);
            }
            pos = pageAddr + XLogFormat.pageHeaderSize(pageAddr);
            int n = header.length - got;
            page.get((int) (pos - pageAddr), header, got, n);
            pos += n;
        }
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int totLen = h.getInt(0);
        if (Integer.compareUnsigned(totLen, XLogRecordFormat.SIZE_OF_XLOG_RECORD) < 0) {
            return end("invalid record length at " + lsn(start) + ": wanted " + XLogRecordFormat.SIZE_OF_XLOG_RECORD
                    + ", got " + Integer.toUnsignedString(totLen));
        }
        String herr = checkHeader(header, start);
        if (herr != null) {
            return end(herr);
        }
        if (got < header.length && page.getInt(16) != totLen - got) {
            return end("invalid contrecord length " + Integer.toUnsignedString(page.getInt(16)) + " (expected "
                    + (totLen - got) + ") at " + lsn(pageAddr));
        }
        byte[] rec = new byte[totLen];
        System.arraycopy(header, 0, rec, 0, header.length);
        int done = header.length;
        while (done < totLen) {
            if (pos == pageAddr + XLOG_BLCKSZ) {
                String err = continuePage(pos, totLen - done);
                if (err != null) {
                    return end(err);
                }
                pos += XLogFormat.pageHeaderSize(pos);
            }
            int n = (int) Math.min(totLen - done, pageAddr + XLOG_BLCKSZ - pos);
            page.get((int) (pos - pageAddr), rec, done, n);
            done += n;
            pos += n;
        }
        XLogRecordFormat.Decoded d = XLogRecordFormat.decode(rec, lsn(start));
        if (d.error() != null) {
            return end(d.error());
        }
        long endLsn = XLogFormat.maxAlign(pos);
        if (d.record().rmgrId() == WalRecord.RM_XLOG_ID
                && (d.record().info() & WalRecord.XLR_RMGR_INFO_MASK) == WalRecord.XLOG_SWITCH) {
            nextRecPtr = XLogFormat.segmentStart(XLogFormat.segmentOf(pos - 1) + 1);
            endLsn = nextRecPtr;
        } else {
            nextRecPtr = endLsn;
        }
        prevRecPtr = start;
        lastStart = start;
        endOfRecord = endLsn;
        return new Read(d.record(), start, endLsn);
    }

    /** The header fields once 24 bytes are there (ValidXLogRecordHeader). */
    private String checkHeader(byte[] header, long start) {
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int totLen = h.getInt(0);
        if (Integer.compareUnsigned(totLen, XLogRecordFormat.MAX_RECORD_SIZE) > 0) {
            return "record length " + Integer.toUnsignedString(totLen) + " at " + lsn(start) + " too long";
        }
        int rmid = h.get(17) & 0xff;
        if (rmid > WalRecord.RM_MAX_BUILTIN_ID) {
            return "invalid resource manager ID " + rmid + " at " + lsn(start);
        }
        long prev = h.getLong(8);
        if (prevRecPtr >= 0 && prev != prevRecPtr) {
            return "record with incorrect prev-link " + lsn(prev) + " at " + lsn(start);
        }
        return null;
    }

    /** Loads the page at {@code addr} where a record continues; remaining is what xlp_rem_len must say (-1: unknown yet). */
    private String continuePage(long addr, int remaining) throws IOException {
        String err = loadPage(addr);
        if (err != null) {
            return err;
        }
        if ((page.getShort(2) & XLogFormat.XLP_FIRST_IS_CONTRECORD) == 0) {
            return "there is no contrecord flag at " + lsn(addr);
        }
        int remLen = page.getInt(16);
        if (remaining >= 0 && remLen != remaining) {
            return "invalid contrecord length " + Integer.toUnsignedString(remLen) + " (expected " + remaining
                    + ") at " + lsn(addr);
        }
        return null;
    }

    /** Reads and checks a page (XLogReaderValidatePageHeader); returns why not, or null. */
    private String loadPage(long addr) throws IOException {
        if (addr == pageAddr) {
            return null;
        }
        pageAddr = -1;
        long s = XLogFormat.segmentOf(addr);
        if (s != segno) {
            closeSegment();
            try {
                segment = FileChannel.open(segments.path(s), StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return "could not open file \"" + segments.path(s).getFileName() + "\": No such file or directory";
            }
            segno = s;
        }
        page.clear();
        long off = XLogFormat.segmentOffset(addr);
        while (page.hasRemaining()) {
            int n = segment.read(page, off + page.position());
            if (n < 0) {
                return "could not read from log segment " + XLogFormat.fileName(tli, s) + ", offset " + off;
            }
        }
        String name = XLogFormat.fileName(tli, s);
        int magic = page.getShort(0) & 0xffff;
        if (magic != XLogFormat.XLOG_PAGE_MAGIC) {
            return String.format("invalid magic number %04X in log segment %s, offset %d", magic, name, off);
        }
        int info = page.getShort(2) & 0xffff;
        if ((info & ~0x000F) != 0) {
            return String.format("invalid info bits %04X in log segment %s, offset %d", info, name, off);
        }
        boolean longHeader = (info & XLogFormat.XLP_LONG_HEADER) != 0;
        if (longHeader != XLogFormat.isSegmentStart(addr)) {
            return String.format("invalid info bits %04X in log segment %s, offset %d", info, name, off);
        }
        if (longHeader && (page.getInt(32) != XLogFormat.SEG_SIZE || page.getInt(36) != XLOG_BLCKSZ)) {
            return "WAL file is from different database system: incorrect segment size or XLOG_BLCKSZ in page header";
        }
        long recorded = page.getLong(8);
        if (recorded != addr) {
            return "unexpected pageaddr " + lsn(recorded) + " in log segment " + name + ", offset " + off;
        }
        int pageTli = page.getInt(4);
        if (pageTli != tli) {
            return "unexpected timeline ID " + pageTli + " in log segment " + name + ", offset " + off;
        }
        pageAddr = addr;
        return null;
    }

    private void closeSegment() {
        if (segment != null) {
            try {
                segment.close();
            } catch (IOException e) {
                // read-only: nothing lost
            }
            segment = null;
            segno = -1;
        }
    }

    @Override
    public void close() {
        closeSegment();
    }
}
