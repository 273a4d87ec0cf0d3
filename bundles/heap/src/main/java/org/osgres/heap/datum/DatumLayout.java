/*
 * DatumLayout: the data area of a tuple, shared by heap and index tuples (PostgreSQL:
 * access/common/heaptuple.c heap_compute_data_size, heap_fill_tuple and the attribute walk of
 * heap_deform_tuple / nocache_index_getattr, with utils/adt's on-disk datum formats).
 *
 * The data area starts at a MAXALIGNed offset of a MAXALIGNed tuple, so alignment is computed
 * relative to its start. Each non-null value is aligned to its type's alignment, except a varlena
 * stored with a 1-byte header, which is never aligned. A varlena gets the 1-byte header when its
 * column's storage is not plain and its data is at most 126 bytes (VARATT_CAN_MAKE_SHORT), else
 * the 4-byte one. Pad bytes are zero, which is how a reader tells a 1-byte header (odd first byte)
 * from padding before an aligned 4-byte one. NULLs take no space (the caller's null bitmap says
 * which are null).
 *
 * Datums: bool 1 byte; int2/int4/int8, float8 little-endian; date int4 days and timestamp int8
 * microseconds since 2000-01-01; text, varchar and bpchar UTF-8; numeric PostgreSQL's
 * NumericShort or NumericLong (NumericCodec). The catalogs' types: name NAMEDATALEN bytes, zero
 * padded (fixed length, not by value); oid, regproc, xid int4; "char" one byte; float4
 * little-endian; pg_node_tree as text; int2vector, oidvector, int2[] and oid[] PostgreSQL's
 * one-dimensional ArrayType without nulls (ndim, dataoffset 0, elemtype, dim, lbound, elements);
 * text[] the same with 4-byte-header text elements aligned to 4.
 *
 * Entry points: dataSize() + fill() (forming), start(), length(), value(), deform() (reading).
 * Users: org.osgres.heap.HeapTupleCodec (heap tuples), the btree bundle (index tuples).
 * See also: NumericCodec.
 */
package org.osgres.heap.datum;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.function.IntPredicate;

import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.TupleDesc;

public final class DatumLayout {
    /** VARATT_SHORT_MAX: the largest varlena, header included, a 1-byte header can hold. */
    public static final int VARATT_SHORT_MAX = 0x7F;
    public static final LocalDate POSTGRES_EPOCH_DATE = LocalDate.of(2000, 1, 1);
    public static final LocalDateTime POSTGRES_EPOCH = POSTGRES_EPOCH_DATE.atStartOfDay();

    private DatumLayout() {
    }

    public static int align(int off, int alignment) {
        return (off + alignment - 1) & -alignment;
    }

    /** A value's varlena data (without header): UTF-8 for the string types, NumericCodec for numeric. */
    public static byte[] varlenaPayload(Attribute att, Object value) {
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
    public static byte[] nameBytes(Object value) {
        String s = value.toString();
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        while (b.length > Attribute.NAMEDATALEN - 1) {
            s = s.substring(0, s.offsetByCodePoints(s.length(), -1));
            b = s.getBytes(StandardCharsets.UTF_8);
        }
        return b;
    }

    private static byte charByte(Object v) {
        if (v instanceof Character c) {
            return (byte) c.charValue();
        }
        String s = v.toString();
        return s.isEmpty() ? 0 : (byte) s.charAt(0);
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

    /**
     * heap_compute_data_size: the data area's length for the values. Fills {@code payloads[i]}
     * with each varlena's data for {@link #fill}.
     */
    public static int dataSize(TupleDesc desc, Object[] values, byte[][] payloads) {
        int off = 0;
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v == null) {
                continue;
            }
            Attribute att = desc.get(i);
            if (att.len() == -1) {
                byte[] payload = varlenaPayload(att, v);
                payloads[i] = payload;
                if (canBeShort(att, payload.length)) {
                    off += 1 + payload.length;
                } else {
                    off = align(off, att.alignment()) + 4 + payload.length;
                }
            } else {
                off = align(off, att.alignment()) + att.len();
            }
        }
        return off;
    }

