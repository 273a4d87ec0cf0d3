package org.osgres.btree;

import java.util.concurrent.atomic.AtomicLong;

import org.osgres.api.heap.DirtyTuple;
import org.osgres.api.heap.HeapAccess;
import org.osgres.api.heap.HeapScan;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.IndexFetch;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.LockWaitPolicy;
import org.osgres.api.heap.ModifyResult;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.RowLockMode;
import org.osgres.api.heap.VacuumResult;
import org.osgres.api.xact.Snapshot;
import org.osgres.api.xact.Transaction;

/** The heap, counting the fetches an index makes through IndexFetch: MVCC (scans) and dirty (unique checks). */
final class CountingHeap implements HeapAccess {
    final AtomicLong fetches = new AtomicLong();
    final AtomicLong dirtyFetches = new AtomicLong();
    private final HeapAccess heap;

    CountingHeap(HeapAccess heap) {
        this.heap = heap;
    }

    @Override
    public IndexFetch beginIndexFetch(Relation rel, Transaction tx) {
        IndexFetch fetch = heap.beginIndexFetch(rel, tx);
        return new IndexFetch() {
            @Override
            public HeapTuple fetch(ItemPointer tid, Snapshot snapshot, boolean[] allDead) {
                fetches.incrementAndGet();
                return fetch.fetch(tid, snapshot, allDead);
            }

            @Override
            public DirtyTuple fetchDirty(ItemPointer tid, boolean[] allDead) {
                dirtyFetches.incrementAndGet();
                return fetch.fetchDirty(tid, allDead);
            }
        };
    }

    @Override
    public void createStorage(Relation rel) {
        heap.createStorage(rel);
    }

    @Override
    public ItemPointer insert(Relation rel, Transaction tx, Object[] values) {
        return heap.insert(rel, tx, values);
    }

    @Override
    public ItemPointer insertFrozen(Relation rel, Object[] values) {
        return heap.insertFrozen(rel, values);
    }

    @Override
    public ModifyResult update(Relation rel, Transaction tx, ItemPointer tid, Object[] values) {
        return heap.update(rel, tx, tid, values);
    }

    @Override
    public ModifyResult delete(Relation rel, Transaction tx, ItemPointer tid) {
        return heap.delete(rel, tx, tid);
    }

    @Override
    public ModifyResult lockTuple(Relation rel, Transaction tx, ItemPointer tid, RowLockMode mode, LockWaitPolicy policy) {
        return heap.lockTuple(rel, tx, tid, mode, policy);
    }

    @Override
    public HeapScan beginScan(Relation rel, Transaction tx, Snapshot snapshot) {
        return heap.beginScan(rel, tx, snapshot);
    }

    @Override
    public HeapTuple fetch(Relation rel, Transaction tx, Snapshot snapshot, ItemPointer tid) {
        return heap.fetch(rel, tx, snapshot, tid);
    }

    @Override
    public DirtyTuple fetchDirty(Relation rel, Transaction tx, ItemPointer tid) {
        return heap.fetchDirty(rel, tx, tid);
    }

    @Override
    public VacuumResult vacuum(Relation rel, Transaction tx, IndexCleanup indexes) {
        return heap.vacuum(rel, tx, indexes);
    }

    @Override
    public void indexBuildScan(Relation rel, Transaction tx, IndexBuildCallback callback) {
        heap.indexBuildScan(rel, tx, callback);
    }

    @Override
    public VacuumResult vacuum(Relation rel, Transaction tx) {
        return heap.vacuum(rel, tx);
    }

    @Override
    public long nblocks(Relation rel) {
        return heap.nblocks(rel);
    }
}
