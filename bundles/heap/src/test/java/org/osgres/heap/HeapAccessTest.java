package org.osgres.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.Page;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.HeapScan;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.ModifyResult;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.TmResult;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.heap.VacuumResult;
import org.osgres.api.xact.IsolationLevel;
import org.osgres.api.xact.Transaction;

class HeapAccessTest {
    static final TupleDesc DESC = TupleDesc.of(Attribute.of("id", Attribute.INT4), Attribute.of("t", Attribute.TEXT));

    static Relation table(HeapFixture f, int relNumber) {
        Relation rel = f.relation("t" + relNumber, relNumber, DESC);
        f.heap.createStorage(rel);
        return rel;
    }

    static List<Integer> ids(HeapFixture f, Relation rel, Transaction tx) {
        return f.scan(rel, tx).stream().map(t -> (Integer) t.values()[0]).toList();
    }

    @Test
    void insertIsSeenByLaterCommandsAndOthersAfterCommit(@TempDir Path dir) {
        HeapFixture f = HeapFixture.start(dir, 32);
        Relation rel = table(f, 16384);
        Transaction a = f.begin(IsolationLevel.READ_COMMITTED, 1);
        Transaction other = f.begin(IsolationLevel.READ_COMMITTED, 2);
        a.statementSnapshot();
        ItemPointer tid = f.heap.insert(rel, a, new Object[] {1, "one"});
        assertEquals(new ItemPointer(0, 1), tid);
        assertEquals(List.of(), ids(f, rel, a), "a statement of the same command does not see it");
        assertNull(f.heap.fetch(rel, a, a.currentSnapshot(), tid), "the inserting command itself does not see it");
        a.commandCounterIncrement();
        assertEquals(List.of(1), ids(f, rel, a));
        assertEquals(List.of(), ids(f, rel, other), "not committed");
        a.commit();
        assertEquals(List.of(1), ids(f, rel, other), "READ COMMITTED: the next statement sees it");
        HeapTuple t = f.heap.fetch(rel, other, other.currentSnapshot(), tid);
        assertNotNull(t);
        assertEquals("one", t.values()[1]);
        assertTrue((t.infomask() & HeapTupleHeader.HEAP_XMIN_COMMITTED) != 0, "the scan set the hint bit on the page");
        other.commit();
    }

    @Test
    void updateMakesANewVersionAndOldSnapshotsKeepTheOld(@TempDir Path dir) {
        HeapFixture f = HeapFixture.start(dir, 32);
        Relation rel = table(f, 16384);
        Transaction ins = f.begin(IsolationLevel.READ_COMMITTED, 1);
        ItemPointer tid = f.heap.insert(rel, ins, new Object[] {1, "old"});
        ins.commit();
        Transaction rr = f.begin(IsolationLevel.REPEATABLE_READ, 2);
        assertEquals(1, f.scan(rel, rr).size());
        Transaction upd = f.begin(IsolationLevel.READ_COMMITTED, 3);
        upd.statementSnapshot();
        ModifyResult r = f.heap.update(rel, upd, tid, new Object[] {1, "new"});
        assertSame(TmResult.OK, r.result());
        assertNotEquals(tid, r.tid());
        assertSame(TmResult.SELF_MODIFIED, f.heap.update(rel, upd, tid, new Object[] {1, "again"}).result(),
                "the same command changed it already");
        upd.commandCounterIncrement();
        assertEquals("new", f.scan(rel, upd).get(0).values()[1]);
        upd.commit();
        assertEquals("old", f.scan(rel, rr).get(0).values()[1], "the REPEATABLE READ snapshot keeps the old version");
        rr.commit();
        Transaction now = f.begin(IsolationLevel.READ_COMMITTED, 4);
        List<HeapTuple> rows = f.scan(rel, now);
        assertEquals(1, rows.size());
        assertEquals("new", rows.get(0).values()[1]);
        assertEquals(r.tid(), rows.get(0).tid());
        now.commit();
    }

