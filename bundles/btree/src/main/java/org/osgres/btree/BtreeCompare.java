/*
 * BtreeCompare: the order of btree keys (PostgreSQL: access/nbtree/nbtcompare.c btint4cmp and
 * friends, utils/adt's bttextcmp with the C collation, bpcharcmp, numeric_cmp, btfloat8cmp,
 * date_cmp, timestamp_cmp, btboolcmp; nbtsearch.c _bt_compare; nbtutils.c _bt_mkscankey).
 *
 * Datums compare as the default btree operator classes do: integers, dates and timestamps
 * numerically; float8 with NaN above every other value and -0 equal to 0; text and varchar by
 * their UTF-8 bytes, unsigned (memcmp then length: the C collation's code point order); bpchar
 * the same after dropping trailing spaces; numeric by value (1.50 = 1.5); bool false < true.
 * NULLs sort after every value (NULLS LAST, the btree default), and compare equal to each other
 * for ordering. Keys of several columns compare column by column, then by heap TID, which makes
 * every leaf tuple's key unique (nbtree version 4's heapkeyspace).
 *
 * Entry points: compare() (_bt_compare), compareTuples(), compareValues(), InsertKey.
 * See also: IndexTuples; BtreeSearch.
 */
package org.osgres.btree;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.LocalDate;
import java.time.LocalDateTime;

import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.TupleDesc;
import org.osgres.heap.datum.DatumLayout;

final class BtreeCompare {
    private BtreeCompare() {
    }

    /**
     * An insertion scan key (BTScanInsertData): the first keysz key columns of an index tuple
     * made from the values, the heap TID tiebreaker (scantid, null for "any"), and nextkey (find
     * the first item greater than the key rather than the first greater or equal).
     */
    static final class InsertKey {
        final ByteBuffer tuple;
        final int keysz;
        ItemPointer scantid;
        final boolean nextkey;
        final int[] positions;

        InsertKey(TupleDesc desc, byte[] tuple, int keysz, ItemPointer scantid, boolean nextkey) {
            this.tuple = ByteBuffer.wrap(tuple).order(ByteOrder.LITTLE_ENDIAN);
            this.keysz = keysz;
            this.scantid = scantid;
            this.nextkey = nextkey;
            this.positions = new int[keysz];
            IndexTuples.attributePositions(desc, this.tuple, 0, keysz, positions);
        }
    }

    /**
     * _bt_compare: the scan key against the item at offnum of the page: negative, 0 or positive
     * as the key is less, equal or greater. The first data item of an internal page is minus
     * infinity: every key is greater.
     */
    static int compare(TupleDesc desc, InsertKey key, ByteBuffer page, int offnum) {
        if (!BtreePage.isLeaf(page) && offnum == BtreePage.firstDataKey(page)) {
            return 1;
        }
        return compareToTuple(desc, key, page, BtreePage.itemOffset(page, offnum));
    }

    /** The key against the index tuple at off of buf. */
    static int compareToTuple(TupleDesc desc, InsertKey key, ByteBuffer buf, int off) {
        int natts = IndexTuples.natts(buf, off, desc.size());
        int n = Math.min(key.keysz, natts);
        int[] pos = new int[n];
        IndexTuples.attributePositions(desc, buf, off, n, pos);
        for (int i = 0; i < n; i++) {
            int c = compareNullable(desc.get(i), key.tuple, key.positions[i], buf, pos[i]);
            if (c != 0) {
                return c;
            }
        }
        if (natts < key.keysz) {
            return 1; // truncated attributes are minus infinity
        }
        if (key.scantid == null) {
            return 0;
        }
        ItemPointer tid = IndexTuples.heapTid(buf, off);
        if (tid == null) {
            return 1;
        }
        return compareTids(key.scantid, tid);
    }

    static int compareTids(ItemPointer a, ItemPointer b) {
        int c = Integer.compareUnsigned(a.block(), b.block());
        return c != 0 ? c : Integer.compare(a.offset(), b.offset());
    }

