/*
 * HeapTupleCodec: rows to heap tuple bytes and back (PostgreSQL: access/common/heaptuple.c
 * heap_form_tuple, heap_fill_tuple, heap_deform_tuple, with utils/adt's on-disk datum formats).
 *
 * Layout rules, as PostgreSQL's: after the header and the null bitmap (present when any value
 * is null), t_hoff is MAXALIGNed; the data area follows, laid out by DatumLayout (alignment,
 * short varlena headers, the datum formats), which the btree's index tuples share.
 *
<<<<<<< HEAD
 * Datums: bool 1 byte; int2/int4/int8, float8 little-endian; date int4 days and timestamp int8
 * microseconds since 2000-01-01; text, varchar and bpchar UTF-8; numeric PostgreSQL's
 * NumericShort or NumericLong (NumericCodec). The catalogs' types: name NAMEDATALEN bytes, zero
 * padded (fixed length, not by value); oid, regproc, xid int4; "char" one byte; float4
 * little-endian; pg_node_tree as text; int2vector, oidvector, int2[] and oid[] PostgreSQL's
 * one-dimensional ArrayType without nulls (ndim, dataoffset 0, elemtype, dim, lbound, elements);
 * text[] the same with 4-byte-header text elements aligned to 4.
 *
 * Entry points: form() (heap_form_tuple), deform() (heap_deform_tuple), dataSize().
 * See also: HeapTupleHeader; NumericCodec.
=======
 * Entry points: form() (heap_form_tuple), deform() (heap_deform_tuple).
 * See also: HeapTupleHeader; org.osgres.heap.datum.DatumLayout.
>>>>>>> btree
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

<<<<<<< HEAD
    private static int align(int off, int alignment) {
        return (off + alignment - 1) & -alignment;
    }

    /** A value's payload: the varlena data (without header) for varlena types, null for byval ones. */
    private static byte[] varlenaPayload(Attribute att, Object value) {
        return switch (att.typeOid()) {
            case Attribute.TEXT, Attribute.VARCHAR, Attribute.BPCHAR, Attribute.PG_NODE_TREE ->
                value.toString().getBytes(StandardCharsets.UTF_8);
            case Attribute.NUMERIC -> NumericCodec.encode(toBigDecimal(value));
            case Attribute.INT2VECTOR -> arrayPayload(Attribute.INT2, 0, shorts(value));
            case Attribute.INT2_ARRAY -> arrayPayload(Attribute.INT2, 1, shorts(value));
            case Attribute.OIDVECTOR -> arrayPayload(Attribute.OID, 0, ints(value));
            case Attribute.OID_ARRAY -> arrayPayload(Attribute.OID, 1, ints(value));
            case Attribute.TEXT_ARRAY -> textArrayPayload((String[]) value);
            default -> throw new IllegalArgumentException("the heap stores only NULL in columns of type " + att.typeOid());
        };
    }

    private static int[] shorts(Object value) {
        short[] s = (short[]) value;
        int[] v = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            v[i] = s[i];
        }
        return v;
    }

    private static int[] ints(Object value) {
        return (int[]) value;
    }

    /**
     * A one-dimensional array without nulls (utils/array.h ArrayType; int2vector and oidvector
     * are the same with lower bound 0): ndim, dataoffset 0, elemtype, dim, lbound, then the
     * elements at ARR_OVERHEAD_NONULLS(1) = 24 bytes from the varlena's start. An empty int2[] or
     * oid[] has ndim 0 and no dims; an empty vector keeps ndim 1 with dim 0 (buildint2vector).
     */
    private static byte[] arrayPayload(int elemType, int lbound, int[] elems) {
        int elemLen = elemType == Attribute.INT2 ? 2 : 4;
        boolean empty = elems.length == 0 && lbound == 1;
        ByteBuffer b = ByteBuffer.allocate(empty ? 12 : 20 + elems.length * elemLen).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(empty ? 0 : 1).putInt(0).putInt(elemType);
        if (!empty) {
            b.putInt(elems.length).putInt(lbound);
            for (int e : elems) {
                if (elemLen == 2) {
                    b.putShort((short) e);
                } else {
                    b.putInt(e);
                }
            }
        }
        return b.array();
    }

    /**
     * A one-dimensional text[] without nulls: after the 20 header bytes each element is a
     * varlena with a 4-byte header, aligned to 4 bytes from the array's start, the last one
     * padded too (construct_md_array).
     */
    private static byte[] textArrayPayload(String[] elems) {
        if (elems.length == 0) {
            return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(0).putInt(Attribute.TEXT).array();
        }
        byte[][] bytes = new byte[elems.length][];
        int size = 20;
        for (int i = 0; i < elems.length; i++) {
            bytes[i] = elems[i].getBytes(StandardCharsets.UTF_8);
            size = align(size + 4 + 4 + bytes[i].length, 4) - 4;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(1).putInt(0).putInt(Attribute.TEXT).putInt(elems.length).putInt(1);
        int pos = 20;
        for (byte[] e : bytes) {
            b.putInt(pos, (4 + e.length) << 2);
            b.put(pos + 4, e);
            pos = align(pos + 4 + 4 + e.length, 4) - 4;
        }
        return b.array();
    }

    private static String[] textArrayValue(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        int n = b.getInt(0) == 0 ? 0 : b.getInt(12);
        String[] v = new String[n];
        int pos = 20;
        for (int i = 0; i < n; i++) {
            int len = (b.getInt(pos) >>> 2) - 4;
            v[i] = new String(payload, pos + 4, len, StandardCharsets.UTF_8);
            pos = align(pos + 4 + 4 + len, 4) - 4;
        }
        return v;
    }

    private static Object arrayValue(int typeOid, byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        int ndim = b.getInt(0);
        int n = ndim == 0 ? 0 : b.getInt(12);
        boolean int2 = typeOid == Attribute.INT2VECTOR || typeOid == Attribute.INT2_ARRAY;
        if (int2) {
            short[] v = new short[n];
            for (int i = 0; i < n; i++) {
                v[i] = b.getShort(20 + 2 * i);
            }
            return v;
        }
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = b.getInt(20 + 4 * i);
        }
        return v;
    }

    /** A name's bytes (namein): UTF-8, cut to NAMEDATALEN - 1 bytes at a character boundary. */
    static byte[] nameBytes(Object value) {
        String s = value.toString();
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        while (b.length > Attribute.NAMEDATALEN - 1) {
            s = s.substring(0, s.offsetByCodePoints(s.length(), -1));
            b = s.getBytes(StandardCharsets.UTF_8);
        }
        return b;
    }

    private static BigDecimal toBigDecimal(Object value) {
        if (value instanceof BigDecimal b) {
            return b;
        }
        if (value instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        throw new IllegalArgumentException("not a numeric value: " + value);
    }

    private static boolean canBeShort(Attribute att, int payload) {
        return att.storage() != 'p' && payload + 1 <= VARATT_SHORT_MAX;
    }

=======
>>>>>>> btree
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
<<<<<<< HEAD
            } else if (!att.byVal()) {
                data = align(data, att.alignment());
                byte[] name = nameBytes(v); // the one fixed-length by-reference type: name
                System.arraycopy(name, 0, tuple, hoff + data, name.length);
                data += att.len();
            } else {
                data = align(data, att.alignment());
                putByVal(buf, hoff + data, att, v);
                data += att.len();
=======
>>>>>>> btree
            }
        }
        DatumLayout.fill(desc, values, payloads, buf, hoff);
        return tuple;
    }

