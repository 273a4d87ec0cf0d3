/*
 * XLogFormat: the WAL's on-disk constants and the arithmetic of LSNs, pages and segments
 * (PostgreSQL: access/xlog_internal.h, access/xlogdefs.h).
 *
 * An LSN (XLogRecPtr) is a byte position in the WAL stream, page headers included. The stream
 * is cut into XLOG_BLCKSZ (8 KB) pages, each opening with XLogPageHeaderData (the long form on a
 * segment's first page), and into 16 MB segment files in pg_wal/ named %08X%08X%08X (timeline,
 * segment number / 256, segment number % 256). Multi-byte fields are little-endian, as
 * PostgreSQL writes them on x86-64.
 *
 * XLogPageHeaderData: xlp_magic u16, xlp_info u16, xlp_tli u32, xlp_pageaddr u64, xlp_rem_len
 * u32 (20 bytes, MAXALIGNed to 24); XLogLongPageHeaderData adds xlp_sysid u64, xlp_seg_size u32,
 * xlp_xlog_blcksz u32 (36 bytes, MAXALIGNed to 40).
 *
 * Entry points: fileName(), segmentOf(), writePageHeader(), pageHeaderSize().
 * See also: XLogRecordFormat -- records; XLogReader -- validation of headers read back.
 * No logging here: initdb (WalBootstrap) uses this class outside the framework.
 */
package org.osgres.wal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

public final class XLogFormat {
    /** XLOG_BLCKSZ. */
    public static final int XLOG_BLCKSZ = 8192;
    /** wal_segment_size: fixed at 16 MB. */
    public static final long SEG_SIZE = 16L * 1024 * 1024;
    /** Pages per segment. */
    public static final int PAGES_PER_SEGMENT = (int) (SEG_SIZE / XLOG_BLCKSZ);
    /** XLOG_PAGE_MAGIC of PostgreSQL 15. */
    public static final int XLOG_PAGE_MAGIC = 0xD110;
    /** SizeOfXLogShortPHD. */
    public static final int SHORT_PHD_SIZE = 24;
    /** SizeOfXLogLongPHD. */
    public static final int LONG_PHD_SIZE = 40;
    /** xlp_info bits. */
    public static final int XLP_FIRST_IS_CONTRECORD = 0x0001;
    public static final int XLP_LONG_HEADER = 0x0002;
    public static final int XLP_BKP_REMOVABLE = 0x0004;
    /** MAXIMUM_ALIGNOF. */
    public static final int MAXALIGN = 8;
    /** The first timeline. */
    public static final int FIRST_TIMELINE = 1;

    private XLogFormat() {
    }

    public static long maxAlign(long v) {
        return (v + MAXALIGN - 1) & ~(long) (MAXALIGN - 1);
    }

    /** XLByteToSeg. */
    public static long segmentOf(long lsn) {
        return Long.divideUnsigned(lsn, SEG_SIZE);
    }

    /** XLogSegmentOffset. */
    public static long segmentOffset(long lsn) {
        return Long.remainderUnsigned(lsn, SEG_SIZE);
    }

    /** XLogSegNoOffsetToRecPtr(segno, 0). */
    public static long segmentStart(long segno) {
        return segno * SEG_SIZE;
    }

    /** The start of the page holding this LSN. */
    public static long pageStart(long lsn) {
        return lsn & ~(long) (XLOG_BLCKSZ - 1);
    }

    /** Whether the LSN is the first byte of a segment. */
    public static boolean isSegmentStart(long lsn) {
        return segmentOffset(lsn) == 0;
    }

    /** The size of the header of the page starting at pageAddr. */
    public static int pageHeaderSize(long pageAddr) {
        return isSegmentStart(pageAddr) ? LONG_PHD_SIZE : SHORT_PHD_SIZE;
    }

    /** XLogFileName: %08X%08X%08X. */
    public static String fileName(int tli, long segno) {
        long segsPerXLogId = 0x100000000L / SEG_SIZE;
        return String.format("%08X%08X%08X", tli, segno / segsPerXLogId, segno % segsPerXLogId);
    }

    /** pg_walfile_name: the segment holding the byte just before {@code lsn} (XLByteToPrevSeg). */
    public static String walFileName(int tli, long lsn) {
        return fileName(tli, Long.divideUnsigned(lsn - 1, SEG_SIZE));
    }

    /** The segment number a name stands for, or -1 when it is not a segment file name of this timeline. */
    public static long parseFileName(String name, int tli) {
        if (name.length() != 24 || !name.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
            return -1;
        }
        if (Integer.parseUnsignedInt(name.substring(0, 8), 16) != tli) {
            return -1;
        }
        long log = Long.parseLong(name.substring(8, 16), 16);
        long seg = Long.parseLong(name.substring(16, 24), 16);
        return log * (0x100000000L / SEG_SIZE) + seg;
    }

    /**
     * Writes an XLogPageHeaderData (the long form on a segment's first page) at the buffer's
     * position 0 and zeroes the rest of the header.
     */
    public static void writePageHeader(ByteBuffer page, long pageAddr, int tli, int remLen, boolean contrecord,
            long systemIdentifier) {
        int info = contrecord ? XLP_FIRST_IS_CONTRECORD : 0;
        boolean isLong = isSegmentStart(pageAddr);
        if (isLong) {
            info |= XLP_LONG_HEADER;
        }
        page.putShort(0, (short) XLOG_PAGE_MAGIC);
        page.putShort(2, (short) info);
        page.putInt(4, tli);
        page.putLong(8, pageAddr);
        page.putInt(16, remLen);
        page.putInt(20, 0);
        if (isLong) {
            page.putLong(24, systemIdentifier);
            page.putInt(32, (int) SEG_SIZE);
            page.putInt(36, XLOG_BLCKSZ);
        }
    }

    /** A new CRC-32C (PostgreSQL: INIT_CRC32C; java.util.zip.CRC32C computes the same Castagnoli CRC). */
    public static CRC32C crc() {
        return new CRC32C();
    }
}
