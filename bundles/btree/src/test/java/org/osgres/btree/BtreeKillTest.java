package org.osgres.btree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.index.IndexRelation;
import org.osgres.api.index.IndexScan;
import org.osgres.api.index.ScanKey;
import org.osgres.api.xact.IsolationLevel;
import org.osgres.api.xact.Transaction;
import org.osgres.api.xact.WaitContext;

/**
 * kill_prior_tuple: entries of row versions dead to every transaction are marked LP_DEAD by the
 * scan that finds them so (or by a unique check), later scans skip them without a heap fetch, an
 * older snapshot keeps the versions it sees, and a full leaf loses its LP_DEAD items instead of
 * splitting. Non-HOT updates, as the executor makes them: a new heap version and a new entry.
 */
class BtreeKillTest {
    static final TupleDesc DESC = TupleDesc.of(Attribute.of("k", Attribute.INT4), Attribute.of("v", Attribute.TEXT));

    BtreeFixture f;
    CountingHeap heap;
    BtreeAccessMethod btree;
    Relation rel;
    int pid = 1000;

    @BeforeEach
    void setUp(@TempDir Path dir) {
        f = new BtreeFixture(dir, 64);
        heap = new CountingHeap(f.heap);
        btree = new BtreeAccessMethod(f.buffers, heap);
        rel = f.table("osgres_kill", 16384, DESC);
    }

    @AfterEach
    void tearDown() {
        f.stop();
    }

    IndexRelation index(String name, int relNumber, boolean unique) {
        IndexRelation index = f.index(name, relNumber, rel, List.of(1), unique);
        btree.createStorage(index);
        return index;
    }