<<<<<<< HEAD
    @SuppressWarnings("checkstyle:MethodName")
    private static int SIZE_WITH_BITMAP(boolean hasNull, int natts) {
        return Page.maxAlign(HeapTupleHeader.SIZE + (hasNull ? bitmapLen(natts) : 0));
    }

    private static void putByVal(ByteBuffer buf, int pos, Attribute att, Object v) {
        switch (att.typeOid()) {
            case Attribute.BOOL -> buf.put(pos, (byte) (((Boolean) v) ? 1 : 0));
            case Attribute.INT2 -> buf.putShort(pos, ((Number) v).shortValue());
            case Attribute.INT4, Attribute.OID, Attribute.REGPROC, Attribute.XID -> buf.putInt(pos, ((Number) v).intValue());
            case Attribute.CHAR -> buf.put(pos, charByte(v));
            case Attribute.FLOAT4 -> buf.putFloat(pos, ((Number) v).floatValue());
            case Attribute.INT8 -> buf.putLong(pos, ((Number) v).longValue());
            case Attribute.FLOAT8 -> buf.putDouble(pos, ((Number) v).doubleValue());
            case Attribute.DATE -> buf.putInt(pos, (int) ChronoUnit.DAYS.between(POSTGRES_EPOCH_DATE, (LocalDate) v));
            case Attribute.TIMESTAMP -> buf.putLong(pos, ChronoUnit.MICROS.between(POSTGRES_EPOCH, (LocalDateTime) v));
            default -> throw new IllegalArgumentException("not a by-value type: " + att.typeOid());
        }
    }

    private static byte charByte(Object v) {
        if (v instanceof Character c) {
            return (byte) c.charValue();
        }
        String s = v.toString();
        return s.isEmpty() ? 0 : (byte) s.charAt(0);
    }

