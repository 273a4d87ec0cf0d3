package org.osgres.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.Page;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.xact.IsolationLevel;
import org.osgres.api.xact.Transaction;

/**
 * The tuples osgres writes, byte for byte against PostgreSQL 15's (osgres_tuple_golden.tsv and
 * osgres_mvcc_golden.tsv, recorded by record-heap-tuples.sh with pageinspect): line pointers,
 * t_ctid, t_infomask2, t_infomask (hint bits masked: they depend on who read the page when),
 * t_hoff, the null bitmap and the data. Xids differ and are compared by relation only.
 */
class HeapTupleLayoutTest {
    static final int HINTS = HeapTupleHeader.HINT_BITS;

    static final TupleDesc ALL_TYPES = TupleDesc.of(Attribute.of("a", Attribute.INT2), Attribute.of("b", Attribute.INT4),
            Attribute.of("c", Attribute.INT8), Attribute.of("d", Attribute.FLOAT8), Attribute.of("e", Attribute.BOOL),
            Attribute.of("f", Attribute.TEXT), Attribute.of("g", Attribute.VARCHAR), Attribute.of("h", Attribute.BPCHAR),
            Attribute.of("i", Attribute.NUMERIC), Attribute.of("j", Attribute.TIMESTAMP), Attribute.of("k", Attribute.DATE));

    static final Object[][] ROWS = {
        {(short) 1, 2, 3L, 4.5, true, "text", "varchar", "ab   ", new BigDecimal("1.5"),
            LocalDateTime.of(2024, 2, 29, 12, 34, 56, 789012000), LocalDate.of(2024, 2, 29)},
        {(short) -1, -2, -3L, -0.25, false, "", "", "     ", new BigDecimal("0"),
            LocalDateTime.of(1999, 12, 31, 23, 59, 59), LocalDate.of(1970, 1, 1)},
        {null, 7, null, null, null, "x", null, null, new BigDecimal("-123456.789"), null, null},
        {(short) 32767, 2147483647, Long.MAX_VALUE, 1e300, true, "long".repeat(40), "tenletters", "fivec",
            new BigDecimal("12345678901234567890.0000000001"), LocalDateTime.of(2000, 1, 1, 0, 0), LocalDate.of(2000, 1, 1)},
        {null, null, null, null, null, null, null, null, null, null, null},
        {(short) 5, null, 6L, null, true, null, "v", null, new BigDecimal("100"), null, LocalDate.of(1900, 1, 1)},
        {(short) 0, 0, 0L, 0.0, false, "é", "ü", "ß    ", new BigDecimal("0.001"), LocalDateTime.of(2262, 4, 11, 23, 47, 16),
            LocalDate.of(9999, 12, 31)},
        {(short) 0, 0, 0L, 0.0, false, "numeric", null, null, new BigDecimal("99999999"), null, null},
        {(short) 0, 0, 0L, 0.0, false, "numeric", null, null, new BigDecimal("-0.00000001"), null, null},
        {(short) 0, 0, 0L, 0.0, false, "numeric", null, null, new BigDecimal("1000000"), null, null},
    };

