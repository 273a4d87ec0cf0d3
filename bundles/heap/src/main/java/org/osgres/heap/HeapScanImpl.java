/*
 * HeapScanImpl: a sequential scan with an MVCC snapshot (PostgreSQL: heapam.c heap_beginscan,
 * heapgetpage, heapgettup_pagemode).
 *
 * Page at a time, as page mode does: pin the page, take the share content lock, check every
 * LP_NORMAL tuple against the snapshot (setting hint bits, and marking the buffer dirty as a hint
 * when any were set), copy the visible ones, unlock and unpin. The blocks are counted at the
 * start; rows added to pages past them later are not seen (nor would the snapshot see them).
 *
 * Entry points: next(), close().
 * See also: HeapVisibility.satisfiesMvcc.
 */
package org.osgres.heap;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.osgres.api.buffer.BufferManager;
import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.Page;
import org.osgres.api.heap.HeapScan;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.Relation;
import org.osgres.api.xact.Snapshot;
import org.osgres.api.xact.Transaction;

final class HeapScanImpl implements HeapScan {
    private final BufferManager buffers;
    private final HeapVisibility visibility;
    private final Relation rel;
    private final Transaction tx;
    private final Snapshot snapshot;
    private final long nblocks;
    private final List<HeapTuple> page = new ArrayList<>();
    private final boolean[] hinted = new boolean[1];
    private long block;
    private int index;
    private boolean closed;

    HeapScanImpl(BufferManager buffers, HeapVisibility visibility, Relation rel, Transaction tx, Snapshot snapshot) {
        this.buffers = buffers;
        this.visibility = visibility;
        this.rel = rel;
        this.tx = tx;
        this.snapshot = snapshot;
        this.nblocks = buffers.nblocks(rel.locator(), ForkNumber.MAIN);
    }

    @Override
    public HeapTuple next() {
        while (!closed) {
            if (index < page.size()) {
                return page.get(index++);
            }
            if (block >= nblocks) {
                return null;
            }
            readPage(block++);
        }
        return null;
    }

    /** heapgetpage: the visible tuples of one block. */
    private void readPage(long blkno) {
        page.clear();
        index = 0;
        int buffer = buffers.pin(rel.locator(), ForkNumber.MAIN, blkno);
        try {
            buffers.lockShared(buffer);
            try {
                ByteBuffer p = buffers.page(buffer);
                if (Page.isNew(p)) {
                    return;
                }
                hinted[0] = false;
                int nline = Page.maxOffsetNumber(p);
                for (int off = 1; off <= nline; off++) {
                    int id = Page.itemId(p, off);
                    if (Page.itemFlags(id) != Page.LP_NORMAL) {
                        continue;
                    }
                    int t = Page.itemOffset(id);
                    if (visibility.satisfiesMvcc(p, t, snapshot, tx, hinted)) {
                        page.add(HeapTupleImpl.copyOf(p, t, Page.itemLength(id), new ItemPointer((int) blkno, off), rel.desc()));
                    }
                }
                if (hinted[0]) {
                    buffers.markDirtyHint(buffer);
                }
            } finally {
                buffers.unlock(buffer);
            }
        } finally {
            buffers.unpin(buffer);
        }
    }

    @Override
    public void close() {
        closed = true;
        page.clear();
    }
}