    @Test
    void insertThenUpdateAndDeleteInOneTransactionUseComboCids(@TempDir Path dir) {
        HeapFixture f = HeapFixture.start(dir, 32);
        Relation rel = table(f, 16384);
        Transaction t = f.begin(IsolationLevel.READ_COMMITTED, 1);
        ItemPointer tid = f.heap.insert(rel, t, new Object[] {1, "a"});
        t.commandCounterIncrement();
        t.statementSnapshot();
        ItemPointer v2 = f.heap.update(rel, t, tid, new Object[] {1, "b"}).tid();
        t.commandCounterIncrement();
        assertEquals(List.of(1), ids(f, rel, t));
        assertTrue(f.heap.delete(rel, t, v2).ok());
        assertEquals(List.of(1), f.scan(rel, t).stream().map(x -> (Integer) x.values()[0]).toList(),
                "deleted by this command: still seen by it");
        t.commandCounterIncrement();
        assertEquals(List.of(), ids(f, rel, t), "deleted by an earlier command");
        t.commit();
        Transaction r = f.begin(IsolationLevel.READ_COMMITTED, 2);
        assertEquals(List.of(), ids(f, rel, r));
        r.commit();
    }

    @Test
    void abortedInsertsAreInvisibleAndHinted(@TempDir Path dir) {
        HeapFixture f = HeapFixture.start(dir, 32);
        Relation rel = table(f, 16384);
        Transaction t = f.begin(IsolationLevel.READ_COMMITTED, 1);
        ItemPointer tid = f.heap.insert(rel, t, new Object[] {1, "gone"});
        t.abort();
        Transaction r = f.begin(IsolationLevel.READ_COMMITTED, 2);
        assertEquals(List.of(), ids(f, rel, r));
        r.commit();
        int buffer = f.buffers.pin(rel.locator(), ForkNumber.MAIN, 0);
        try {
            ByteBuffer page = f.buffers.page(buffer);
            int off = Page.itemOffset(Page.itemId(page, tid.offset()));
            assertTrue((HeapTupleHeader.infomask(page, off) & HeapTupleHeader.HEAP_XMIN_INVALID) != 0);
        } finally {
            f.buffers.unpin(buffer);
        }
    }

    @Test
    void rowTooBigFailsAsPostgres(@TempDir Path dir) throws Exception {
        HeapFixture f = HeapFixture.start(dir, 32);
        TupleDesc plain = TupleDesc.of(Attribute.of("id", Attribute.INT4), Attribute.of("t", Attribute.TEXT).withStorage('p'));
        Relation rel = f.relation("osgres_big", 16400, plain);
        f.heap.createStorage(rel);
        Transaction t = f.begin(IsolationLevel.READ_COMMITTED, 1);
        PgException e = assertThrows(PgException.class, () -> f.heap.insert(rel, t, new Object[] {1, "x".repeat(8200)}));
        assertSame(SqlState.PROGRAM_LIMIT_EXCEEDED, e.sqlState());
        String expected = new String(HeapAccessTest.class.getResourceAsStream("row-too-big.txt").readAllBytes()).trim();
        assertEquals(expected, "ERROR:  " + e.getMessage());
        f.heap.insert(rel, t, new Object[] {1, "x".repeat(8000)}); // fits: a page of its own
        t.commit();
    }

    @Test
    void fillfactorLeavesRoomOnEachPage(@TempDir Path dir) {
        HeapFixture f = HeapFixture.start(dir, 64);
        Relation full = table(f, 16384);
        Relation half = new Relation(org.osgres.api.buffer.RelFileLocator.of(HeapFixture.DB, 16385), 16385, "half", DESC, 50);
        f.heap.createStorage(half);
        Transaction t = f.begin(IsolationLevel.READ_COMMITTED, 1);
        for (int i = 0; i < 2000; i++) {
            f.heap.insert(full, t, new Object[] {i, "row " + i});
            f.heap.insert(half, t, new Object[] {i, "row " + i});
        }
        t.commit();
        long fullPages = f.heap.nblocks(full);
        long halfPages = f.heap.nblocks(half);
        assertTrue(halfPages >= 2 * fullPages - 1 && halfPages <= 2 * fullPages + 1, fullPages + " vs " + halfPages);
    }