    /** One line of heap_page_items. */
    record Item(int lp, int lpOff, int lpFlags, int lpLen, long xmin, long xmax, long field3, String ctid, int infomask2,
            int infomask, int hoff, String bits, String data) {
        static Item parse(String line) {
            String[] f = line.split("\t", -1);
            return new Item(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                    Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]), f[7], Integer.parseInt(f[8]),
                    Integer.parseInt(f[9]), Integer.parseInt(f[10]), f[11], f[12]);
        }
    }

    static List<Item> golden(String name) throws IOException {
        try (InputStream in = HeapTupleLayoutTest.class.getResourceAsStream(name)) {
            List<Item> items = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    items.add(Item.parse(line));
                }
            }
            return items;
        }
    }

    /** heap_page_items over osgres's page 0. */
    static List<Item> items(HeapFixture f, Relation rel) {
        int buffer = f.buffers.pin(rel.locator(), ForkNumber.MAIN, 0);
        try {
            ByteBuffer page = f.buffers.page(buffer);
            List<Item> items = new ArrayList<>();
            for (int lp = 1; lp <= Page.maxOffsetNumber(page); lp++) {
                int id = Page.itemId(page, lp);
                int t = Page.itemOffset(id);
                int len = Page.itemLength(id);
                int hoff = HeapTupleHeader.hoff(page, t);
                int natts = HeapTupleHeader.infomask2(page, t) & HeapTupleHeader.HEAP_NATTS_MASK;
                StringBuilder bits = new StringBuilder();
                if ((HeapTupleHeader.infomask(page, t) & HeapTupleHeader.HEAP_HASNULL) != 0) {
                    for (int i = 0; i < HeapTupleCodec.bitmapLen(natts) * 8; i++) {
                        bits.append((page.get(t + HeapTupleHeader.OFF_BITS + i / 8) >> (i % 8) & 1) != 0 ? '1' : '0');
                    }
                }
                byte[] data = new byte[len - hoff];
                page.get(t + hoff, data);
                items.add(new Item(lp, t, Page.itemFlags(id), len, Integer.toUnsignedLong(HeapTupleHeader.xmin(page, t)),
                        Integer.toUnsignedLong(HeapTupleHeader.xmax(page, t)), Integer.toUnsignedLong(HeapTupleHeader.rawCid(page, t)),
                        HeapTupleHeader.ctid(page, t).toString(), HeapTupleHeader.infomask2(page, t),
                        HeapTupleHeader.infomask(page, t), hoff, bits.toString(), HexFormat.of().formatHex(data)));
            }
            return items;
        } finally {
            f.buffers.unpin(buffer);
        }
    }

    static void assertSameLayout(Item expected, Item actual) {
        String at = "line pointer " + expected.lp();
        assertEquals(expected.lpOff(), actual.lpOff(), at + " lp_off");
        assertEquals(expected.lpFlags(), actual.lpFlags(), at + " lp_flags");
        assertEquals(expected.lpLen(), actual.lpLen(), at + " lp_len");
        assertEquals(expected.field3(), actual.field3(), at + " t_cid");
        assertEquals(expected.ctid(), actual.ctid(), at + " t_ctid");
        assertEquals(expected.infomask2(), actual.infomask2(), at + " t_infomask2");
        assertEquals(Integer.toHexString(expected.infomask() & ~HINTS), Integer.toHexString(actual.infomask() & ~HINTS),
                at + " t_infomask without hint bits");
        assertEquals(expected.hoff(), actual.hoff(), at + " t_hoff");
        assertEquals(expected.bits(), actual.bits(), at + " t_bits");
        assertEquals(expected.data(), actual.data(), at + " t_data");
    }

    @Test
    void tuplesOfEveryTypeAreLaidOutAsPostgres(@TempDir Path dir) throws IOException {
        HeapFixture f = HeapFixture.start(dir, 64);
        Relation rel = f.relation("osgres_tuple_golden", 16384, ALL_TYPES);
        f.heap.createStorage(rel);
        Transaction tx = f.begin(IsolationLevel.READ_COMMITTED, 1);
        for (Object[] row : ROWS) {
            f.heap.insert(rel, tx, row);
        }
        List<Item> expected = golden("osgres_tuple_golden.tsv");
        List<Item> actual = items(f, rel);
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertSameLayout(expected.get(i), actual.get(i));
            assertEquals(tx.xid(), (int) actual.get(i).xmin());
            assertEquals(expected.get(i).infomask() & HINTS, actual.get(i).infomask() & HINTS,
                    "nobody read the rows yet: only HEAP_XMAX_INVALID, as PostgreSQL's insert sets it");
        }
        tx.commit();
        // and back: heap_deform_tuple gives the values formed
        Transaction reader = f.begin(IsolationLevel.READ_COMMITTED, 2);
        List<HeapTuple> rows = f.scan(rel, reader);
        assertEquals(ROWS.length, rows.size());
        for (int i = 0; i < ROWS.length; i++) {
            Object[] values = rows.get(i).values();
            for (int c = 0; c < ROWS[i].length; c++) {
                assertEquals(ROWS[i][c], values[c], "row " + (i + 1) + " column " + ALL_TYPES.get(c).name());
            }
        }
        reader.commit();
    }

    @Test
    void updateDeleteAndLockLeaveVersionsAsPostgres(@TempDir Path dir) throws IOException {
        HeapFixture f = HeapFixture.start(dir, 64);
        TupleDesc desc = TupleDesc.of(Attribute.of("id", Attribute.INT4), Attribute.of("v", Attribute.TEXT));
        Relation rel = f.relation("osgres_mvcc_golden", 16385, desc);
        f.heap.createStorage(rel);
        Transaction ins = f.begin(IsolationLevel.READ_COMMITTED, 1);
        ItemPointer t1 = f.heap.insert(rel, ins, new Object[] {1, "one"});
        ItemPointer t2 = f.heap.insert(rel, ins, new Object[] {2, "two"});
        ItemPointer t3 = f.heap.insert(rel, ins, new Object[] {3, "three"});
        ins.commit();
        Transaction upd = f.begin(IsolationLevel.READ_COMMITTED, 1);
        assertEquals(new ItemPointer(0, 4), f.heap.update(rel, upd, t1, new Object[] {1, "uno"}).tid());
        upd.commit();
        Transaction del = f.begin(IsolationLevel.READ_COMMITTED, 1);
        f.heap.delete(rel, del, t2);
        del.commit();
        Transaction lock = f.begin(IsolationLevel.READ_COMMITTED, 1);
        f.heap.lockTuple(rel, lock, t3, org.osgres.api.heap.RowLockMode.FOR_UPDATE, org.osgres.api.heap.LockWaitPolicy.BLOCK);
        lock.commit();
        List<Item> expected = golden("osgres_mvcc_golden.tsv");
        List<Item> actual = items(f, rel);
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertSameLayout(expected.get(i), actual.get(i));
        }
        // xids by relation: one inserter; the updater is the new version's inserter
        assertEquals(actual.get(0).xmin(), actual.get(2).xmin());
        assertEquals(actual.get(0).xmax(), actual.get(3).xmin());
        assertEquals(expected.get(0).xmax(), expected.get(3).xmin());
        assertEquals(Integer.toUnsignedLong(del.xid()), actual.get(1).xmax());
        assertEquals(Integer.toUnsignedLong(lock.xid()), actual.get(2).xmax());
    }
}
