/*
 * XLogRecordFormat: a WalRecord to and from PostgreSQL's record layout (PostgreSQL:
 * access/xlogrecord.h; XLogRecordAssemble in xloginsert.c, DecodeXLogRecord in xlogreader.c).
 *
 *   XLogRecord (24 bytes): xl_tot_len u32, xl_xid u32, xl_prev u64, xl_info u8, xl_rmid u8,
 *                          2 bytes padding, xl_crc u32
 *   per block, in id order: XLogRecordBlockHeader id u8, fork_flags u8 (fork | HAS_IMAGE 0x10 |
 *                          HAS_DATA 0x20 | WILL_INIT 0x40 | SAME_REL 0x80), data_length u16;
 *                          with an image XLogRecordBlockImageHeader length u16, hole_offset u16,
 *                          bimg_info u8 (HAS_HOLE 0x01, APPLY 0x02); RelFileNode (12 bytes)
 *                          unless SAME_REL; BlockNumber u32
 *   main data header:      XLR_BLOCK_ID_DATA_SHORT (255) u8 length, or _LONG (254) u32 length
 *   then the images (hole left out), each block's data, and the main data.
 *
 * xl_crc is CRC-32C over everything after the header, then over the header up to xl_crc, as
 * PostgreSQL computes it. Images leave out the hole between pd_lower and pd_upper of a standard
 * page; no compression (wal_compression is not supported).
 *
 * Entry points: encode(), decode(), pageImage().
 * See also: Xlog.insert -- decides the images; XLogReader -- reads records back.
 */
package org.osgres.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.wal.WalRecord;
import org.osgres.api.wal.WalRecord.BlockReference;

public final class XLogRecordFormat {
    /** SizeOfXLogRecord. */
    public static final int SIZE_OF_XLOG_RECORD = 24;
    /** offsetof(XLogRecord, xl_crc). */
    static final int CRC_OFFSET = 20;
    static final int BKPBLOCK_FORK_MASK = 0x0F;
    static final int BKPBLOCK_HAS_IMAGE = 0x10;
    static final int BKPBLOCK_HAS_DATA = 0x20;
    static final int BKPBLOCK_WILL_INIT = 0x40;
    static final int BKPBLOCK_SAME_REL = 0x80;
    static final int BKPIMAGE_HAS_HOLE = 0x01;
    static final int BKPIMAGE_APPLY = 0x02;
    static final int XLR_BLOCK_ID_DATA_SHORT = 255;
    static final int XLR_BLOCK_ID_DATA_LONG = 254;
    /** XLogRecordMaxSize: 1020 MB. */
    public static final int MAX_RECORD_SIZE = 1020 * 1024 * 1024;
    private static final int PAGE_SIZE = 8192;

    private XLogRecordFormat() {
    }