    @Test
    void restartKeepsCommittedRowsAndDropsInProgressOnes(@TempDir Path dir) {
        HeapFixture f = HeapFixture.start(dir, 32);
        Relation rel = table(f, 16384);
        Transaction committed = f.begin(IsolationLevel.READ_COMMITTED, 1);
        for (int i = 0; i < 500; i++) {
            f.heap.insert(rel, committed, new Object[] {i, "kept"});
        }
        committed.commit();
        Transaction open = f.begin(IsolationLevel.READ_COMMITTED, 2);
        for (int i = 500; i < 600; i++) {
            f.heap.insert(rel, open, new Object[] {i, "in progress at the crash"});
        }
        f.crashAfterCheckpoint(); // its rows are on disk, its xid never ended

        HeapFixture g = HeapFixture.start(dir, 32);
        Transaction r = g.begin(IsolationLevel.READ_COMMITTED, 3);
        List<HeapTuple> rows = g.scan(rel, r);
        assertEquals(500, rows.size());
        assertTrue(rows.stream().allMatch(t -> "kept".equals(t.values()[1])));
        assertEquals(org.osgres.api.clog.XidStatus.ABORTED, g.xacts.status(open.xid()));
        assertTrue(Integer.compareUnsigned(g.xacts.nextXid(), open.xid()) > 0, "xids go on past the crashed one");
        r.commit();
        g.stop();

        HeapFixture h = HeapFixture.start(dir, 32); // after a clean stop
        Transaction s = h.begin(IsolationLevel.READ_COMMITTED, 4);
        assertEquals(500, h.scan(rel, s).size());
        s.commit();
        assertTrue(Files.exists(dir.resolve("base/5/16384")));
    }

    @Test
    void vacuumReclaimsDeadTuplesAndTruncates(@TempDir Path dir) {
        HeapFixture f = HeapFixture.start(dir, 64);
        Relation rel = table(f, 16384);
        Transaction t = f.begin(IsolationLevel.READ_COMMITTED, 1);
        for (int i = 0; i < 3000; i++) {
            f.heap.insert(rel, t, new Object[] {i, "some text for row " + i});
        }
        t.commit();
        long pages = f.heap.nblocks(rel);
        Transaction v0 = f.begin(IsolationLevel.READ_COMMITTED, 9);
        VacuumResult before = f.heap.vacuum(rel, v0);
        v0.commit();
        assertEquals(0, before.tuplesRemoved());

        Transaction holder = f.begin(IsolationLevel.REPEATABLE_READ, 5);
        holder.statementSnapshot(); // holds the horizon back
        Transaction del = f.begin(IsolationLevel.READ_COMMITTED, 2);
        del.statementSnapshot();
        for (HeapTuple row : f.scan(rel, del)) {
            if ((int) row.values()[0] % 2 == 0) {
                assertTrue(f.heap.delete(rel, del, row.tid()).ok());
            }
        }
        del.commit();
        Transaction v1 = f.begin(IsolationLevel.READ_COMMITTED, 9);
        VacuumResult held = f.heap.vacuum(rel, v1);
        v1.commit();
        assertEquals(0, held.tuplesRemoved(), "an older snapshot may still see them");
        assertEquals(1500, held.recentlyDead());
        assertEquals(3000, f.scan(rel, holder).size());
        holder.commit();

        Transaction v2 = f.begin(IsolationLevel.READ_COMMITTED, 9);
        VacuumResult half = f.heap.vacuum(rel, v2);
        v2.commit();
        assertEquals(1500, half.tuplesRemoved());
        assertEquals(1500, half.tuplesRemaining());
        assertTrue(half.freeSpace() > before.freeSpace() + 1500 * 40, before.freeSpace() + " -> " + half.freeSpace());
        assertEquals(pages, f.heap.nblocks(rel), "no empty page at the end yet");

        // the freed space is used again before the relation grows
        Transaction refill = f.begin(IsolationLevel.READ_COMMITTED, 3);
        for (int i = 0; i < 1000; i++) {
            f.heap.insert(rel, refill, new Object[] {-i, "refill"});
        }
        refill.commit();
        assertEquals(pages, f.heap.nblocks(rel));

        Transaction all = f.begin(IsolationLevel.READ_COMMITTED, 4);
        all.statementSnapshot();
        for (HeapTuple row : f.scan(rel, all)) {
            f.heap.delete(rel, all, row.tid());
        }
        all.commit();
        Transaction v3 = f.begin(IsolationLevel.READ_COMMITTED, 9);
        VacuumResult empty = f.heap.vacuum(rel, v3);
        v3.commit();
        assertEquals(2500, empty.tuplesRemoved());
        assertEquals(pages, empty.pagesTruncated());
        assertEquals(0, f.heap.nblocks(rel));
        Transaction again = f.begin(IsolationLevel.READ_COMMITTED, 5);
        f.heap.insert(rel, again, new Object[] {1, "after truncation"});
        again.commit();
        assertEquals(1, f.heap.nblocks(rel));
    }

