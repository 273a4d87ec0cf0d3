/*
 * BtreeDelete: LP_DEAD hints on leaf items and their removal (PostgreSQL: access/nbtree/nbtutils.c
 * _bt_killitems; nbtinsert.c _bt_check_unique's marking and _bt_delete_or_dedup_one_page's
 * LP_DEAD pass, without bottom-up deletion or deduplication; nbtpage.c _bt_delitems_delete).
 *
 * kill_prior_tuple: a scan whose heap fetch finds an entry's tuple dead to every transaction
 * (IndexFetch's all_dead) remembers the entry's heap TID and offset. Before the scan leaves the
 * leaf, killItems share-locks it again, finds each remembered entry -- at its offset, or further
 * right if inserts moved it -- by its heap TID, sets LP_DEAD in its line pointer and
 * BTP_HAS_GARBAGE in the page, and dirties the buffer as a hint (markDirtyHint: no WAL, as
 * PostgreSQL without checksums or wal_log_hints). An entry a split moved to another page, or a
 * deletion moved left, is not found and stays unmarked: a lost hint, nothing worse.
 *
 * The heap is asked again before an entry is marked, under the leaf's share lock. Between the
 * scan's fetch and killItems, VACUUM may have removed the entry and freed its TID, and a new row
 * taken the TID with a new entry on this page, which must not be marked. PostgreSQL rules that
 * out with the scan's pin (VACUUM's cleanup lock waits for it) or an unchanged page LSN; osgres's
 * VACUUM takes no cleanup lock (BtreeVacuum says why), and a hot leaf's LSN changes with every
 * non-HOT update, the scan's own included. Instead: every entry with a TID refers to the tuple at
 * that TID now (VACUUM removes all of them before its heap pass frees the TID), so an entry is
 * dead exactly when the tuple now at its TID is dead to all, and while the share lock is held
 * VACUUM cannot remove the entry, so the TID cannot change hands between the check and the mark.
 * The second fetch costs a heap look-up per entry once: marked entries are never fetched again.
 * _bt_check_unique marks under its lock right after its fetch, the same way.
 *
 * Deletion: an insert that finds its leaf full with BTP_HAS_GARBAGE set first removes the LP_DEAD
 * items (deleteDeadItems) under the exclusive lock it holds, logs XLOG_BTREE_DELETE, clears the
 * flag, and splits only if the item still does not fit. A scan that copied such an entry's TID
 * holds only the TID (and a pin), and no snapshot sees that tuple.
 *
 * Entry points: killItems(), markDeadLocked(), deleteDeadItems().
 * See also: BtreeScan -- collects the killed items; BtreeInsert -- _bt_check_unique, the
 * deletion before a split; BtreeVacuum -- removes the rest; HeapIndexFetch -- all_dead.
 */
package org.osgres.btree;

import java.nio.ByteBuffer;
import java.util.List;

import org.osgres.api.buffer.Page;
import org.osgres.api.heap.IndexFetch;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.index.IndexRelation;

final class BtreeDelete {
    /** BTScanPosItem: an item a scan copied from a leaf: its heap TID and where it was. */
    record Item(int heapBlock, int heapOffset, int indexOffset) {
    }

    private final BtreeSearch search;
    private final BtreeWal wal;

    BtreeDelete(BtreeSearch search, BtreeWal wal) {
        this.search = search;
        this.wal = wal;
    }

    /**
     * _bt_killitems: marks the killed items of the leaf LP_DEAD, those whose tuples the heap
     * (fetch) still finds dead to all. The caller holds a pin on the leaf, and no lock.
     */
    void killItems(int buffer, List<Item> killed, IndexFetch fetch) {
        var buffers = search.buffers();
        boolean[] allDead = new boolean[1];
        buffers.lockShared(buffer);
        try {
            ByteBuffer page = buffers.page(buffer);
            int minoff = BtreePage.firstDataKey(page);
            int maxoff = Page.maxOffsetNumber(page);
            boolean killedSomething = false;
            for (Item k : killed) {
                for (int off = Math.max(k.indexOffset(), minoff); off <= maxoff; off++) {
                    int t = BtreePage.itemOffset(page, off);
                    if (IndexTuples.tidBlock(page, t) == k.heapBlock() && IndexTuples.tidPosid(page, t) == k.heapOffset()) {
                        if (!BtreePage.isItemDead(page, off)) {
                            fetch.fetchDirty(new ItemPointer(k.heapBlock(), k.heapOffset()), allDead);
                            if (allDead[0]) {
                                BtreePage.markItemDead(page, off);
                                killedSomething = true;
                            }
                        }
                        break;
                    }
                }
            }
            if (killedSomething) {
                setHasGarbage(page);
                buffers.markDirtyHint(buffer);
            }
        } finally {
            buffers.unlock(buffer);
        }
    }

    /**
     * _bt_check_unique's marking: the item at offnum of the leaf the caller holds locked (share
     * or exclusive) points at a tuple dead to every transaction.
     */
    void markDeadLocked(int buffer, int offnum) {
        ByteBuffer page = search.buffers().page(buffer);
        BtreePage.markItemDead(page, offnum);
        setHasGarbage(page);
        search.buffers().markDirtyHint(buffer);
    }

    /**
     * BTP_HAS_GARBAGE. Several backends may set it at once under share locks; every other flag
     * changes only under the exclusive lock, which no one holds meanwhile, so nothing is lost.
     */
    private static void setHasGarbage(ByteBuffer page) {
        int flags = BtreePage.flags(page);
        if ((flags & BtreePage.BTP_HAS_GARBAGE) == 0) {
            BtreePage.setFlags(page, flags | BtreePage.BTP_HAS_GARBAGE);
        }
    }

    /**
     * _bt_delitems_delete for the LP_DEAD items of the exclusively locked leaf: removes them,
     * clears BTP_HAS_GARBAGE, logs XLOG_BTREE_DELETE. Returns how many were removed.
     */
    int deleteDeadItems(IndexRelation index, int buffer) {
        var buffers = search.buffers();
        ByteBuffer page = buffers.page(buffer);
        int maxoff = Page.maxOffsetNumber(page);
        int[] deletable = new int[maxoff];
        int n = 0;
        for (int off = BtreePage.firstDataKey(page); off <= maxoff; off++) {
            if (BtreePage.isItemDead(page, off)) {
                deletable[n++] = off;
            }
        }
        BtreePage.setFlags(page, BtreePage.flags(page) & ~BtreePage.BTP_HAS_GARBAGE);
        if (n == 0) {
            buffers.markDirtyHint(buffer); // a stale flag (a torn write kept it): a hint either way
            return 0;
        }
        BtreePage.deleteItems(page, deletable, n);
        buffers.markDirty(buffer);
        wal.logDeletedItems(index.locator(), BtreeWal.XLOG_BTREE_DELETE, buffer, deletable, n);
        return n;
    }
}
