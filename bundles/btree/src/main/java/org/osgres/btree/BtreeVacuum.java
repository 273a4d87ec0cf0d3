/*
 * BtreeVacuum: removing the index entries of dead heap tuples (PostgreSQL: access/nbtree/nbtree.c
 * btbulkdelete, btvacuumscan, btvacuumpage).
 *
 * Every page is visited in physical order; on a leaf, the items whose heap TID VACUUM found dead
 * are deleted (PageIndexMultiDelete), and with them any item marked LP_DEAD (its row is dead to
 * all), which clears BTP_HAS_GARBAGE. PostgreSQL needs vacuum cycle ids because a split may move
 * items to a page it recycled at a lower block number, behind the scan; osgres never deletes or
 * recycles pages (a new right page is always a new block at the end), so items only ever move to
 * higher blocks, and re-reading the number of blocks until it stops growing is enough. No page
 * deletion: emptied leaves stay in the tree, empty.
 *
 * PostgreSQL's cleanup lock (waiting for every other pin to go) is not taken, only the exclusive
 * lock: scans copy TIDs out and fetch the heap with MVCC snapshots, which cannot see a tuple that
 * reuses a freed TID, and BtreeDelete.killItems asks the heap again, under the leaf's share lock,
 * before it marks an entry (see there). Waiting for pins would starve here: a scan keeps its pin
 * on the leaf while the executor updates the row it returned, row-lock waits included, and on a
 * hot leaf (pgbench's branches) there is always such a scan.
 *
 * WAL: deleteItems on a leaf is logged as XLOG_BTREE_VACUUM (BtreeWal).
 *
 * Entry points: bulkDelete().
 * See also: BtreeDelete -- LP_DEAD items; LazyVacuum (heap) -- the caller's two heap passes.
 */
package org.osgres.btree;

import java.nio.ByteBuffer;
import java.util.function.Predicate;

import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.Page;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.index.IndexRelation;

final class BtreeVacuum {
    private final BtreeSearch search;
    private final BtreeWal wal;

    BtreeVacuum(BtreeSearch search, BtreeWal wal) {
        this.search = search;
        this.wal = wal;
    }

    long bulkDelete(IndexRelation index, Predicate<ItemPointer> isDead) {
        var buffers = search.buffers();
        long removed = 0;
        long blkno = BtreePage.BTREE_METAPAGE + 1;
        for (;;) {
            long nblocks = buffers.nblocks(index.locator(), ForkNumber.MAIN);
            if (blkno >= nblocks) {
                return removed;
            }
            for (; blkno < nblocks; blkno++) {
                removed += vacuumPage(index, (int) blkno, isDead);
            }
        }
    }

    /**
     * btvacuumpage for a leaf: deletes the dead items and the LP_DEAD ones; returns how many of
     * them VACUUM found dead (tuples_removed).
     */
    private int vacuumPage(IndexRelation index, int blkno, Predicate<ItemPointer> isDead) {
        int buffer = search.getBuffer(index, blkno, true);
        try {
            ByteBuffer page = search.buffers().page(buffer);
            if (Page.isNew(page) || !BtreePage.isLeaf(page)) {
                return 0;
            }
            int max = Page.maxOffsetNumber(page);
            int[] deletable = new int[max];
            int n = 0;
            int removed = 0;
            for (int off = BtreePage.firstDataKey(page); off <= max; off++) {
                boolean dead = isDead.test(IndexTuples.heapTid(page, BtreePage.itemOffset(page, off)));
                if (dead || BtreePage.isItemDead(page, off)) {
                    deletable[n++] = off;
                    removed += dead ? 1 : 0;
                }
            }
            if (n > 0) {
                BtreePage.deleteItems(page, deletable, n);
                BtreePage.setFlags(page, BtreePage.flags(page) & ~BtreePage.BTP_HAS_GARBAGE);
                search.buffers().markDirty(buffer);
                wal.logDeletedItems(index.locator(), BtreeWal.XLOG_BTREE_VACUUM, buffer, deletable, n);
            }
            return removed;
        } finally {
            search.release(buffer);
        }
    }
}
