package org.osgres.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.DirtyTuple;
import org.osgres.api.heap.IndexFetch;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.RowLockMode;
import org.osgres.api.heap.LockWaitPolicy;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.xact.IsolationLevel;
import org.osgres.api.xact.Transaction;

/**
 * all_dead of heap_hot_search_buffer (IndexFetch): a version no snapshot can see any more is
 * dead to all; one an open snapshot may still need, a locked row, a delete in progress are not.
 */
class HeapIndexFetchTest {
    static final TupleDesc DESC = TupleDesc.of(Attribute.of("id", Attribute.INT4), Attribute.of("t", Attribute.TEXT));

    HeapFixture f;
    Relation rel;
    int pid = 1;

    @BeforeEach
    void setUp(@TempDir Path dir) {
        f = HeapFixture.start(dir, 32);
        rel = f.relation("osgres_fetch", 16384, DESC);
        f.heap.createStorage(rel);
    }

    @AfterEach
    void tearDown() {
        f.stop();
    }

    Transaction begin() {
        return f.begin(IsolationLevel.READ_COMMITTED, pid++);
    }

    ItemPointer insertCommitted(int id) {
        Transaction t = begin();
        ItemPointer tid = f.heap.insert(rel, t, new Object[] {id, "v" + id});
        t.commit();
        return tid;
    }

    /** allDead[0] after an MVCC fetch by a new transaction that sees nothing there. */
    boolean allDead(ItemPointer tid) {
        Transaction r = begin();
        try {
            boolean[] allDead = {true};
            IndexFetch fetch = f.heap.beginIndexFetch(rel, r);
            if (fetch.fetch(tid, r.statementSnapshot(), allDead) != null) {
                assertFalse(allDead[0], "a visible tuple is never all dead");
                return false;
            }
            return allDead[0];
        } finally {
            r.commit();
        }
    }

    @Test
    void anUpdatedVersionIsDeadToAllOnceNoSnapshotCanSeeIt() {
        ItemPointer old = insertCommitted(1);
        assertFalse(allDead(old), "live");
        Transaction u = begin();
        ItemPointer newer = f.heap.update(rel, u, old, new Object[] {1, "w"}).tid();
        assertFalse(allDead(old), "delete in progress");
        u.commit();
        assertTrue(allDead(old), "updated, and no transaction older than the update runs");
        assertFalse(allDead(newer));
    }

    @Test
    void anOpenSnapshotThatSeesTheOldVersionKeepsItAlive() {
        ItemPointer old = insertCommitted(1);
        Transaction rr = f.begin(IsolationLevel.REPEATABLE_READ, pid++);
        assertNotNull(f.heap.beginIndexFetch(rel, rr).fetch(old, rr.statementSnapshot(), null));
        Transaction u = begin();
        f.heap.update(rel, u, old, new Object[] {1, "w"});
        u.commit();
        assertFalse(allDead(old), "the REPEATABLE READ snapshot still sees it");
        assertNotNull(f.heap.beginIndexFetch(rel, rr).fetch(old, rr.statementSnapshot(), null));
        rr.commit();
        assertTrue(allDead(old));
    }

    @Test
    void anAbortedInsertIsDeadToAllAndALockIsNoDelete() {
        Transaction a = begin();
        ItemPointer aborted = f.heap.insert(rel, a, new Object[] {2, "x"});
        a.abort();
        assertTrue(allDead(aborted));
        ItemPointer locked = insertCommitted(3);
        Transaction l = begin();
        f.heap.lockTuple(rel, l, locked, RowLockMode.FOR_UPDATE, LockWaitPolicy.BLOCK);
        l.commit();
        assertFalse(allDead(locked), "a committed row lock leaves the row live");
    }

    @Test
    void theHorizonIsComputedOnceAndKept() {
        ItemPointer first = insertCommitted(1);
        ItemPointer second = insertCommitted(2);
        Transaction older = begin();
        older.statementSnapshot(); // holds the horizon back
        Transaction u = begin();
        f.heap.update(rel, u, first, new Object[] {1, "w"});
        f.heap.update(rel, u, second, new Object[] {2, "w"});
        u.commit();
        Transaction r = begin();
        IndexFetch fetch = f.heap.beginIndexFetch(rel, r);
        boolean[] allDead = {false};
        assertNull(fetch.fetch(first, r.statementSnapshot(), allDead));
        assertFalse(allDead[0], "the older transaction may still see it");
        older.commit();
        assertNull(fetch.fetch(second, r.statementSnapshot(), allDead));
        assertFalse(allDead[0], "the horizon the fetch computed first is kept");
        r.commit();
        assertTrue(allDead(second), "a new fetch computes it anew");
    }

    @Test
    void aDirtyFetchTellsAllDeadForGoneTuplesOnly() {
        ItemPointer old = insertCommitted(1);
        Transaction u = begin();
        f.heap.update(rel, u, old, new Object[] {1, "w"});
        Transaction c = begin();
        boolean[] allDead = {true};
        DirtyTuple d = f.heap.beginIndexFetch(rel, c).fetchDirty(old, allDead);
        assertEquals(DirtyTuple.Kind.BEING_DELETED, d.kind());
        assertFalse(allDead[0]);
        u.commit();
        d = f.heap.beginIndexFetch(rel, c).fetchDirty(old, allDead);
        assertEquals(DirtyTuple.Kind.GONE, d.kind());
        assertTrue(allDead[0], "deleted, and no snapshot older than the delete (c has taken none)");
        c.commit();
    }

    @Test
    void aLinePointerVacuumLeftDeadIsAllDead() {
        ItemPointer tid = insertCommitted(1);
        Transaction d = begin();
        f.heap.delete(rel, d, tid);
        d.commit();
        Transaction vac = begin();
        boolean[] during = {false};
        f.heap.vacuum(rel, vac, isDead -> during[0] = allDead(tid)); // between the two passes: LP_DEAD
        vac.commit();
        assertTrue(during[0]);
    }
}
