/*
 * HeapIndexFetch: heap tuples fetched by the TIDs an index gives (PostgreSQL: heapam_handler.c
 * heapam_index_fetch_begin / heapam_index_fetch_tuple, heapam.c heap_fetch and
 * heap_hot_search_buffer without HOT chains, with its all_dead; procarray.c GlobalVisState,
 * reduced to one horizon computed once).
 *
 * Each fetch pins and share-locks the tuple's page, tests the tuple with the snapshot (MVCC, or
 * dirty for a unique check), copies it out and lets the page go. A tuple the snapshot does not
 * see is all_dead, dead to every transaction, when VACUUM left only its LP_DEAD line pointer, or
 * when HeapTupleSatisfiesVacuumHorizon finds it DEAD (inserter aborted) or RECENTLY_DEAD with a
 * deleter that precedes the horizon: the oldest xmin of every running transaction
 * (TransactionManager.oldestXmin, GetOldestNonRemovableTransactionId). PostgreSQL's
 * HeapTupleIsSurelyDead trusts hint bits alone; here the commit log is asked when they are not
 * set yet, as the visibility test just did. The horizon is computed at the first fetch that
 * needs it and kept: it only moves forward, so keeping it only marks fewer entries dead. A line
 * pointer that is unused or past the end answers not all_dead: no index entry should point there.
 *
 * Entry points: fetch(), fetchDirty() (IndexFetch).
 * See also: HeapVisibility.satisfiesVacuumHorizon; HeapAccessMethod.fetch, fetchDirty -- the
 * same without all_dead; org.osgres.btree.BtreeScan -- kill_prior_tuple.
 */
package org.osgres.heap;

import java.nio.ByteBuffer;

import org.osgres.api.buffer.BufferManager;
import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.Page;
import org.osgres.api.heap.DirtyTuple;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.IndexFetch;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.Relation;
import org.osgres.api.xact.LockMode;
import org.osgres.api.xact.Snapshot;
import org.osgres.api.xact.Transaction;
import org.osgres.api.xact.TransactionIds;
import org.osgres.api.xact.TransactionManager;
import org.osgres.heap.HeapVisibility.VacuumCheck;

final class HeapIndexFetch implements IndexFetch {
    private final BufferManager buffers;
    private final HeapVisibility visibility;
    private final TransactionManager xacts;
    private final Relation rel;
    private final Transaction tx;
    /** The kept horizon; InvalidTransactionId until first needed. */
    private int horizon = TransactionIds.INVALID;

    HeapIndexFetch(BufferManager buffers, HeapVisibility visibility, TransactionManager xacts, Relation rel, Transaction tx) {
        this.buffers = buffers;
        this.visibility = visibility;
        this.xacts = xacts;
        this.rel = rel;
        this.tx = tx;
    }

    @Override
    public HeapTuple fetch(ItemPointer tid, Snapshot snapshot, boolean[] allDead) {
        tx.lock(HeapAccessMethod.relationTag(rel), LockMode.ACCESS_SHARE);
        return atTuple(tid, allDead, null, (page, t, hinted) -> {
            if (visibility.satisfiesMvcc(page, t, snapshot, tx, hinted)) {
                return HeapTupleImpl.copyOf(page, t, Page.itemLength(Page.itemId(page, tid.offset())), tid, rel.desc());
            }
            setAllDead(allDead, allDead != null && isSurelyDead(page, t, hinted));
            return null;
        });
    }

    @Override
    public DirtyTuple fetchDirty(ItemPointer tid, boolean[] allDead) {
        return atTuple(tid, allDead, DirtyTuple.GONE, (page, t, hinted) -> {
            int[] xwait = {0};
            DirtyTuple.Kind kind = visibility.satisfiesDirty(page, t, tx, xwait, hinted);
            if (kind != DirtyTuple.Kind.GONE) {
                return new DirtyTuple(kind, xwait[0], HeapTupleCodec.deform(rel.desc(), page, t));
            }
            setAllDead(allDead, allDead != null && isSurelyDead(page, t, hinted));
            return DirtyTuple.GONE;
        });
    }

    /** What a fetch does with the LP_NORMAL tuple at page offset t, the page share-locked. */
    @FunctionalInterface
    private interface TupleTest<T> {
        T test(ByteBuffer page, int t, boolean[] hinted);
    }

    /**
     * The frame both fetches share: pins and share-locks the tuple's page, answers {@code gone}
     * (all_dead when only a dead line pointer is left) when no tuple is there, else the test's
     * answer; hint bits the test set dirty the page as a hint.
     */
    private <T> T atTuple(ItemPointer tid, boolean[] allDead, T gone, TupleTest<T> test) {
        setAllDead(allDead, false);
        if (tid.blockNumber() >= buffers.nblocks(rel.locator(), ForkNumber.MAIN)) {
            return gone;
        }
        int buffer = buffers.pin(rel.locator(), ForkNumber.MAIN, tid.blockNumber());
        try {
            buffers.lockShared(buffer);
            try {
                ByteBuffer page = buffers.page(buffer);
                boolean[] hinted = {false};
                try {
                    int t = HeapAccessMethod.tupleOffset(page, tid);
                    if (t < 0) {
                        setAllDead(allDead, isDeadLinePointer(page, tid));
                        return gone;
                    }
                    return test.test(page, t, hinted);
                } finally {
                    if (hinted[0]) {
                        buffers.markDirtyHint(buffer);
                    }
                }
            } finally {
                buffers.unlock(buffer);
            }
        } finally {
            buffers.unpin(buffer);
        }
    }

    private static void setAllDead(boolean[] allDead, boolean value) {
        if (allDead != null) {
            allDead[0] = value;
        }
    }

    /** VACUUM's first pass left the line pointer LP_DEAD: the tuple is gone, its TID not yet free. */
    private static boolean isDeadLinePointer(ByteBuffer page, ItemPointer tid) {
        return !Page.isNew(page) && tid.offset() >= 1 && tid.offset() <= Page.maxOffsetNumber(page)
                && Page.itemFlags(Page.itemId(page, tid.offset())) == Page.LP_DEAD;
    }

    /** HeapTupleIsSurelyDead with GlobalVisTestIsRemovableXid against the kept horizon. */
    private boolean isSurelyDead(ByteBuffer page, int t, boolean[] hinted) {
        int[] deadAfter = {0};
        VacuumCheck check = visibility.satisfiesVacuumHorizon(page, t, deadAfter, hinted);
        if (check == VacuumCheck.DEAD) {
            return true;
        }
        if (check != VacuumCheck.RECENTLY_DEAD) {
            return false;
        }
        if (!TransactionIds.isValid(horizon)) {
            horizon = xacts.oldestXmin();
        }
        return TransactionIds.precedes(deadAfter[0], horizon);
    }
}
