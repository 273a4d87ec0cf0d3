package org.osgres.heap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.DirtyTuple;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.xact.IsolationLevel;
import org.osgres.api.xact.Transaction;

/** HeapTupleSatisfiesDirty (fetchDirty) case by case, and the index build scan's alive flags. */
class HeapDirtyTest {
    static final TupleDesc DESC = TupleDesc.of(Attribute.of("id", Attribute.INT4), Attribute.of("t", Attribute.TEXT));

    HeapFixture f;
    Relation rel;

    @BeforeEach
    void setUp(@TempDir Path dir) {
        f = HeapFixture.start(dir, 32);
        rel = f.relation("osgres_dirty", 16384, DESC);
        f.heap.createStorage(rel);
    }

    @AfterEach
    void tearDown() {
        f.stop();
    }

    @Test
    void dirtySnapshotSeesWorkInProgress() {
        Transaction setup = f.begin(IsolationLevel.READ_COMMITTED, 1);
        ItemPointer committed = f.heap.insert(rel, setup, new Object[] {1, "a"});
        setup.commit();
        Transaction a = f.begin(IsolationLevel.READ_COMMITTED, 2);
        Transaction b = f.begin(IsolationLevel.READ_COMMITTED, 3);
        DirtyTuple live = f.heap.fetchDirty(rel, b, committed);
        assertEquals(DirtyTuple.Kind.LIVE, live.kind());
        assertArrayEquals(new Object[] {1, "a"}, live.values());

        ItemPointer inserting = f.heap.insert(rel, a, new Object[] {2, "b"});
        assertEquals(new DirtyTuple(DirtyTuple.Kind.BEING_INSERTED, a.xid(), null).kind(), f.heap.fetchDirty(rel, b, inserting).kind());
        assertEquals(a.xid(), f.heap.fetchDirty(rel, b, inserting).xid());
        assertEquals(DirtyTuple.Kind.LIVE, f.heap.fetchDirty(rel, a, inserting).kind(), "own insert");

        f.heap.delete(rel, a, committed);
        DirtyTuple deleting = f.heap.fetchDirty(rel, b, committed);
        assertEquals(DirtyTuple.Kind.BEING_DELETED, deleting.kind());
        assertEquals(a.xid(), deleting.xid());
        assertEquals(DirtyTuple.Kind.GONE, f.heap.fetchDirty(rel, a, committed).kind(), "own delete");
        a.abort();
        assertEquals(DirtyTuple.Kind.GONE, f.heap.fetchDirty(rel, b, inserting).kind(), "aborted insert");
        assertEquals(DirtyTuple.Kind.LIVE, f.heap.fetchDirty(rel, b, committed).kind(), "aborted delete");

        Transaction c = f.begin(IsolationLevel.READ_COMMITTED, 4);
        f.heap.delete(rel, c, committed);
        c.commit();
        assertEquals(DirtyTuple.Kind.GONE, f.heap.fetchDirty(rel, b, committed).kind(), "committed delete");
        assertEquals(DirtyTuple.Kind.GONE, f.heap.fetchDirty(rel, b, new ItemPointer(0, 99)).kind(), "no such line pointer");
        assertEquals(DirtyTuple.Kind.GONE, f.heap.fetchDirty(rel, b, new ItemPointer(7, 1)).kind(), "past the end");
        b.commit();
    }

    @Test
    void indexBuildScanGivesEveryTupleNotDeadToAll() {
        Transaction setup = f.begin(IsolationLevel.READ_COMMITTED, 1);
        ItemPointer keep = f.heap.insert(rel, setup, new Object[] {1, "keep"});
        ItemPointer recentlyDead = f.heap.insert(rel, setup, new Object[] {2, "recently dead"});
        ItemPointer dead = f.heap.insert(rel, setup, new Object[] {3, "dead"});
        setup.commit();
        Transaction aborted = f.begin(IsolationLevel.READ_COMMITTED, 2);
        f.heap.insert(rel, aborted, new Object[] {4, "aborted"});
        aborted.abort();
        Transaction d1 = f.begin(IsolationLevel.READ_COMMITTED, 3);
        f.heap.delete(rel, d1, dead);
        d1.commit();
        Transaction old = f.begin(IsolationLevel.REPEATABLE_READ, 4);
        old.statementSnapshot();
        old.assignXid();
        Transaction d2 = f.begin(IsolationLevel.READ_COMMITTED, 5);
        f.heap.delete(rel, d2, recentlyDead);
        d2.commit();
        Transaction builder = f.begin(IsolationLevel.READ_COMMITTED, 6);
        ItemPointer own = f.heap.insert(rel, builder, new Object[] {5, "own"});
        List<String> seen = new ArrayList<>();
        f.heap.indexBuildScan(rel, builder, (tid, values, alive) -> seen.add(tid + " " + values[1] + " " + alive));
        assertEquals(List.of(keep + " keep true", recentlyDead + " recently dead false", own + " own true"), seen);
        builder.commit();
        old.commit();
    }
}
