/*
 * HeapTupleHeader: the fields of a heap tuple's header on its page (PostgreSQL:
 * access/htup_details.h HeapTupleHeaderData), read and written in place, little-endian.
 *
 *  0  t_xmin       4   inserting xid
 *  4  t_xmax       4   deleting, updating or locking xid
 *  8  t_cid        4   cmin, cmax or a combo command id (t_xvac for old VACUUM FULL)
 * 12  t_ctid       6   BlockIdData (bi_hi, bi_lo) and OffsetNumber: this or the next version
 * 18  t_infomask2  2   number of attributes, HOT and key-update flags
 * 20  t_infomask   2   nulls, varwidth, hint bits, xmax lock flags
 * 22  t_hoff       1   offset of the data: MAXALIGN(23 + null bitmap)
 * 23  t_bits[]         null bitmap, one bit per attribute, 1 = not null
 *
 * Entry points: static getters and setters over (page, offset of the tuple).
 * See also: HeapTupleCodec -- the data part; HeapVisibility -- what the bits mean.
 */
package org.osgres.heap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.osgres.api.heap.ItemPointer;

final class HeapTupleHeader {
    /** SizeofHeapTupleHeader: offsetof(HeapTupleHeaderData, t_bits). */
    static final int SIZE = 23;

    static final int HEAP_HASNULL = 0x0001;
    static final int HEAP_HASVARWIDTH = 0x0002;
    static final int HEAP_HASEXTERNAL = 0x0004;
    static final int HEAP_XMAX_KEYSHR_LOCK = 0x0010;
    static final int HEAP_COMBOCID = 0x0020;
    static final int HEAP_XMAX_EXCL_LOCK = 0x0040;
    static final int HEAP_XMAX_LOCK_ONLY = 0x0080;
    static final int HEAP_XMAX_SHR_LOCK = HEAP_XMAX_EXCL_LOCK | HEAP_XMAX_KEYSHR_LOCK;
    static final int HEAP_LOCK_MASK = HEAP_XMAX_SHR_LOCK | HEAP_XMAX_EXCL_LOCK | HEAP_XMAX_KEYSHR_LOCK;
    static final int HEAP_XMIN_COMMITTED = 0x0100;
    static final int HEAP_XMIN_INVALID = 0x0200;
    static final int HEAP_XMIN_FROZEN = HEAP_XMIN_COMMITTED | HEAP_XMIN_INVALID;
    static final int HEAP_XMAX_COMMITTED = 0x0400;
    static final int HEAP_XMAX_INVALID = 0x0800;
    static final int HEAP_XMAX_IS_MULTI = 0x1000;
    static final int HEAP_UPDATED = 0x2000;
    static final int HEAP_MOVED_OFF = 0x4000;
    static final int HEAP_MOVED_IN = 0x8000;
    /** The hint bits (HEAP_XACT_MASK less the lock bits). */
    static final int HINT_BITS = HEAP_XMIN_COMMITTED | HEAP_XMIN_INVALID | HEAP_XMAX_COMMITTED | HEAP_XMAX_INVALID;
    /** What heap_update/delete/lock clear before setting a new xmax (HEAP_XMAX_BITS). */
    static final int HEAP_XMAX_BITS = HEAP_XMAX_COMMITTED | HEAP_XMAX_INVALID | HEAP_XMAX_IS_MULTI | HEAP_LOCK_MASK
            | HEAP_XMAX_LOCK_ONLY;

    static final int HEAP_NATTS_MASK = 0x07FF;
    static final int HEAP_KEYS_UPDATED = 0x2000;
    static final int HEAP_HOT_UPDATED = 0x4000;
    static final int HEAP_ONLY_TUPLE = 0x8000;

    static final int OFF_XMIN = 0;
    static final int OFF_XMAX = 4;
    static final int OFF_CID = 8;
    static final int OFF_CTID = 12;
    static final int OFF_INFOMASK2 = 18;
    static final int OFF_INFOMASK = 20;
    static final int OFF_HOFF = 22;
    static final int OFF_BITS = 23;

    private static final VarHandle SHORT = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private HeapTupleHeader() {
    }

    static int xmin(ByteBuffer p, int t) {
        return (int) INT.get(p, t + OFF_XMIN);
    }

    static void setXmin(ByteBuffer p, int t, int xid) {
        INT.set(p, t + OFF_XMIN, xid);
    }

    static int xmax(ByteBuffer p, int t) {
        return (int) INT.get(p, t + OFF_XMAX);
    }

    static void setXmax(ByteBuffer p, int t, int xid) {
        INT.set(p, t + OFF_XMAX, xid);
    }

    /** The raw t_cid (HeapTupleHeaderGetRawCommandId). */
    static int rawCid(ByteBuffer p, int t) {
        return (int) INT.get(p, t + OFF_CID);
    }

    static void setRawCid(ByteBuffer p, int t, int cid) {
        INT.set(p, t + OFF_CID, cid);
    }

    static ItemPointer ctid(ByteBuffer p, int t) {
        int hi = (short) SHORT.get(p, t + OFF_CTID) & 0xffff;
        int lo = (short) SHORT.get(p, t + OFF_CTID + 2) & 0xffff;
        int pos = (short) SHORT.get(p, t + OFF_CTID + 4) & 0xffff;
        return new ItemPointer(hi << 16 | lo, pos);
    }

    static void setCtid(ByteBuffer p, int t, ItemPointer tid) {
        SHORT.set(p, t + OFF_CTID, (short) (tid.block() >>> 16));
        SHORT.set(p, t + OFF_CTID + 2, (short) tid.block());
        SHORT.set(p, t + OFF_CTID + 4, (short) tid.offset());
    }

    static int infomask(ByteBuffer p, int t) {
        return (short) SHORT.get(p, t + OFF_INFOMASK) & 0xffff;
    }

    static void setInfomask(ByteBuffer p, int t, int mask) {
        SHORT.set(p, t + OFF_INFOMASK, (short) mask);
    }

    static int infomask2(ByteBuffer p, int t) {
        return (short) SHORT.get(p, t + OFF_INFOMASK2) & 0xffff;
    }

    static void setInfomask2(ByteBuffer p, int t, int mask) {
        SHORT.set(p, t + OFF_INFOMASK2, (short) mask);
    }

    static int hoff(ByteBuffer p, int t) {
        return p.get(t + OFF_HOFF) & 0xff;
    }

    /** HEAP_XMAX_IS_LOCKED_ONLY. */
    static boolean xmaxIsLockedOnly(int infomask) {
        return (infomask & HEAP_XMAX_LOCK_ONLY) != 0
                || (infomask & (HEAP_XMAX_IS_MULTI | HEAP_LOCK_MASK)) == HEAP_XMAX_EXCL_LOCK;
    }
}
