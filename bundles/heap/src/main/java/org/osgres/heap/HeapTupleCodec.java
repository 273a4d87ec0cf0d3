/*
 * HeapTupleCodec: rows to heap tuple bytes and back (PostgreSQL: access/common/heaptuple.c
 * heap_form_tuple, heap_fill_tuple, heap_deform_tuple, with utils/adt's on-disk datum formats).
 *
 * Layout rules, as PostgreSQL's: after the header and the null bitmap (present when any value
 * is null), t_hoff is MAXALIGNed; the data area follows, laid out by DatumLayout (alignment,
 * short varlena headers, the datum formats), which the btree's index tuples share.
 *
 * Entry points: form() (heap_form_tuple), deform() (heap_deform_tuple).
 * See also: HeapTupleHeader; org.osgres.heap.datum.DatumLayout.
 */
package org.osgres.heap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.osgres.api.buffer.Page;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.heap.TupleDesc;
import org.osgres.heap.datum.DatumLayout;

final class HeapTupleCodec {
    private HeapTupleCodec() {
    }

    /** BITMAPLEN. */
    static int bitmapLen(int natts) {
        return (natts + 7) / 8;
    }

    /**
     * Forms a tuple (heap_form_tuple): header with t_infomask2 natts, HASNULL/HASVARWIDTH,
     * t_hoff and the null bitmap; xmin, xmax, cid and ctid are left zero for the caller.
     */
    static byte[] form(TupleDesc desc, Object[] values) {
        int natts = desc.size();
        if (values.length != natts) {
            throw new IllegalArgumentException("expected " + natts + " values, got " + values.length);
        }
        if (natts > TupleDesc.MAX_HEAP_ATTRIBUTE_NUMBER) {
            throw new PgException(SqlState.TOO_MANY_COLUMNS, "number of columns (" + natts
                    + ") exceeds limit (" + TupleDesc.MAX_HEAP_ATTRIBUTE_NUMBER + ")");
        }
        boolean hasNull = false;
        for (Object v : values) {
            hasNull |= v == null;
        }
        byte[][] payloads = new byte[natts][];
        int hoff = Page.maxAlign(HeapTupleHeader.SIZE + (hasNull ? bitmapLen(natts) : 0));
        int len = hoff + DatumLayout.dataSize(desc, values, payloads);
        byte[] tuple = new byte[len];
        ByteBuffer buf = ByteBuffer.wrap(tuple).order(ByteOrder.LITTLE_ENDIAN);
        int infomask = (hasNull ? HeapTupleHeader.HEAP_HASNULL : 0)
                | (DatumLayout.hasVarWidth(desc, values) ? HeapTupleHeader.HEAP_HASVARWIDTH : 0);
        buf.putShort(HeapTupleHeader.OFF_INFOMASK2, (short) natts);
        buf.putShort(HeapTupleHeader.OFF_INFOMASK, (short) infomask);
        buf.put(HeapTupleHeader.OFF_HOFF, (byte) hoff);
        if (hasNull) {
            for (int i = 0; i < natts; i++) {
                if (values[i] != null) {
                    tuple[HeapTupleHeader.OFF_BITS + i / 8] |= (byte) (1 << (i % 8));
                }
            }
        }
        DatumLayout.fill(desc, values, payloads, buf, hoff);
        return tuple;
    }

    /** Deforms a tuple's bytes (heap_deform_tuple); attributes past the tuple's natts are null. */
    static Object[] deform(TupleDesc desc, ByteBuffer t, int start) {
        int infomask = HeapTupleHeader.infomask(t, start);
        int tupNatts = HeapTupleHeader.infomask2(t, start) & HeapTupleHeader.HEAP_NATTS_MASK;
        boolean hasNull = (infomask & HeapTupleHeader.HEAP_HASNULL) != 0;
        int hoff = HeapTupleHeader.hoff(t, start);
        return DatumLayout.deform(desc, t, start + hoff, Math.min(desc.size(), tupNatts),
                i -> hasNull && (t.get(start + HeapTupleHeader.OFF_BITS + i / 8) & (1 << (i % 8))) == 0);
    }
}
