/*
 * LazyVacuum: VACUUM of one heap relation (PostgreSQL:
 * access/heap/vacuumlazy.c heap_vacuum_rel, lazy_scan_heap, lazy_scan_prune,
 * lazy_vacuum_heap_page, lazy_truncate_heap; pruneheap.c reduced: no HOT chains yet).
 *
 * The horizon is GetOldestNonRemovableTransactionId: a tuple whose inserter aborted, or whose
 * deleter committed before the horizon, is dead to every snapshot. Each page is taken in turn
 * under the exclusive content lock (PostgreSQL takes a cleanup lock, pin count one; osgres's
 * scans copy tuples out under the content lock and never look at a page with a pin alone, so the
 * exclusive lock suffices): the page is compacted (PageRepairFragmentation), trailing unused
 * line pointers are cut (PageTruncateLinePointerArray), and the page's free space goes to the
 * free space map. Without indexes, dead tuples' line pointers become LP_UNUSED at once. With
 * indexes (an IndexCleanup), they become LP_DEAD (storage freed, the line pointer kept so no new
 * tuple can take the tid while an index still points at it); once the indexes have removed their
 * entries for those tids (lazy_vacuum_all_indexes), a second pass over the pages that have them
 * sets them LP_UNUSED (lazy_vacuum_heap_rel). LP_DEAD line pointers left by an earlier VACUUM
 * that did not finish go through the same two steps. Empty pages at the end are cut off when the relation's AccessExclusiveLock can
 * be had at once (lazy_truncate_heap gives up rather than wait, too), after checking again under it.
 *
 * Entry points: vacuumRelation().
 * WAL: prune/freeze records (XLOG_HEAP2_PRUNE) belong where the first pass changes a page, and
 * XLOG_HEAP2_VACUUM where the second pass frees line pointers; WAL is not there yet.
 * See also: HeapVisibility.satisfiesVacuum; HeapPages; Hio (the free space map).
 */
