/*
 * Hio: finding a page with room for a new tuple (PostgreSQL: access/heap/hio.c
 * RelationGetBufferForTuple, with freespace.c reduced to memory).
 *
 * Candidates in order: the relation's target block (the last page an insert used, as
 * RelationGetTargetBlock), pages VACUUM found with free space (the free space map: kept in memory
 * until the _fsm fork exists, so it starts empty after a restart), the last page; then the
 * relation is extended by a new, initialised page. A page qualifies when its heap free space
 * less what fillfactor keeps free holds the tuple (saveFreeSpace = BLCKSZ * (100 - fillfactor) / 100).
 *
 * For an update to another page, the old page (pinned, unlocked) and the new one are locked in
 * block order, so two updaters cannot deadlock on content locks.
 *
 * Entry points: getBufferForTuple(), recordFreeSpace(), forget().
 * See also: HeapAccessMethod.
 */
package org.osgres.heap;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

import org.osgres.api.buffer.BufferManager;
import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.Page;
import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.heap.Relation;

final class Hio {
    /** InvalidBlockNumber. */
    static final long INVALID_BLOCK = -1;

    private final BufferManager buffers;
    private final Map<RelFileLocator, Long> targetBlocks = new ConcurrentHashMap<>();
    private final Map<RelFileLocator, NavigableSet<Long>> freeSpaceMap = new ConcurrentHashMap<>();

    Hio(BufferManager buffers) {
        this.buffers = buffers;
    }

    /**
     * A pinned buffer, exclusively locked, whose page holds {@code len} more bytes (MAXALIGNed)
     * and fillfactor's reserve. With {@code otherBuffer} (pinned, not locked, the old tuple's
     * page of an update), that buffer is locked too, and the result is another page.
     */
    int getBufferForTuple(Relation rel, int len, int otherBuffer) {
        for (;;) {
            int buffer = tryGetBufferForTuple(rel, len, otherBuffer);
            if (buffer != 0) {
                return buffer;
            }
        }
    }

    /**
     * One round of {@link #getBufferForTuple}: 0 when the page this round extended the relation
     * by was filled by other inserters before it could be locked (they find it as the last page;
     * PostgreSQL locks a new page before anyone can see it, under the relation extension lock).
     */
    private int tryGetBufferForTuple(Relation rel, int len, int otherBuffer) {
        int need = Page.maxAlign(len);
        int saveFreeSpace = Page.SIZE * (100 - rel.fillfactor()) / 100;
        RelFileLocator loc = rel.locator();
        long otherBlock = otherBuffer == 0 ? INVALID_BLOCK : buffers.blockNumber(otherBuffer);
        long target = targetBlocks.getOrDefault(loc, INVALID_BLOCK);
        NavigableSet<Long> fsm = freeSpaceMap.get(loc);
        boolean triedLast = false;
        for (;;) {
            if (target == INVALID_BLOCK && fsm != null) {
                Long b = fsm.pollFirst();
                if (b != null) {
                    target = b;
                }
            }
            if (target == INVALID_BLOCK && !triedLast) {
                triedLast = true;
                long n = buffers.nblocks(loc, ForkNumber.MAIN);
                target = n > 0 ? n - 1 : INVALID_BLOCK;
            }
            if (target == INVALID_BLOCK) {
                break;
            }
            if (target == otherBlock) {
                target = INVALID_BLOCK;
                continue;
            }
            int buffer = buffers.pin(loc, ForkNumber.MAIN, target);
            lockPair(buffer, target, otherBuffer, otherBlock);
            ByteBuffer page = buffers.page(buffer);
            if (Page.isNew(page)) {
                Page.init(page, 0);
                buffers.markDirty(buffer);
            }
            if (HeapPages.heapFreeSpace(page) >= need + saveFreeSpace) {
                targetBlocks.put(loc, target);
                return buffer;
            }
            buffers.unlock(buffer);
            if (otherBuffer != 0) {
                buffers.unlock(otherBuffer);
            }
            buffers.unpin(buffer);
            target = INVALID_BLOCK;
        }
        // RelationAddExtraBlocks, one block at a time
        int buffer = buffers.extend(loc, ForkNumber.MAIN);
        long block = buffers.blockNumber(buffer);
        lockPair(buffer, block, otherBuffer, otherBlock);
        ByteBuffer page = buffers.page(buffer);
        if (Page.isNew(page)) {
            Page.init(page, 0);
        }
        buffers.markDirty(buffer);
        if (HeapPages.heapFreeSpace(page) < need) {
            buffers.unlock(buffer);
            if (otherBuffer != 0) {
                buffers.unlock(otherBuffer);
            }
            buffers.unpin(buffer);
            return 0;
        }
        targetBlocks.put(loc, block);
        return buffer;
    }

    private void lockPair(int buffer, long block, int otherBuffer, long otherBlock) {
        if (otherBuffer == 0) {
            buffers.lockExclusive(buffer);
        } else if (otherBlock < block) {
            buffers.lockExclusive(otherBuffer);
            buffers.lockExclusive(buffer);
        } else {
            buffers.lockExclusive(buffer);
            buffers.lockExclusive(otherBuffer);
        }
    }

    /** RecordPageWithFreeSpace: VACUUM tells which pages have room. */
    void recordFreeSpace(RelFileLocator loc, long block, int freeSpace) {
        NavigableSet<Long> fsm = freeSpaceMap.computeIfAbsent(loc, k -> new ConcurrentSkipListSet<>());
        if (freeSpace >= Page.SIZE / 8) {
            fsm.add(block);
        } else {
            fsm.remove(block);
        }
    }

    /** After truncation: forgets pages at or past {@code nblocks}, and the target block. */
    void truncated(RelFileLocator loc, long nblocks) {
        NavigableSet<Long> fsm = freeSpaceMap.get(loc);
        if (fsm != null) {
            fsm.tailSet(nblocks, true).clear();
        }
        targetBlocks.remove(loc);
    }

    /** Forgets the relation (dropped). */
    void forget(RelFileLocator loc) {
        freeSpaceMap.remove(loc);
        targetBlocks.remove(loc);
    }
}
