/*
 * BtreeAccessMethod: the B-tree index access method (PostgreSQL: access/nbtree/nbtree.c, the
 * amapi entry points btbuild, btbuildempty, btinsert, btbeginscan/btgettuple, btbulkdelete).
 *
 * Lehman and Yao trees of PostgreSQL's nbtree version 4 pages through the shared buffer pool:
 * a metapage at block 0 naming the root, pages with high keys and right-links so that a search
 * that races a split moves right instead of locking its way down, the heap TID as the last key
 * column so every leaf tuple has one place. Unique indexes check the heap with a dirty snapshot
 * and wait for the transactions that are inserting or deleting an equal key.
 *
 * Relation locks are the caller's (the executor's, as in PostgreSQL: RowExclusiveLock on the
 * index for inserts, AccessShareLock for scans, ShareLock on the heap for CREATE INDEX). Not
 * done: deduplication (posting lists), suffix truncation, page deletion and recycling, backward
 * scans, array keys (= ANY), index-only scans, the fast root, bottom-up deletion, a build sort
 * that spills to disk. Entries whose rows are dead to all are marked LP_DEAD by scans and unique
 * checks (kill_prior_tuple) and removed before a leaf would split (BtreeDelete).
 * WAL: BtreeWal's records, replayed by BtreeRedo.
 *
 * Entry points: the IndexAccess interface.
 * See also: BtreeInsert (btinsert), BtreeSort (btbuild), BtreeScan (btgettuple), BtreeVacuum
 * (btbulkdelete), BtreeDelete (LP_DEAD items), BtreeSearch (descents), BtreePage and IndexTuples
 * (layout).
 */
package org.osgres.btree;

import java.util.List;
import java.util.function.Predicate;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.buffer.BufferManager;
import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.heap.HeapAccess;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.index.IndexAccess;
import org.osgres.api.index.IndexRelation;
import org.osgres.api.index.IndexScan;
import org.osgres.api.index.ScanKey;
import org.osgres.api.wal.WalInsert;
import org.osgres.api.xact.Snapshot;
import org.osgres.api.xact.Transaction;

@Component(service = IndexAccess.class, immediate = true)
public final class BtreeAccessMethod implements IndexAccess {
    private final BufferManager buffers;
    private final HeapAccess heap;
    private final BtreeSearch search;
    private final BtreeInsert inserter;
    private final BtreeSort sorter;
    private final BtreeVacuum vacuum;
    private final BtreeDelete deleter;

    private final BtreeWal wal;

    @Activate
    public BtreeAccessMethod(@Reference BufferManager buffers, @Reference HeapAccess heap, @Reference WalInsert wal) {
        this.buffers = buffers;
        this.heap = heap;
        this.wal = new BtreeWal(wal, buffers);
        this.search = new BtreeSearch(buffers, this.wal);
        this.deleter = new BtreeDelete(search, this.wal);
        this.inserter = new BtreeInsert(search, heap, this.wal, deleter);
        this.search.setSplitFinisher(inserter::finishSplit);
        this.sorter = new BtreeSort(buffers, heap, this.wal);
        this.vacuum = new BtreeVacuum(search, this.wal);
    }

    /** The btree without WAL (unit tests of the btree alone). */
    public BtreeAccessMethod(BufferManager buffers, HeapAccess heap) {
        this(buffers, heap, null);
    }

    /** btbuildempty: the file with a metapage whose root is P_NONE (the first insert makes one). */
    @Override
    public void createStorage(IndexRelation index) {
        wal.smgrCreate(index.locator());
        buffers.create(index.locator(), ForkNumber.MAIN);
        int buffer = buffers.extend(index.locator(), ForkNumber.MAIN);
        try {
            buffers.lockExclusive(buffer);
            BtreePage.initMeta(buffers.page(buffer), BtreePage.P_NONE, 0);
            buffers.markDirty(buffer);
            wal.logNewPage(index.locator(), buffer); // btbuildempty's log_newpage
            buffers.unlock(buffer);
        } finally {
            buffers.unpin(buffer);
        }
    }

    @Override
    public long build(IndexRelation index, Transaction tx) {
        return sorter.build(index, tx);
    }

    @Override
    public void insert(IndexRelation index, Transaction tx, Object[] key, ItemPointer heapTid) {
        if (key.length != index.keyDesc().size()) {
            throw new IllegalArgumentException("index \"" + index.name() + "\" has " + index.keyDesc().size()
                    + " key columns, got " + key.length);
        }
        inserter.insert(index, tx, key, heapTid);
    }

    @Override
    public IndexScan beginScan(IndexRelation index, Transaction tx, Snapshot snapshot, List<ScanKey> keys) {
        return new BtreeScan(search, deleter, heap, index, tx, snapshot, keys);
    }

    @Override
    public long bulkDelete(IndexRelation index, Predicate<ItemPointer> isDead) {
        return vacuum.bulkDelete(index, isDead);
    }

    @Override
    public long nblocks(IndexRelation index) {
        return buffers.nblocks(index.locator(), ForkNumber.MAIN);
    }
}
