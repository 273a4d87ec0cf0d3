/*
 * LazyVacuum: VACUUM of one heap relation without indexes (PostgreSQL:
 * access/heap/vacuumlazy.c heap_vacuum_rel, lazy_scan_heap, lazy_scan_prune,
 * lazy_vacuum_heap_page, lazy_truncate_heap; pruneheap.c reduced: no HOT chains yet).
 *
 * The horizon is GetOldestNonRemovableTransactionId: a tuple whose inserter aborted, or whose
 * deleter committed before the horizon, is dead to every snapshot. Each page is taken in turn
 * under the exclusive content lock (PostgreSQL takes a cleanup lock, pin count one; osgres's
 * scans copy tuples out under the content lock and never look at a page with a pin alone, so the
 * exclusive lock suffices): dead tuples' line pointers become LP_UNUSED at once (a table without
 * indexes needs no second pass), the page is compacted (PageRepairFragmentation), trailing unused
 * line pointers are cut (PageTruncateLinePointerArray), and the page's free space goes to the
 * free space map. Empty pages at the end are cut off when the relation's AccessExclusiveLock can
 * be had at once (lazy_truncate_heap gives up rather than wait, too), after checking again under it.
 *
 * Entry points: vacuumRelation().
 * See also: HeapVisibility.satisfiesVacuum; HeapPages; Hio (the free space map).
 */
package org.osgres.heap;

import java.nio.ByteBuffer;

import org.osgres.api.buffer.BufferManager;
import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.Page;
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

    VacuumResult vacuumRelation(Relation rel, Transaction tx) {
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
                            Page.setItemId(page, off, 0, Page.LP_UNUSED, 0);
                            pageRemoved++;
                            continue;
                        }
                        if (flags != Page.LP_NORMAL) {
                            continue;
                        }
                        switch (visibility.satisfiesVacuum(page, Page.itemOffset(id), oldestXmin, hinted)) {
                            case DEAD -> {
                                Page.setItemId(page, off, 0, Page.LP_UNUSED, 0);
                                pageRemoved++;
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