package org.osgres.heap;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.osgres.api.buffer.BufferManager;
import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.Page;
import org.osgres.api.heap.HeapAccess.IndexCleanup;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.VacuumResult;
import org.osgres.api.xact.LockMode;
import org.osgres.api.xact.LockTag;
import org.osgres.api.xact.Transaction;
import org.osgres.api.xact.TransactionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class LazyVacuum {
    private static final Logger LOG = LoggerFactory.getLogger(LazyVacuum.class);

    private final BufferManager buffers;
    private final TransactionManager xacts;
    private final HeapVisibility visibility;
    private final Hio hio;

    LazyVacuum(BufferManager buffers, TransactionManager xacts, HeapVisibility visibility, Hio hio) {
        this.buffers = buffers;
        this.xacts = xacts;
        this.visibility = visibility;
        this.hio = hio;
    }

    /** heap_vacuum_rel; {@code indexes} null for a relation without indexes. */
    VacuumResult vacuumRelation(Relation rel, Transaction tx, IndexCleanup indexes) {
        LockTag relTag = LockTag.relation(rel.locator().dbOid(), rel.relOid());
        tx.lock(relTag, LockMode.SHARE_UPDATE_EXCLUSIVE);
        int oldestXmin = xacts.oldestXmin();
        long nblocks = buffers.nblocks(rel.locator(), ForkNumber.MAIN);
        long removed = 0;
        long remaining = 0;
        long recentlyDead = 0;
        long freeSpace = 0;
        long nonEmptyPages = 0; // blocks up to the last one with tuples
        boolean[] hinted = new boolean[1];
        TreeMap<Long, TreeSet<Integer>> deadItems = new TreeMap<>(); // dead_items: block -> offsets
        int deadFlag = indexes == null ? Page.LP_UNUSED : Page.LP_DEAD;
        for (long blkno = 0; blkno < nblocks; blkno++) {
            int buffer = buffers.pin(rel.locator(), ForkNumber.MAIN, blkno);
            try {
                buffers.lockExclusive(buffer);
                try {
                    ByteBuffer page = buffers.page(buffer);
                    if (Page.isNew(page)) {
                        Page.init(page, 0); // lazy_scan_new_or_empty: an extension's page never written
                        buffers.markDirty(buffer);
                    }
                    hinted[0] = false;
                    int nline = Page.maxOffsetNumber(page);
                    int pageRemoved = 0;
                    for (int off = 1; off <= nline; off++) {
                        int id = Page.itemId(page, off);
                        int flags = Page.itemFlags(id);
                        if (flags == Page.LP_DEAD) {
                            if (indexes == null) {
                                Page.setItemId(page, off, 0, Page.LP_UNUSED, 0);
                                pageRemoved++;
                            } else {
                                deadItems.computeIfAbsent(blkno, b -> new TreeSet<>()).add(off);
                            }
                            continue;
                        }
                        if (flags != Page.LP_NORMAL) {
                            continue;
                        }
                        switch (visibility.satisfiesVacuum(page, Page.itemOffset(id), oldestXmin, hinted)) {
                            case DEAD -> {
                                Page.setItemId(page, off, 0, deadFlag, 0);
                                pageRemoved++;
                                if (indexes != null) {
                                    deadItems.computeIfAbsent(blkno, b -> new TreeSet<>()).add(off);
                                }
                            }
                            case RECENTLY_DEAD -> {
                                recentlyDead++;
                                remaining++;
                            }
                            default -> remaining++;
                        }
                    }
                    if (pageRemoved > 0) {
                        HeapPages.repairFragmentation(page);
                        HeapPages.truncateLinePointerArray(page);
                        Page.setPruneXid(page, 0);
                        removed += pageRemoved;
                    }
                    if (pageRemoved > 0 || hinted[0]) {
                        buffers.markDirty(buffer);
                    }
                    int free = HeapPages.heapFreeSpace(page);
                    freeSpace += free;
                    hio.recordFreeSpace(rel.locator(), blkno, free);
                    if (!HeapPages.isEmpty(page)) {
                        nonEmptyPages = blkno + 1;
                    }
                } finally {
                    buffers.unlock(buffer);
                }
            } finally {
                buffers.unpin(buffer);
            }
        }
        if (indexes != null && !deadItems.isEmpty()) {
            Set<ItemPointer> dead = new HashSet<>();
            deadItems.forEach((blk, offs) -> offs.forEach(o -> dead.add(new ItemPointer((int) (long) blk, o))));
            indexes.removeDead(dead::contains);
            long[] after = vacuumHeapPages(rel, deadItems);
            freeSpace += after[0];
            nonEmptyPages = 0; // the second pass may have emptied pages: count_nondeletable_pages looks again
        }
        long truncated = 0;
        if (nonEmptyPages < nblocks && tx.tryLock(relTag, LockMode.ACCESS_EXCLUSIVE)) {
            try {
                long newNblocks = countNondeletablePages(rel, buffers.nblocks(rel.locator(), ForkNumber.MAIN));
                long oldNblocks = buffers.nblocks(rel.locator(), ForkNumber.MAIN);
                if (newNblocks < oldNblocks) {
                    buffers.truncate(rel.locator(), ForkNumber.MAIN, newNblocks);
                    hio.truncated(rel.locator(), newNblocks);
                    truncated = oldNblocks - newNblocks;
                    freeSpace -= truncated * (Page.SIZE - Page.HEADER_SIZE - Page.ITEM_ID_SIZE);
                }
            } finally {
                tx.unlock(relTag, LockMode.ACCESS_EXCLUSIVE);
            }
        }
        LOG.debug("vacuum of \"{}\": {} pages, {} dead tuples removed, {} remain ({} recently dead), {} pages truncated",
                rel.name(), nblocks, removed, remaining, recentlyDead, truncated);
        return new VacuumResult(nblocks, removed, remaining, recentlyDead, truncated, Math.max(0, freeSpace));
    }

    /**
     * lazy_vacuum_heap_rel: after the indexes lost their entries, the dead items' line pointers
     * become LP_UNUSED. Returns {extra free space}.
     */
    private long[] vacuumHeapPages(Relation rel, TreeMap<Long, TreeSet<Integer>> deadItems) {
        long extraFree = 0;
        for (var e : deadItems.entrySet()) {
            long blkno = e.getKey();
            int buffer = buffers.pin(rel.locator(), ForkNumber.MAIN, blkno);
            try {
                buffers.lockExclusive(buffer);
                try {
                    ByteBuffer page = buffers.page(buffer);
                    int before = HeapPages.heapFreeSpace(page);
                    for (int off : e.getValue()) {
                        if (Page.itemFlags(Page.itemId(page, off)) == Page.LP_DEAD) {
                            Page.setItemId(page, off, 0, Page.LP_UNUSED, 0);
                        }
                    }
                    HeapPages.repairFragmentation(page);
                    HeapPages.truncateLinePointerArray(page);
                    buffers.markDirty(buffer);
                    int free = HeapPages.heapFreeSpace(page);
                    extraFree += free - before;
                    hio.recordFreeSpace(rel.locator(), blkno, free);
                } finally {
                    buffers.unlock(buffer);
                }
            } finally {
                buffers.unpin(buffer);
            }
        }
        return new long[] {extraFree};
    }

    /** count_nondeletable_pages: the blocks up to the last non-empty one, looked at again under the lock. */
    private long countNondeletablePages(Relation rel, long nblocks) {
        long blkno = nblocks;
        while (blkno > 0) {
            int buffer = buffers.pin(rel.locator(), ForkNumber.MAIN, blkno - 1);
            boolean empty;
            try {
                buffers.lockShared(buffer);
                try {
                    ByteBuffer page = buffers.page(buffer);
                    empty = Page.isNew(page) || HeapPages.isEmpty(page);
                } finally {
                    buffers.unlock(buffer);
                }
            } finally {
                buffers.unpin(buffer);
            }
            if (!empty) {
                break;
            }
            blkno--;
        }
        return blkno;
    }
}