    /** Rows 0..n-1, committed; their TIDs. */
    List<ItemPointer> load(int n, IndexRelation... indexes) {
        Transaction t = f.begin();
        List<ItemPointer> tids = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            ItemPointer tid = f.heap.insert(rel, t, new Object[] {k, "v0"});
            for (IndexRelation index : indexes) {
                btree.insert(index, t, new Object[] {k}, tid);
            }
            tids.add(tid);
        }
        t.commit();
        return tids;
    }

    /** UPDATE ... SET v = v WHERE k = k, committed: a new version and a new entry in each index. */
    ItemPointer update(ItemPointer tid, int k, String v, IndexRelation... indexes) {
        Transaction t = f.begin();
        ItemPointer newTid = f.heap.update(rel, t, tid, new Object[] {k, v}).tid();
        for (IndexRelation index : indexes) {
            btree.insert(index, t, new Object[] {k}, newTid);
        }
        t.commit();
        return newTid;
    }

    List<Object[]> lookup(IndexRelation index, Transaction t, int k) {
        List<Object[]> rows = new ArrayList<>();
        try (IndexScan scan = btree.beginScan(index, t, t.statementSnapshot(), List.of(new ScanKey(1, ScanKey.Strategy.EQUAL, k)))) {
            for (HeapTuple h = scan.next(); h != null; h = scan.next()) {
                rows.add(h.values());
            }
        }
        return rows;
    }

    List<Object[]> lookup(IndexRelation index, int k) {
        Transaction t = f.begin();
        try {
            return lookup(index, t, k);
        } finally {
            t.commit();
        }
    }

    /** The heap fetches a lookup makes. */
    long fetchesOf(IndexRelation index, int k, List<Object[]> rows) {
        long before = heap.fetches.get();
        rows.addAll(lookup(index, k));
        return heap.fetches.get() - before;
    }

    @Test
    void aScanMarksDeadVersionsEntriesAndTheNextScanSkipsThem() {
        IndexRelation byK = index("osgres_kill_k", 16385, false); // no unique check marks anything
        List<ItemPointer> tids = load(100, byK);
        ItemPointer tid = tids.get(50);
        for (int i = 1; i <= 30; i++) {
            tid = update(tid, 50, "v" + i, byK);
        }
        assertArrayEquals(new int[] {0, 0}, BtreeChecker.deadItems(f, byK));

        List<Object[]> rows = new ArrayList<>();
        assertEquals(31, fetchesOf(byK, 50, rows), "the first scan fetches every version");
        assertEquals(1, rows.size());
        assertArrayEquals(new Object[] {50, "v30"}, rows.get(0));
        assertArrayEquals(new int[] {30, 1}, BtreeChecker.deadItems(f, byK), "30 dead entries, one page with garbage");

        rows.clear();
        assertEquals(1, fetchesOf(byK, 50, rows), "the second scan fetches the live version only");
        assertEquals(1, rows.size());
        assertArrayEquals(new Object[] {50, "v30"}, rows.get(0));
        assertEquals(130, BtreeChecker.check(f, byK));
        // the other keys are untouched and still found
        assertEquals(1, lookup(byK, 49).size());
        assertEquals(1, lookup(byK, 51).size());
        assertEquals(100, f.scan(byK, f.begin()).size());
    }

    @Test
    void versionsAnOlderSnapshotStillSeesAreNotMarked() {
        IndexRelation byK = index("osgres_kill_k", 16385, false);
        List<ItemPointer> tids = load(10, byK);
        Transaction rr = f.xacts.begin(IsolationLevel.REPEATABLE_READ, WaitContext.of(pid++));
        rr.statementSnapshot(); // taken before the updates
        ItemPointer tid = tids.get(5);
        for (int i = 1; i <= 20; i++) {
            tid = update(tid, 5, "v" + i, byK);
        }
        List<Object[]> now = lookup(byK, 5);
        assertEquals(1, now.size());
        assertArrayEquals(new Object[] {5, "v20"}, now.get(0));
        assertArrayEquals(new int[] {0, 0}, BtreeChecker.deadItems(f, byK), "the REPEATABLE READ snapshot holds the horizon");

        List<Object[]> then = lookup(byK, rr, 5);
        assertEquals(1, then.size(), "the old snapshot finds its version once");
        assertArrayEquals(new Object[] {5, "v0"}, then.get(0));
        rr.commit();

        assertEquals(1, lookup(byK, 5).size());
        assertArrayEquals(new int[] {20, 1}, BtreeChecker.deadItems(f, byK), "marked once no snapshot needs them");
    }

    @Test
    void anAbortedInsertsEntryIsMarked() {
        IndexRelation byK = index("osgres_kill_k", 16385, false);
        load(5, byK);
        Transaction a = f.begin();
        ItemPointer tid = f.heap.insert(rel, a, new Object[] {2, "aborted"});
        btree.insert(byK, a, new Object[] {2}, tid);
        a.abort();
        assertEquals(1, lookup(byK, 2).size());
        assertArrayEquals(new int[] {1, 1}, BtreeChecker.deadItems(f, byK));
    }

    @Test
    void aUniqueCheckSkipsMarkedEntriesAndMarksDeadOnes() {
        IndexRelation pkey = index("osgres_kill_pkey", 16385, true);
        List<ItemPointer> tids = load(10, pkey);
        ItemPointer tid = tids.get(3);
        long dirtyBefore = heap.dirtyFetches.get();
        int updates = 25;
        for (int i = 1; i <= updates; i++) {
            tid = update(tid, 3, "v" + i, pkey);
        }
        // update i checks the entries of versions 0..i-1: i-1's deleter is the updater itself
        // (not dead yet), the older ones are dead to all and marked the first time they are seen
        long dirty = heap.dirtyFetches.get() - dirtyBefore;
        assertEquals(updates - 1, BtreeChecker.deadItems(f, pkey)[0]);
        assertEquals(2 * updates - 1, dirty, "each dead entry fetched once, then skipped");
        List<Object[]> rows = new ArrayList<>();
        assertEquals(2, fetchesOf(pkey, 3, rows), "the scan fetches the last dead version and the live one");
        assertArrayEquals(new Object[] {3, "v" + updates}, rows.get(0));
        assertArrayEquals(new int[] {updates, 1}, BtreeChecker.deadItems(f, pkey));
        assertEquals(10 + updates, BtreeChecker.check(f, pkey));
    }

    @Test
    void aFullLeafLosesItsDeadEntriesInsteadOfSplitting() {
        IndexRelation scanned = index("osgres_kill_scanned", 16385, false);
        IndexRelation never = index("osgres_kill_never", 16386, false); // gets the same entries, never scanned
        List<ItemPointer> tids = load(10, scanned, never);
        ItemPointer tid = tids.get(7);
        int updates = 2000; // about five leaves' worth of entries
        for (int i = 1; i <= updates; i++) {
            tid = update(tid, 7, "v" + i, scanned, never);
            if (i % 50 == 0) {
                assertEquals(1, lookup(scanned, 7).size());
            }
        }
        assertEquals(2, btree.nblocks(scanned), "the metapage and one leaf: dead entries made room");
        assertTrue(btree.nblocks(never) > 4, "without LP_DEAD marks the leaf splits: " + btree.nblocks(never));
        List<Object[]> rows = lookup(scanned, 7);
        assertEquals(1, rows.size());
        assertArrayEquals(new Object[] {7, "v" + updates}, rows.get(0));
        long items = BtreeChecker.check(f, scanned);
        assertTrue(items < 500, "entries left on the one leaf: " + items);
        assertEquals(10 + updates, BtreeChecker.check(f, never));
        for (int k = 0; k < 10; k++) {
            assertEquals(1, lookup(scanned, k).size(), "key " + k);
        }
    }

    @Test
    void vacuumRemovesMarkedEntriesAndClearsTheFlag() {
        IndexRelation byK = index("osgres_kill_k", 16385, false);
        List<ItemPointer> tids = load(20, byK);
        ItemPointer tid = tids.get(4);
        for (int i = 1; i <= 10; i++) {
            tid = update(tid, 4, "v" + i, byK);
        }
        assertEquals(1, lookup(byK, 4).size());
        assertArrayEquals(new int[] {10, 1}, BtreeChecker.deadItems(f, byK));
        Transaction vac = f.begin();
        long[] removed = {0};
        f.heap.vacuum(rel, vac, isDead -> removed[0] = btree.bulkDelete(byK, isDead));
        vac.commit();
        assertEquals(10, removed[0]);
        assertArrayEquals(new int[] {0, 0}, BtreeChecker.deadItems(f, byK));
        assertEquals(20, BtreeChecker.check(f, byK));
        assertArrayEquals(new Object[] {4, "v10"}, lookup(byK, 4).get(0));
    }

    /**
     * The TID a scan found dead changes hands before the scan marks it: VACUUM removes the entry
     * and frees the TID, and a new row with the same key takes it. The scan must not mark the new
     * row's entry: killItems asks the heap again.
     */
    @Test
    void anEntryWhoseTidWasRecycledSinceTheFetchIsNotMarked() {
        IndexRelation byK = index("osgres_kill_k", 16385, false);
        Transaction t = f.begin();
        ItemPointer x = f.heap.insert(rel, t, new Object[] {1, "deleted"});
        btree.insert(byK, t, new Object[] {1}, x);
        ItemPointer y = f.heap.insert(rel, t, new Object[] {1, "live"});
        btree.insert(byK, t, new Object[] {1}, y);
        t.commit();
        Transaction d = f.begin();
        f.heap.delete(rel, d, x);
        d.commit();

        Transaction s = f.begin();
        try (IndexScan scan = btree.beginScan(byK, s, s.statementSnapshot(), List.of(new ScanKey(1, ScanKey.Strategy.EQUAL, 1)))) {
            // x's entry comes first (same key, lower TID): fetched, found dead to all, remembered
            assertArrayEquals(new Object[] {1, "live"}, scan.next().values());
            Transaction vac = f.begin();
            f.heap.vacuum(rel, vac, isDead -> btree.bulkDelete(byK, isDead)); // the scan keeps its pin meanwhile
            vac.commit();
            Transaction i = f.begin();
            ItemPointer taken = f.heap.insert(rel, i, new Object[] {1, "new"});
            btree.insert(byK, i, new Object[] {1}, taken);
            i.commit();
            assertEquals(x, taken, "the new row took the freed TID");
            assertEquals(null, scan.next()); // leaves the leaf: killItems
        }
        s.commit();
        assertArrayEquals(new int[] {0, 0}, BtreeChecker.deadItems(f, byK), "the new row's entry is not marked");
        List<Object[]> rows = lookup(byK, 1);
        assertEquals(2, rows.size());
        assertArrayEquals(new Object[] {1, "new"}, rows.get(0));
        assertArrayEquals(new Object[] {1, "live"}, rows.get(1));
    }

    /** PageIndexMultiDelete keeps the flags of the line pointers it keeps; LP_DEAD items keep key and place. */
    @Test
    void deletingItemsKeepsTheOthersLpDeadMarks() {
        java.nio.ByteBuffer page = BtreePage.tempPage();
        BtreePage.initPage(page, BtreePage.P_NONE, BtreePage.P_NONE, 0, BtreePage.BTP_LEAF);
        TupleDesc key = TupleDesc.of(DESC.get(0));
        for (int k = 1; k <= 6; k++) {
            BtreePage.appendItem(page, IndexTuples.form(key, new Object[] {k}, new ItemPointer(0, k)));
        }
        BtreePage.markItemDead(page, 2);
        BtreePage.markItemDead(page, 5);
        BtreePage.deleteItems(page, new int[] {1, 3}, 2);
        assertEquals(4, org.osgres.api.buffer.Page.maxOffsetNumber(page));
        boolean[] dead = new boolean[4];
        for (int off = 1; off <= 4; off++) {
            dead[off - 1] = BtreePage.isItemDead(page, off);
            assertEquals(new int[] {2, 4, 5, 6}[off - 1], IndexTuples.values(key, page, BtreePage.itemOffset(page, off))[0]);
        }
        assertArrayEquals(new boolean[] {true, false, true, false}, dead);
    }
}
