/*
 * IndexTuples: btree index tuples in PostgreSQL's layout (PostgreSQL: access/itup.h,
 * access/common/indextuple.c index_form_tuple / index_deform_tuple, nbtree.h's pivot tuples).
 *
 * IndexTupleData:
 * <pre>
 * 0 t_tid   6  ItemPointerData (bi_hi, bi_lo, ip_posid): the heap TID of a leaf tuple;
 *              a pivot's downlink block and its attribute count
 * 6 t_info  2  size (13 bits), 0x2000 INDEX_ALT_TID_MASK (pivot), 0x4000 INDEX_VAR_MASK,
 *              0x8000 INDEX_NULL_MASK
 * 8 bitmap  4  only with INDEX_NULL_MASK (IndexAttributeBitMapData, 1 = not null)
 * then the data area at MAXALIGN(8) or MAXALIGN(12), laid out as a heap tuple's (DatumLayout)
 * </pre>
 * Pivot tuples (high keys and internal items, nbtree version 4) have INDEX_ALT_TID_MASK, the
 * number of key attributes in ip_posid with BT_PIVOT_HEAP_TID_ATTR (0x1000) when the heap TID
 * tiebreaker is kept at the tuple's last 6 bytes. osgres does no suffix truncation: a pivot keeps
 * every key attribute and the heap TID, except "minus infinity", which keeps none.
 *
 * Entry points: form(), pivot(), minusInfinity(), values(), heapTid(), downlink(), natts().
 * See also: BtreeCompare -- ordering of the items; org.osgres.heap.datum.DatumLayout.
 */
package org.osgres.btree;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.osgres.api.buffer.Page;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.TupleDesc;
import org.osgres.heap.datum.DatumLayout;

final class IndexTuples {
    static final int INDEX_SIZE_MASK = 0x1FFF;
    static final int INDEX_ALT_TID_MASK = 0x2000;
    static final int INDEX_VAR_MASK = 0x4000;
    static final int INDEX_NULL_MASK = 0x8000;
    static final int BT_OFFSET_MASK = 0x0FFF;
    static final int BT_PIVOT_HEAP_TID_ATTR = 0x1000;
    /** sizeof(IndexTupleData). */
    static final int HEADER = 8;
    /** INDEX_MAX_KEYS / 8: the bitmap's fixed size. */
    static final int BITMAP = 4;
    static final int INDEX_MAX_KEYS = 32;

    private IndexTuples() {
    }

    /** IndexInfoFindDataOffset. */
    static int dataOffset(int tInfo) {
        return (tInfo & INDEX_NULL_MASK) != 0 ? Page.maxAlign(HEADER + BITMAP) : Page.maxAlign(HEADER);
    }

