package org.osgres.heap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.xact.IsolationLevel;
import org.osgres.api.xact.Transaction;
import org.osgres.api.xact.TransactionIds;
import org.osgres.heap.HeapTupleLayoutTest.Item;

/**
 * The catalogs' column types (name, oid, "char", float4, int2vector, oidvector, int2[], oid[],
 * xid, regproc, text[]) byte for byte against PostgreSQL 15 (osgres_catalog_types.tsv, recorded by
 * record-catalog-types.sh), and back; and insertFrozen's bootstrap rows.
 */
class HeapCatalogTypesTest {
    static final TupleDesc DESC = TupleDesc.of(Attribute.of("a", Attribute.NAME), Attribute.of("b", Attribute.OID),
            Attribute.of("c", Attribute.CHAR), Attribute.of("d", Attribute.FLOAT4),
            Attribute.of("e", Attribute.INT2VECTOR), Attribute.of("f", Attribute.OIDVECTOR),
            Attribute.of("g", Attribute.INT2_ARRAY), Attribute.of("h", Attribute.OID_ARRAY),
            Attribute.of("i", Attribute.XID), Attribute.of("j", Attribute.REGPROC),
            Attribute.of("k", Attribute.TEXT_ARRAY));

    static final Object[][] ROWS = {
        {"pg_class", 1259, "r", 1.5f, new short[] {1, 2, 3}, new int[] {1978, 1979}, new short[] {1, 2},
            new int[] {16384, -1}, 2, 42, new String[] {"fillfactor=70", "ab"}},
        {"", 0, "x", -0.25f, new short[0], new int[0], new short[0], new int[0], 0, 0, new String[0]},
        {null, 7, null, null, new short[] {5}, null, null, null, null, null, null},
        {"n".repeat(63), -1, "a", 3.4e38f, new short[] {-1, 32767}, new int[] {26}, new short[] {-5},
            new int[] {26, 23, 25}, -1, 2, new String[] {"x".repeat(130), "y"}},
        {"héllo", 1, null, 0f, new short[0], new int[0], null, new int[0], 3, null, new String[] {"é"}},
    };

    @Test
    void catalogTypesAreLaidOutAsPostgres(@TempDir Path dir) throws IOException {
        HeapFixture f = HeapFixture.start(dir, 64);
        Relation rel = f.relation("osgres_catalog_types", 16384, DESC);
        f.heap.createStorage(rel);
        Transaction tx = f.begin(IsolationLevel.READ_COMMITTED, 1);
        for (Object[] row : ROWS) {
            f.heap.insert(rel, tx, row);
        }
        List<Item> expected = HeapTupleLayoutTest.golden("osgres_catalog_types.tsv");
        List<Item> actual = HeapTupleLayoutTest.items(f, rel);
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            HeapTupleLayoutTest.assertSameLayout(expected.get(i), actual.get(i));
        }
        tx.commit();
        Transaction reader = f.begin(IsolationLevel.READ_COMMITTED, 2);
        List<HeapTuple> rows = f.scan(rel, reader);
        for (int i = 0; i < ROWS.length; i++) {
            Object[] values = rows.get(i).values();
            for (int c = 0; c < ROWS[i].length; c++) {
                String at = "row " + (i + 1) + " column " + DESC.get(c).name();
                if (ROWS[i][c] instanceof short[] s) {
                    assertArrayEquals(s, (short[]) values[c], at);
                } else if (ROWS[i][c] instanceof String[] v) {
                    assertArrayEquals(v, (String[]) values[c], at);
                } else if (ROWS[i][c] instanceof int[] v) {
                    assertArrayEquals(v, (int[]) values[c], at);
                } else {
                    assertEquals(ROWS[i][c], values[c], at);
                }
            }
        }
        reader.commit();
    }

    @Test
    void longNamesAreCutAsNamein(@TempDir Path dir) {
        HeapFixture f = HeapFixture.start(dir, 64);
        Relation rel = f.relation("names", 16384, TupleDesc.of(Attribute.of("n", Attribute.NAME)));
        f.heap.createStorage(rel);
        f.heap.insertFrozen(rel, new Object[] {"x".repeat(70)});
        f.heap.insertFrozen(rel, new Object[] {"é".repeat(40)});
        Transaction reader = f.begin(IsolationLevel.READ_COMMITTED, 2);
        List<HeapTuple> rows = f.scan(rel, reader);
        assertEquals("x".repeat(63), rows.get(0).values()[0]);
        assertEquals("é".repeat(31), rows.get(1).values()[0], "cut at a character boundary");
        assertEquals(TransactionIds.FROZEN, rows.get(0).xmin(), "bootstrap rows are frozen");
        assertEquals(HeapTupleHeader.HEAP_XMIN_FROZEN, rows.get(0).infomask() & HeapTupleHeader.HEAP_XMIN_FROZEN);
        reader.commit();
    }
}