    @Test
    void vacuumCompactsAPage(@TempDir Path dir) {
        HeapFixture f = HeapFixture.start(dir, 16);
        Relation rel = table(f, 16384);
        Transaction t = f.begin(IsolationLevel.READ_COMMITTED, 1);
        ItemPointer[] tids = new ItemPointer[10];
        for (int i = 0; i < 10; i++) {
            tids[i] = f.heap.insert(rel, t, new Object[] {i, "x".repeat(100)});
        }
        t.commit();
        int freeBefore = pageFree(f, rel);
        Transaction d = f.begin(IsolationLevel.READ_COMMITTED, 2);
        d.statementSnapshot();
        for (int i = 0; i < 10; i += 3) {
            f.heap.delete(rel, d, tids[i]); // 0, 3, 6, 9: the last one too
        }
        d.commit();
        Transaction v = f.begin(IsolationLevel.READ_COMMITTED, 3);
        f.heap.vacuum(rel, v);
        v.commit();
        int freeAfter = pageFree(f, rel);
        // 4 tuples of MAXALIGN(24 + 4 + 4 + 100) = 136 bytes; line pointer 10 cut off the array (4 bytes)
        assertEquals(freeBefore + 4 * 136 + 4, freeAfter);
        Transaction r = f.begin(IsolationLevel.READ_COMMITTED, 4);
        assertEquals(List.of(1, 2, 4, 5, 7, 8), ids(f, rel, r));
        assertEquals(tids[1], f.scan(rel, r).get(0).tid(), "tuples keep their line pointers");
        r.commit();
        Transaction ins = f.begin(IsolationLevel.READ_COMMITTED, 5);
        assertEquals(new ItemPointer(0, 1), f.heap.insert(rel, ins, new Object[] {100, "reuses line pointer 1"}));
        ins.commit();
    }

    static int pageFree(HeapFixture f, Relation rel) {
        int buffer = f.buffers.pin(rel.locator(), ForkNumber.MAIN, 0);
        try {
            return Page.freeSpace(f.buffers.page(buffer));
        } finally {
            f.buffers.unpin(buffer);
        }
    }

    @Test
    void scanStopsAtTheBlocksCountedAtStart(@TempDir Path dir) {
        HeapFixture f = HeapFixture.start(dir, 16);
        Relation rel = table(f, 16384);
        Transaction t = f.begin(IsolationLevel.READ_COMMITTED, 1);
        f.heap.insert(rel, t, new Object[] {1, "x"});
        t.commit();
        Transaction r = f.begin(IsolationLevel.READ_COMMITTED, 2);
        try (HeapScan scan = f.heap.beginScan(rel, r, r.statementSnapshot())) {
            assertNotNull(scan.next());
            assertNull(scan.next());
            assertNull(scan.next());
        }
        r.commit();
    }
}