    /**
     * The record's bytes with xl_prev = {@code prev} and the CRC filled in. Block references
     * carry their images already (decided by the inserter).
     */
    public static byte[] encode(WalRecord r, long prev) {
        List<BlockReference> blocks = new ArrayList<>(r.blocks());
        blocks.sort(Comparator.comparingInt(BlockReference::id));
        int headers = 0;
        int payload = 0;
        RelFileLocator prevRel = null;
        for (BlockReference b : blocks) {
            headers += 4;
            if (b.hasImage()) {
                headers += 5;
                payload += PAGE_SIZE - holeLength(b.image());
            }
            if (b.hasData()) {
                if (b.data().length > 0xffff) {
                    throw new IllegalArgumentException("block data of " + b.data().length + " bytes is too long");
                }
                payload += b.data().length;
            }
            if (!b.rel().equals(prevRel)) {
                headers += 12;
            }
            headers += 4;
            prevRel = b.rel();
        }
        int mainLen = r.mainData().length;
        if (mainLen > 0) {
            headers += mainLen < 256 ? 2 : 5;
            payload += mainLen;
        }
        long total = (long) SIZE_OF_XLOG_RECORD + headers + payload;
        if (total > MAX_RECORD_SIZE) {
            throw new IllegalArgumentException("oversized WAL record: " + total + " bytes");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt((int) total).putInt(r.xid()).putLong(prev).put(r.info()).put(r.rmgrId()).putShort((short) 0).putInt(0);
        prevRel = null;
        for (BlockReference b : blocks) {
            int flags = b.fork().ordinal();
            if (b.hasImage()) {
                flags |= BKPBLOCK_HAS_IMAGE;
            }
            if (b.hasData()) {
                flags |= BKPBLOCK_HAS_DATA;
            }
            if (b.willInit()) {
                flags |= BKPBLOCK_WILL_INIT;
            }
            boolean sameRel = b.rel().equals(prevRel);
            if (sameRel) {
                flags |= BKPBLOCK_SAME_REL;
            }
            buf.put((byte) b.id()).put((byte) flags).putShort((short) (b.hasData() ? b.data().length : 0));
            if (b.hasImage()) {
                int hole = holeLength(b.image());
                int holeOffset = hole == 0 ? 0 : lower(b.image());
                buf.putShort((short) (PAGE_SIZE - hole)).putShort((short) holeOffset)
                        .put((byte) (BKPIMAGE_APPLY | (hole > 0 ? BKPIMAGE_HAS_HOLE : 0)));
            }
            if (!sameRel) {
                buf.putInt(b.rel().spcOid()).putInt(b.rel().dbOid()).putInt(b.rel().relNumber());
            }
            buf.putInt((int) b.blockNumber());
            prevRel = b.rel();
        }
        if (mainLen > 0) {
            if (mainLen < 256) {
                buf.put((byte) XLR_BLOCK_ID_DATA_SHORT).put((byte) mainLen);
            } else {
                buf.put((byte) XLR_BLOCK_ID_DATA_LONG).putInt(mainLen);
            }
        }
        for (BlockReference b : blocks) {
            if (b.hasImage()) {
                byte[] img = b.image();
                int hole = holeLength(img);
                if (hole == 0) {
                    buf.put(img);
                } else {
                    int lower = lower(img);
                    buf.put(img, 0, lower).put(img, lower + hole, PAGE_SIZE - lower - hole);
                }
            }
            if (b.hasData()) {
                buf.put(b.data());
            }
        }
        buf.put(r.mainData());
        byte[] bytes = buf.array();
        bytes[CRC_OFFSET] = 0;
        int crc = crc(bytes);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(CRC_OFFSET, crc);
        return bytes;
    }

    /** xl_crc as PostgreSQL computes it: over the data after the header, then the header before xl_crc. */
    public static int crc(byte[] record) {
        CRC32C c = XLogFormat.crc();
        c.update(record, SIZE_OF_XLOG_RECORD, record.length - SIZE_OF_XLOG_RECORD);
        c.update(record, 0, CRC_OFFSET);
        return (int) c.getValue();
    }

    /** A copy of a live page for a full-page image. */
    public static byte[] pageImage(ByteBuffer page) {
        byte[] img = new byte[PAGE_SIZE];
        page.get(0, img);
        return img;
    }

    /** pd_lower of a page image. */
    private static int lower(byte[] img) {
        return (img[12] & 0xff) | (img[13] & 0xff) << 8;
    }

    /** The hole a standard page has between pd_lower and pd_upper; 0 for anything else. */
    static int holeLength(byte[] img) {
        int lower = lower(img);
        int upper = (img[14] & 0xff) | (img[15] & 0xff) << 8;
        if (lower >= 24 && lower <= upper && upper <= PAGE_SIZE) {
            return upper - lower;
        }
        return 0;
    }

    /** A decoded record and its header fields; {@code error} is set instead when it is malformed. */
    public record Decoded(WalRecord record, int totalLength, long prev, String error) {
    }

    /** Reads the header's xl_tot_len from bytes at offset. */
    static int totalLength(ByteBuffer header) {
        return header.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
    }

    /**
     * Decodes a whole record (PostgreSQL: ValidXLogRecord, then DecodeXLogRecord). Never throws on
     * bad input: the problem comes back as {@link Decoded#error} in PostgreSQL's words.
     */
    public static Decoded decode(byte[] bytes, String at) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int total = buf.getInt(0);
        long prev = buf.getLong(8);
        int storedCrc = buf.getInt(CRC_OFFSET);
        byte[] copy = bytes.clone();
        if (crc(copy) != storedCrc) {
            return new Decoded(null, total, prev, "incorrect resource manager data checksum in record at " + at);
        }
        int xid = buf.getInt(4);
        byte info = buf.get(16);
        byte rmid = buf.get(17);
        try {
            buf.position(SIZE_OF_XLOG_RECORD);
            record Header(int id, int flags, int dataLen, int imgLen, int holeOffset, int bimgInfo, RelFileLocator rel,
                    long block) {
            }
            List<Header> headers = new ArrayList<>();
            int mainLen = 0;
            RelFileLocator prevRel = null;
            int lastId = -1;
            long dataTotal = 0;
            while (total - buf.position() > dataTotal) {
                int id = buf.get() & 0xff;
                if (id == XLR_BLOCK_ID_DATA_SHORT) {
                    mainLen = buf.get() & 0xff;
                    break;
                } else if (id == XLR_BLOCK_ID_DATA_LONG) {
                    mainLen = buf.getInt();
                    break;
                } else if (id > WalRecord.XLR_MAX_BLOCK_ID) {
                    return new Decoded(null, total, prev, "invalid block_id " + id + " at " + at);
                } else if (id <= lastId) {
                    return new Decoded(null, total, prev, "out-of-order block_id " + id + " at " + at);
                }
                lastId = id;
                int flags = buf.get() & 0xff;
                int dataLen = buf.getShort() & 0xffff;
                int imgLen = 0;
                int holeOffset = 0;
                int bimgInfo = 0;
                if ((flags & BKPBLOCK_HAS_IMAGE) != 0) {
                    imgLen = buf.getShort() & 0xffff;
                    holeOffset = buf.getShort() & 0xffff;
                    bimgInfo = buf.get() & 0xff;
                    boolean hasHole = (bimgInfo & BKPIMAGE_HAS_HOLE) != 0;
                    if (imgLen > PAGE_SIZE || (hasHole && (holeOffset == 0 || imgLen == PAGE_SIZE))
                            || (!hasHole && (holeOffset != 0 || imgLen != PAGE_SIZE))) {
                        return new Decoded(null, total, prev, "invalid block image length " + imgLen + " at " + at);
                    }
                }
                RelFileLocator rel;
                if ((flags & BKPBLOCK_SAME_REL) != 0) {
                    if (prevRel == null) {
                        return new Decoded(null, total, prev, "BKPBLOCK_SAME_REL set but no previous rel at " + at);
                    }
                    rel = prevRel;
                } else {
                    rel = new RelFileLocator(buf.getInt(), buf.getInt(), buf.getInt());
                }
                long block = buf.getInt() & 0xffffffffL;
                int fork = flags & BKPBLOCK_FORK_MASK;
                if (fork >= ForkNumber.values().length) {
                    return new Decoded(null, total, prev, "invalid fork number " + fork + " at " + at);
                }
                headers.add(new Header(id, flags, dataLen, imgLen, holeOffset, bimgInfo, rel, block));
                dataTotal += dataLen + imgLen;
                prevRel = rel;
            }
            List<BlockReference> blocks = new ArrayList<>();
            for (Header h : headers) {
                byte[] image = null;
                if ((h.flags & BKPBLOCK_HAS_IMAGE) != 0) {
                    image = new byte[PAGE_SIZE];
                    int hole = PAGE_SIZE - h.imgLen;
                    if (hole == 0) {
                        buf.get(image);
                    } else {
                        buf.get(image, 0, h.holeOffset);
                        buf.get(image, h.holeOffset + hole, PAGE_SIZE - h.holeOffset - hole);
                    }
                }
                byte[] data = null;
                if ((h.flags & BKPBLOCK_HAS_DATA) != 0) {
                    data = new byte[h.dataLen];
                    buf.get(data);
                } else if (h.dataLen != 0) {
                    return new Decoded(null, total, prev, "BKPBLOCK_HAS_DATA not set, but data length is " + h.dataLen
                            + " at " + at);
                }
                blocks.add(new BlockReference(h.id, h.rel, ForkNumber.values()[h.flags & BKPBLOCK_FORK_MASK], h.block,
                        image, data, (h.flags & BKPBLOCK_WILL_INIT) != 0, null));
            }
            if (mainLen < 0 || buf.position() + mainLen != total) {
                return new Decoded(null, total, prev, "record with invalid length at " + at);
            }
            byte[] main = new byte[mainLen];
            buf.get(main);
            return new Decoded(WalRecord.decoded(rmid, info, xid, main, blocks), total, prev, null);
        } catch (RuntimeException e) { // BufferUnderflow, IndexOutOfBounds: lengths that lie
            return new Decoded(null, total, prev, "record with invalid length at " + at);
        }
    }
}
