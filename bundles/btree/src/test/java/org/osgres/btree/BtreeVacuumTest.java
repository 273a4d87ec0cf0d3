package org.osgres.btree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.heap.VacuumResult;
import org.osgres.api.index.IndexRelation;
import org.osgres.api.index.ScanKey;
import org.osgres.api.xact.Transaction;

/**
 * VACUUM with an index: the heap keeps dead line pointers (LP_DEAD, not reusable) until
 * bulkDelete removed the entries pointing at them, then frees them; the index keeps only live
 * rows' entries and stays ordered; freed TIDs are reused by new rows, with new entries.
 */
class BtreeVacuumTest {
    static final TupleDesc DESC = TupleDesc.of(Attribute.of("k", Attribute.INT4), Attribute.of("pad", Attribute.TEXT));

    BtreeFixture f;
    Relation rel;
    IndexRelation index;

    @BeforeEach
    void setUp(@TempDir Path dir) {
        f = new BtreeFixture(dir, 64);
        rel = f.table("osgres_v", 16384, DESC);
        index = f.index("osgres_v_k", 16385, rel, List.of(1), true);
        f.btree.createStorage(index);
    }

    @AfterEach
    void tearDown() {
        f.stop();
    }

    @Test
    void bulkDeleteRemovesDeadRowsEntries() {
        Transaction t = f.begin();
        List<ItemPointer> tids = new ArrayList<>();
        for (int k = 0; k < 10000; k++) {
            tids.add(f.insert(t, rel, new Object[] {k, "row " + k}, index));
        }
        t.commit();
        Transaction d = f.begin();
        Set<ItemPointer> deleted = new HashSet<>();
        for (int k = 0; k < 10000; k += 2) {
            f.heap.delete(rel, d, tids.get(k));
            deleted.add(tids.get(k));
        }
        d.commit();
        long pagesBefore = f.btree.nblocks(index);

        Transaction vac = f.begin();
        long[] removed = {0};
        List<ItemPointer> insertedDuringCleanup = new ArrayList<>();
        VacuumResult result = f.heap.vacuum(rel, vac, isDead -> {
            for (ItemPointer tid : deleted) {
                assertTrue(isDead.test(tid), "dead: " + tid);
            }
            // the dead line pointers are not free yet: a new row cannot take one of their TIDs
            Transaction during = f.begin();
            for (int i = 0; i < 50; i++) {
                insertedDuringCleanup.add(f.insert(during, rel, new Object[] {20000 + i, "during"}, index));
            }
            during.commit();
            removed[0] = f.btree.bulkDelete(index, isDead);
        });
        vac.commit();
        assertEquals(5000, removed[0]);
        assertEquals(5000, result.tuplesRemoved());
        for (ItemPointer tid : insertedDuringCleanup) {
            assertFalse(deleted.contains(tid), "a dead TID was reused before the index cleanup: " + tid);
        }
        assertEquals(5050, BtreeChecker.check(f, index));
        assertEquals(pagesBefore, f.btree.nblocks(index), "no page deletion");

        // the freed TIDs are reused now, and the index gets entries for the new rows
        Transaction again = f.begin();
        int reused = 0;
        for (int k = 0; k < 10000; k += 2) {
            ItemPointer tid = f.insert(again, rel, new Object[] {k, "again " + k}, index);
            reused += deleted.contains(tid) ? 1 : 0;
        }
        again.commit();
        assertTrue(reused > 1000, "freed line pointers reused: " + reused);
        assertEquals(10050, BtreeChecker.check(f, index));
        Transaction r = f.begin();
        List<Object[]> rows = f.scan(index, r, new ScanKey(1, ScanKey.Strategy.LESS, 10000));
        assertEquals(10000, rows.size());
        for (int k = 0; k < 10000; k++) {
            assertEquals(k, rows.get(k)[0]);
            assertEquals((k % 2 == 0 ? "again " : "row ") + k, rows.get(k)[1]);
        }
        r.commit();
    }

    @Test
    void vacuumWithoutDeadRowsCallsNoCleanup() {
        Transaction t = f.begin();
        f.insert(t, rel, new Object[] {1, "x"}, index);
        t.commit();
        Transaction vac = f.begin();
        boolean[] called = {false};
        f.heap.vacuum(rel, vac, isDead -> called[0] = true);
        vac.commit();
        assertFalse(called[0]);
        assertEquals(0, f.btree.bulkDelete(index, tid -> false));
        assertEquals(1, BtreeChecker.check(f, index));
    }
}