    /** index_form_tuple: a leaf tuple for the key values pointing at heapTid. */
    static byte[] form(TupleDesc desc, Object[] values, ItemPointer heapTid) {
        boolean hasNull = false;
        for (Object v : values) {
            hasNull |= v == null;
        }
        byte[][] payloads = new byte[values.length][];
        int tInfo = (hasNull ? INDEX_NULL_MASK : 0) | (DatumLayout.hasVarWidth(desc, values) ? INDEX_VAR_MASK : 0);
        int dataOff = dataOffset(tInfo);
        int size = Page.maxAlign(dataOff + DatumLayout.dataSize(desc, values, payloads));
        byte[] t = new byte[size];
        ByteBuffer b = ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN);
        setTid(b, 0, heapTid == null ? 0 : heapTid.block(), heapTid == null ? 0 : heapTid.offset());
        b.putShort(6, (short) (tInfo | size));
        if (hasNull) {
            for (int i = 0; i < values.length; i++) {
                if (values[i] != null) {
                    t[HEADER + i / 8] |= (byte) (1 << (i % 8));
                }
            }
        }
        DatumLayout.fill(desc, values, payloads, b, dataOff);
        return t;
    }

    static void setTid(ByteBuffer b, int off, int block, int posid) {
        b.putShort(off, (short) (block >>> 16));
        b.putShort(off + 2, (short) block);
        b.putShort(off + 4, (short) posid);
    }

    static int tidBlock(ByteBuffer b, int off) {
        return (b.getShort(off) & 0xffff) << 16 | (b.getShort(off + 2) & 0xffff);
    }

    static int tidPosid(ByteBuffer b, int off) {
        return b.getShort(off + 4) & 0xffff;
    }

    static int info(ByteBuffer b, int off) {
        return b.getShort(off + 6) & 0xffff;
    }

    static int size(ByteBuffer b, int off) {
        return info(b, off) & INDEX_SIZE_MASK;
    }

    static boolean isPivot(ByteBuffer b, int off) {
        return (info(b, off) & INDEX_ALT_TID_MASK) != 0;
    }

    static boolean hasNulls(ByteBuffer b, int off) {
        return (info(b, off) & INDEX_NULL_MASK) != 0;
    }

    /** Whether attribute i (0-based) is null (index_getattr's att_isnull). */
    static boolean isNull(ByteBuffer b, int off, int i) {
        return hasNulls(b, off) && (b.get(off + HEADER + i / 8) & (1 << (i % 8))) == 0;
    }

    /** BTreeTupleGetNAtts. */
    static int natts(ByteBuffer b, int off, int indexNatts) {
        return isPivot(b, off) ? tidPosid(b, off) & BT_OFFSET_MASK : indexNatts;
    }

    /** BTreeTupleGetHeapTID: a leaf tuple's t_tid, a pivot's trailing TID, or null (minus infinity). */
    static ItemPointer heapTid(ByteBuffer b, int off) {
        if (!isPivot(b, off)) {
            return new ItemPointer(tidBlock(b, off), tidPosid(b, off));
        }
        if ((tidPosid(b, off) & BT_PIVOT_HEAP_TID_ATTR) == 0) {
            return null;
        }
        int at = off + size(b, off) - 6;
        return new ItemPointer(tidBlock(b, at), tidPosid(b, at));
    }

    /** BTreeTupleGetDownLink. */
    static int downlink(ByteBuffer b, int off) {
        return tidBlock(b, off);
    }

    /** The key part's length: a leaf tuple whole, a pivot without its trailing heap TID. */
    private static int keyLength(ByteBuffer b, int off) {
        int size = size(b, off);
        if (isPivot(b, off) && (tidPosid(b, off) & BT_PIVOT_HEAP_TID_ATTR) != 0) {
            return size - Page.maxAlign(6);
        }
        return size;
    }

    /**
     * A pivot tuple from a leaf or pivot tuple (what _bt_truncate makes, without truncating):
     * every key attribute, the heap TID, and downlink in t_tid.
     */
    static byte[] pivot(ByteBuffer b, int off, int natts, int downlink) {
        ItemPointer tid = heapTid(b, off);
        int keyLen = keyLength(b, off);
        int size = keyLen + Page.maxAlign(6);
        byte[] t = new byte[size];
        b.get(off, t, 0, keyLen);
        ByteBuffer p = ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN);
        setTid(p, 0, downlink, natts | BT_PIVOT_HEAP_TID_ATTR);
        p.putShort(6, (short) ((info(b, off) & ~INDEX_SIZE_MASK) | INDEX_ALT_TID_MASK | size));
        setTid(p, size - 6, tid.block(), tid.offset());
        return t;
    }

    /** A copy of a pivot with another downlink (BTreeTupleSetDownLink). */
    static byte[] withDownlink(ByteBuffer b, int off, int downlink) {
        byte[] t = new byte[size(b, off)];
        b.get(off, t);
        ByteBuffer p = ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN);
        setTid(p, 0, downlink, tidPosid(p, 0));
        return t;
    }

    /** The first item of an internal page: no key attributes, only the downlink. */
    static byte[] minusInfinity(int downlink) {
        byte[] t = new byte[HEADER];
        ByteBuffer p = ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN);
        setTid(p, 0, downlink, 0);
        p.putShort(6, (short) (INDEX_ALT_TID_MASK | HEADER));
        return t;
    }

    /** index_deform_tuple: the key values (natts of them; the rest null). */
    static Object[] values(TupleDesc desc, ByteBuffer b, int off) {
        int natts = natts(b, off, desc.size());
        int dataStart = off + dataOffset(info(b, off));
        return DatumLayout.deform(desc, b, dataStart, natts, i -> isNull(b, off, i));
    }

    /**
     * The page positions of the first natts attributes' datums, -1 for nulls (the walk of
     * nocache_index_getattr).
     */
    static void attributePositions(TupleDesc desc, ByteBuffer b, int off, int natts, int[] pos) {
        int dataStart = off + dataOffset(info(b, off));
        boolean nulls = hasNulls(b, off);
        int rel = 0;
        for (int i = 0; i < natts; i++) {
            if (nulls && isNull(b, off, i)) {
                pos[i] = -1;
                continue;
            }
            var att = desc.get(i);
            rel = DatumLayout.start(att, b, dataStart, rel);
            pos[i] = dataStart + rel;
            rel += DatumLayout.length(att, b, dataStart + rel);
        }
    }
}