=======
>>>>>>> btree
    /** Deforms a tuple's bytes (heap_deform_tuple); attributes past the tuple's natts are null. */
    static Object[] deform(TupleDesc desc, ByteBuffer t, int start) {
        int infomask = HeapTupleHeader.infomask(t, start);
        int tupNatts = HeapTupleHeader.infomask2(t, start) & HeapTupleHeader.HEAP_NATTS_MASK;
        boolean hasNull = (infomask & HeapTupleHeader.HEAP_HASNULL) != 0;
        int hoff = HeapTupleHeader.hoff(t, start);
<<<<<<< HEAD
        int off = 0;
        int limit = Math.min(natts, tupNatts);
        for (int i = 0; i < limit; i++) {
            if (hasNull && (t.get(start + HeapTupleHeader.OFF_BITS + i / 8) & (1 << (i % 8))) == 0) {
                continue;
            }
            Attribute att = desc.get(i);
            if (att.len() == -1) {
                int pos = start + hoff + off;
                int first = t.get(pos) & 0xff;
                int len;
                int hdr;
                if ((first & 0x01) != 0) { // VARATT_IS_1B: no alignment
                    len = first >>> 1;
                    hdr = 1;
                } else {
                    off = align(off, att.alignment()); // att_align_pointer: padding is zero
                    pos = start + hoff + off;
                    len = t.getInt(pos) >>> 2;
                    hdr = 4;
                }
                values[i] = varlenaValue(att, t, pos + hdr, len - hdr);
                off += len;
            } else if (!att.byVal()) {
                off = align(off, att.alignment());
                int pos = start + hoff + off;
                int n = 0;
                while (n < att.len() && t.get(pos + n) != 0) {
                    n++;
                }
                byte[] name = new byte[n];
                t.get(pos, name);
                values[i] = new String(name, StandardCharsets.UTF_8);
                off += att.len();
            } else {
                off = align(off, att.alignment());
                values[i] = getByVal(t, start + hoff + off, att);
                off += att.len();
            }
        }
        return values;
    }

    private static Object varlenaValue(Attribute att, ByteBuffer t, int pos, int len) {
        byte[] bytes = new byte[len];
        t.get(pos, bytes);
        return switch (att.typeOid()) {
            case Attribute.NUMERIC -> NumericCodec.decode(bytes);
            case Attribute.INT2VECTOR, Attribute.INT2_ARRAY, Attribute.OIDVECTOR, Attribute.OID_ARRAY ->
                arrayValue(att.typeOid(), bytes);
            case Attribute.TEXT_ARRAY -> textArrayValue(bytes);
            case Attribute.TEXT, Attribute.VARCHAR, Attribute.BPCHAR, Attribute.PG_NODE_TREE ->
                new String(bytes, StandardCharsets.UTF_8);
            default -> bytes;
        };
    }

    private static Object getByVal(ByteBuffer t, int pos, Attribute att) {
        return switch (att.typeOid()) {
            case Attribute.BOOL -> t.get(pos) != 0;
            case Attribute.INT2 -> t.getShort(pos);
            case Attribute.INT4, Attribute.OID, Attribute.REGPROC, Attribute.XID -> t.getInt(pos);
            case Attribute.CHAR -> t.get(pos) == 0 ? "" : String.valueOf((char) (t.get(pos) & 0xff));
            case Attribute.FLOAT4 -> t.getFloat(pos);
            case Attribute.INT8 -> t.getLong(pos);
            case Attribute.FLOAT8 -> t.getDouble(pos);
            case Attribute.DATE -> POSTGRES_EPOCH_DATE.plusDays(t.getInt(pos));
            case Attribute.TIMESTAMP -> POSTGRES_EPOCH.plus(t.getLong(pos), ChronoUnit.MICROS);
            default -> throw new IllegalArgumentException("not a by-value type: " + att.typeOid());
        };
=======
        return DatumLayout.deform(desc, t, start + hoff, Math.min(desc.size(), tupNatts),
                i -> hasNull && (t.get(start + HeapTupleHeader.OFF_BITS + i / 8) & (1 << (i % 8))) == 0);
>>>>>>> btree
    }
}
