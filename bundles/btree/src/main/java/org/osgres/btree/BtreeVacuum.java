/*
 * BtreeVacuum: removing the index entries of dead heap tuples (PostgreSQL: access/nbtree/nbtree.c
 * btbulkdelete, btvacuumscan, btvacuumpage).
 *
 * Every page is visited in physical order under its exclusive lock; on a leaf, the items whose
 * heap TID VACUUM found dead are deleted (PageIndexMultiDelete). PostgreSQL needs vacuum cycle
 * ids because a split may move items to a page it recycled at a lower block number, behind the
 * scan; osgres never deletes or recycles pages (a new right page is always a new block at the
 * end), so items only ever move to higher blocks, and re-reading the number of blocks until it
 * stops growing is enough. No page deletion: emptied leaves stay in the tree, empty.
 * PostgreSQL's cleanup lock (waiting for scans' pins to go) is not taken: scans copy TIDs out and
 * fetch the heap with MVCC snapshots, which cannot see a tuple that reuses a freed TID.
 *
 * WAL: deleteItems on a leaf is XLOG_BTREE_VACUUM.
 *
 * Entry points: bulkDelete().
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

    BtreeVacuum(BtreeSearch search) {
        this.search = search;
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

    /** btvacuumpage for a leaf: deletes the dead items; returns how many. */
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
            for (int off = BtreePage.firstDataKey(page); off <= max; off++) {
                if (isDead.test(IndexTuples.heapTid(page, BtreePage.itemOffset(page, off)))) {
                    deletable[n++] = off;
                }
            }
            if (n > 0) {
                BtreePage.deleteItems(page, deletable, n); // XLOG_BTREE_VACUUM
                search.buffers().markDirty(buffer);
            }
            return n;
        } finally {
            search.release(buffer);
        }
    }
}