    /**
     * Two whole index tuples by their key columns (no heap TID): the sort's comparator
     * (comparetup_index_btree without the TID tiebreak, which the sort's stability gives).
     */
    static int compareTuples(TupleDesc desc, ByteBuffer a, int aOff, ByteBuffer b, int bOff, int[] posA, int[] posB) {
        int natts = desc.size();
        IndexTuples.attributePositions(desc, a, aOff, natts, posA);
        IndexTuples.attributePositions(desc, b, bOff, natts, posB);
        for (int i = 0; i < natts; i++) {
            int c = compareNullable(desc.get(i), a, posA[i], b, posB[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** NULLS LAST: a null position (-1) is greater than any value. */
    private static int compareNullable(Attribute att, ByteBuffer a, int pa, ByteBuffer b, int pb) {
        if (pa < 0 || pb < 0) {
            return pa < 0 ? (pb < 0 ? 0 : 1) : -1;
        }
        return compareDatums(att, a, pa, b, pb);
    }

    /** The datum at pa of a against the one at pb of b, both of the attribute's type. */
    static int compareDatums(Attribute att, ByteBuffer a, int pa, ByteBuffer b, int pb) {
        return switch (att.typeOid()) {
            case Attribute.INT4, Attribute.DATE -> Integer.compare(a.getInt(pa), b.getInt(pb));
            case Attribute.INT8, Attribute.TIMESTAMP -> Long.compare(a.getLong(pa), b.getLong(pb));
            case Attribute.INT2 -> Short.compare(a.getShort(pa), b.getShort(pb));
            case Attribute.BOOL -> Integer.compare(a.get(pa) != 0 ? 1 : 0, b.get(pb) != 0 ? 1 : 0);
            case Attribute.FLOAT8 -> compareFloat8(a.getDouble(pa), b.getDouble(pb));
            case Attribute.TEXT, Attribute.VARCHAR -> compareBytes(a, pa, b, pb, false);
            case Attribute.BPCHAR -> compareBytes(a, pa, b, pb, true);
            case Attribute.NUMERIC -> numeric(att, a, pa).compareTo(numeric(att, b, pb));
            default -> throw new IllegalArgumentException("no btree operator class for type " + att.typeOid());
        };
    }

    private static BigDecimal numeric(Attribute att, ByteBuffer t, int pos) {
        return (BigDecimal) DatumLayout.value(att, t, pos);
    }

    /** btfloat8cmp: NaN is greater than every other value and equal to itself. */
    static int compareFloat8(double x, double y) {
        if (Double.isNaN(x)) {
            return Double.isNaN(y) ? 0 : 1;
        }
        if (Double.isNaN(y)) {
            return -1;
        }
        return x < y ? -1 : x > y ? 1 : 0;
    }

    /** varstr_cmp in the C collation (memcmp, then the shorter first); bpchar without trailing spaces (bcTruelen). */
    private static int compareBytes(ByteBuffer a, int pa, ByteBuffer b, int pb, boolean bpchar) {
        int ha = DatumLayout.varHeaderSize(a, pa);
        int hb = DatumLayout.varHeaderSize(b, pb);
        int la = varLength(a, pa) - ha;
        int lb = varLength(b, pb) - hb;
        int sa = pa + ha;
        int sb = pb + hb;
        if (bpchar) {
            while (la > 0 && a.get(sa + la - 1) == ' ') {
                la--;
            }
            while (lb > 0 && b.get(sb + lb - 1) == ' ') {
                lb--;
            }
        }
        int n = Math.min(la, lb);
        int m = a.slice(sa, n).mismatch(b.slice(sb, n));
        if (m >= 0) {
            return Integer.compare(a.get(sa + m) & 0xff, b.get(sb + m) & 0xff); // memcmp: unsigned bytes
        }
        return Integer.compare(la, lb);
    }

    private static int varLength(ByteBuffer t, int pos) {
        int first = t.get(pos) & 0xff;
        return (first & 0x01) != 0 ? first >>> 1 : t.getInt(pos) >>> 2;
    }

    /** Two Java values of one column's type (the scan's filters, _bt_checkkeys). Not null. */
    @SuppressWarnings("unchecked")
    static int compareValues(Attribute att, Object a, Object b) {
        return switch (att.typeOid()) {
            case Attribute.INT2, Attribute.INT4, Attribute.INT8 -> Long.compare(((Number) a).longValue(), ((Number) b).longValue());
            case Attribute.FLOAT8 -> compareFloat8(((Number) a).doubleValue(), ((Number) b).doubleValue());
            case Attribute.BOOL -> Boolean.compare((Boolean) a, (Boolean) b);
            case Attribute.DATE -> ((LocalDate) a).compareTo((LocalDate) b);
            case Attribute.TIMESTAMP -> ((LocalDateTime) a).compareTo((LocalDateTime) b);
            case Attribute.NUMERIC -> toBigDecimal(a).compareTo(toBigDecimal(b));
            case Attribute.TEXT, Attribute.VARCHAR -> compareUtf8(a.toString(), b.toString(), false);
            case Attribute.BPCHAR -> compareUtf8(a.toString(), b.toString(), true);
            default -> throw new IllegalArgumentException("no btree operator class for type " + att.typeOid());
        };
    }

    private static BigDecimal toBigDecimal(Object v) {
        return v instanceof BigDecimal d ? d : new BigDecimal(v.toString());
    }

    /** Code point order, which is UTF-8 byte order. */
    static int compareUtf8(String a, String b, boolean bpchar) {
        if (bpchar) {
            a = stripSpaces(a);
            b = stripSpaces(b);
        }
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return ca < cb ? -1 : 1;
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static String stripSpaces(String s) {
        int n = s.length();
        while (n > 0 && s.charAt(n - 1) == ' ') {
            n--;
        }
        return s.substring(0, n);
    }
}