    /** Whether any of the values is a varlena (HEAP_HASVARWIDTH, INDEX_VAR_MASK). */
    public static boolean hasVarWidth(TupleDesc desc, Object[] values) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null && desc.get(i).len() == -1) {
                return true;
            }
        }
        return false;
    }

    /** heap_fill_tuple: writes the non-null values at {@code dataStart} of buf (little-endian, zeroed). */
    public static void fill(TupleDesc desc, Object[] values, byte[][] payloads, ByteBuffer buf, int dataStart) {
        int data = 0;
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v == null) {
                continue;
            }
            Attribute att = desc.get(i);
            if (att.len() == -1) {
                byte[] payload = payloads[i];
                if (canBeShort(att, payload.length)) {
                    buf.put(dataStart + data, (byte) (((1 + payload.length) << 1) | 0x01));
                    buf.put(dataStart + data + 1, payload);
                    data += 1 + payload.length;
                } else {
                    data = align(data, att.alignment());
                    buf.putInt(dataStart + data, (4 + payload.length) << 2);
                    buf.put(dataStart + data + 4, payload);
                    data += 4 + payload.length;
                }
            } else if (!att.byVal()) {
                data = align(data, att.alignment());
                buf.put(dataStart + data, nameBytes(v)); // the one fixed-length by-reference type: name
                data += att.len();
            } else {
                data = align(data, att.alignment());
                putByVal(buf, dataStart + data, att, v);
                data += att.len();
            }
        }
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

    /**
     * Where a non-null attribute starts (att_align_pointer): {@code off} is the end of the
     * previous attribute relative to dataStart; returns the aligned offset, relative too.
     */
    public static int start(Attribute att, ByteBuffer t, int dataStart, int off) {
        if (att.len() == -1 && (t.get(dataStart + off) & 0x01) != 0) {
            return off; // VARATT_IS_1B: no alignment
        }
        return align(off, att.alignment());
    }

    /** The attribute's length at pos, varlena header included (att_addlength_pointer). */
    public static int length(Attribute att, ByteBuffer t, int pos) {
        if (att.len() != -1) {
            return att.len();
        }
        int first = t.get(pos) & 0xff;
        return (first & 0x01) != 0 ? first >>> 1 : t.getInt(pos) >>> 2;
    }

    /** The size of the varlena header at pos: 1 or 4 (VARHDRSZ_SHORT, VARHDRSZ). */
    public static int varHeaderSize(ByteBuffer t, int pos) {
        return (t.get(pos) & 0x01) != 0 ? 1 : 4;
    }

    /** The value of the attribute at pos (fetchatt). */
    public static Object value(Attribute att, ByteBuffer t, int pos) {
        if (att.len() != -1 && !att.byVal()) {
            int n = 0;
            while (n < att.len() && t.get(pos + n) != 0) {
                n++;
            }
            byte[] name = new byte[n];
            t.get(pos, name);
            return new String(name, StandardCharsets.UTF_8);
        }
        if (att.len() != -1) {
            return getByVal(t, pos, att);
        }
        int hdr = varHeaderSize(t, pos);
        byte[] bytes = new byte[length(att, t, pos) - hdr];
        t.get(pos + hdr, bytes);
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
    }

    /**
     * The values of the first {@code natts} attributes of the data area at dataStart
     * (heap_deform_tuple's walk); {@code isNull} tells which are null. The array has desc.size()
     * entries; those past natts stay null.
     */
    public static Object[] deform(TupleDesc desc, ByteBuffer t, int dataStart, int natts, IntPredicate isNull) {
        Object[] values = new Object[desc.size()];
        int off = 0;
        for (int i = 0; i < natts; i++) {
            if (isNull.test(i)) {
                continue;
            }
            Attribute att = desc.get(i);
            off = start(att, t, dataStart, off);
            values[i] = value(att, t, dataStart + off);
            off += length(att, t, dataStart + off);
        }
        return values;
    }
}
