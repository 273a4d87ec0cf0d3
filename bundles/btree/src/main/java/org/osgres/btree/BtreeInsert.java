/*
 * BtreeInsert: inserting into a btree (PostgreSQL: access/nbtree/nbtinsert.c _bt_doinsert,
 * _bt_check_unique, _bt_findinsertloc, _bt_insertonpg, _bt_split, _bt_insert_parent,
 * _bt_getstackbuf, _bt_newroot; nbtsplitloc.c reduced to a space-balancing choice).
 *
 * The leaf is found by BtreeSearch with the whole key, heap TID included, so every leaf tuple
 * has one place. A unique index (key without NULLs) first descends without the TID to the first
 * page that can hold an equal key and, holding its exclusive lock, looks at every equal item
 * there and to the right (share-locking right siblings) with a dirty snapshot: a row still being
 * inserted or deleted by another transaction makes it release every lock, wait for that xid and
 * start over; a live row is a 23505. It then steps right to the page for the TID, locking each
 * right page before releasing the left one, so a second inserter of the key, which needs the
 * first page's lock to check, cannot get past before the entry is in.
 *
 * Equal items marked LP_DEAD are skipped by the unique check; one whose row the dirty fetch finds
 * dead to every transaction is marked so (BtreeDelete.markDeadLocked). A leaf too full for the new
 * item loses its LP_DEAD items first when BTP_HAS_GARBAGE says it may have some
 * (BtreeDelete.deleteDeadItems, _bt_delete_or_dedup_one_page), and splits only if that is not enough.
 *
 * A full page splits: a new right page (extend), the items shared by space (the rightmost leaf
 * keeps fillfactor percent on the left, as nbtsplitloc.c does for ascending inserts), the left
 * page's high key becomes a copy of the right page's first key, the old right sibling's
 * btpo_prev is fixed. The left page stays locked until the downlink to the new right page is in
 * the parent (found again from the stack, moving right: _bt_getstackbuf), so no writer can reach
 * the right page before its parent knows it. A split root makes a new root and updates the
 * metapage. Locks are taken left to right and bottom up only; descents hold one lock at a time.
 *
 * WAL (BtreeWal): insertOnPage's insertItem is XLOG_BTREE_INSERT_LEAF/_UPPER, split()
 * XLOG_BTREE_SPLIT_L (images of both halves and the sibling whose btpo_prev changed), newRoot()
 * XLOG_BTREE_NEWROOT with the metapage; each is written between the page changes and the
 * unlocks, and stamps the pages' LSN.
 *
 * Entry points: insert().
 * See also: BtreeSearch; BtreePage -- the page changes; BtreeDelete -- LP_DEAD items;
 * KeyDescription -- the 23505 detail.
 */
package org.osgres.btree;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.Page;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.heap.DirtyTuple;
import org.osgres.api.heap.HeapAccess;
import org.osgres.api.heap.IndexFetch;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.index.IndexRelation;
import org.osgres.api.xact.Transaction;
import org.osgres.btree.BtreeCompare.InsertKey;
import org.osgres.btree.BtreeSearch.Position;
import org.osgres.btree.BtreeSearch.Stack;

final class BtreeInsert {
    private final BtreeSearch search;
    private final HeapAccess heap;
    private final BtreeWal wal;
    private final BtreeDelete deleter;

    BtreeInsert(BtreeSearch search, HeapAccess heap, BtreeWal wal, BtreeDelete deleter) {
        this.search = search;
        this.heap = heap;
        this.wal = wal;
        this.deleter = deleter;
    }

    /** _bt_doinsert. */
    void insert(IndexRelation index, Transaction tx, Object[] values, ItemPointer heapTid) {
        byte[] itup = IndexTuples.form(index.keyDesc(), values, heapTid);
        checkItemSize(index, itup.length, heapTid);
        boolean checkingUnique = index.unique();
        for (Object v : values) {
            checkingUnique &= v != null;
        }
        int natts = index.keyDesc().size();
        for (;;) {
            InsertKey key = new InsertKey(index.keyDesc(), itup, natts, checkingUnique ? null : heapTid, false);
            Position pos = search.search(index, key, true);
            try {
                if (checkingUnique) {
                    int xwait = checkUnique(index, tx, key, pos, values);
                    if (xwait != 0) {
                        search.release(pos.buffer);
                        pos = null;
                        tx.waitForXid(xwait); // no page lock held while waiting
                        continue;
                    }
                    key.scantid = heapTid;
                    stepRightForInsert(index, key, pos);
                }
                ByteBuffer page = search.buffers().page(pos.buffer);
                if (!BtreePage.fits(page, itup.length) && BtreePage.hasGarbage(page)) {
                    deleter.deleteDeadItems(index, pos.buffer); // rather than split, if that makes room
                }
                int off = search.binsrch(index, key, page);
                Position done = pos;
                pos = null; // insertOnPage releases it
                insertOnPage(index, done.buffer, done.stack, itup, off, 0);
                return;
            } finally {
                if (pos != null) {
                    search.release(pos.buffer);
                }
            }
        }
    }

    /** _bt_check_third_page. */
    private static void checkItemSize(IndexRelation index, int size, ItemPointer heapTid) {
        if (size > BtreePage.MAX_ITEM_SIZE) {
            throw new PgException(SqlState.PROGRAM_LIMIT_EXCEEDED, "index row size " + size + " exceeds btree version "
                    + BtreePage.BTREE_VERSION + " maximum " + BtreePage.MAX_ITEM_SIZE + " for index \"" + index.name() + "\"")
                    .withDetail("Index row references tuple " + heapTid + " in relation \"" + index.heap().name() + "\".")
                    .withHint("Values larger than 1/3 of a buffer page cannot be indexed.\n"
                            + "Consider a function index of an MD5 hash of the value, or use full text indexing.");
        }
    }

    /**
     * _bt_check_unique: 0 when no equal key's row is live or being changed; the xid to wait for
     * when one is being inserted or deleted by another transaction; throws 23505 for a live one.
     * The leaf stays locked (the caller releases it before waiting); right pages read on the way
     * are released.
     */
    private int checkUnique(IndexRelation index, Transaction tx, InsertKey key, Position pos, Object[] values) {
        ByteBuffer page = search.buffers().page(pos.buffer);
        int off = search.binsrch(index, key, page);
        int nbuf = 0;
        IndexFetch fetch = heap.beginIndexFetch(index.heap(), tx);
        boolean[] allDead = new boolean[1];
        try {
            for (;;) {
                if (off <= Page.maxOffsetNumber(page)) {
                    if (BtreeCompare.compare(index.keyDesc(), key, page, off) != 0) {
                        return 0; // past the equal keys
                    }
                    if (BtreePage.isItemDead(page, off)) {
                        off++; // known dead to every transaction
                        continue;
                    }
                    ItemPointer tid = IndexTuples.heapTid(page, BtreePage.itemOffset(page, off));
                    DirtyTuple found = fetch.fetchDirty(tid, allDead);
                    switch (found.kind()) {
                        case BEING_INSERTED, BEING_DELETED -> {
                            return found.xid();
                        }
                        case LIVE -> {
                            throw new PgException(SqlState.UNIQUE_VIOLATION,
                                    "duplicate key value violates unique constraint \"" + index.name() + "\"")
                                    .withDetail("Key " + KeyDescription.of(index.keyDesc(), values) + " already exists.");
                        }
                        case GONE -> {
                            // dead or aborted: no conflict; when dead to all, the entry is killed
                            if (allDead[0]) {
                                deleter.markDeadLocked(nbuf != 0 ? nbuf : pos.buffer, off);
                            }
                        }
                    }
                    off++;
                } else {
                    if (BtreePage.isRightmost(page)
                            || BtreeCompare.compare(index.keyDesc(), key, page, BtreePage.P_HIKEY) != 0) {
                        return 0;
                    }
                    int next = BtreePage.next(page);
                    if (nbuf != 0) {
                        search.release(nbuf);
                    }
                    nbuf = 0;
                    nbuf = search.getBuffer(index, next, false);
                    page = search.buffers().page(nbuf);
                    off = BtreePage.firstDataKey(page);
                }
            }
        } finally {
            if (nbuf != 0) {
                search.release(nbuf);
            }
        }
    }

    /**
     * _bt_findinsertloc for a unique index: steps right while the key with its TID is beyond the
     * high key, locking the right page before releasing the left one.
     */
    private void stepRightForInsert(IndexRelation index, InsertKey key, Position pos) {
        for (;;) {
            ByteBuffer page = search.buffers().page(pos.buffer);
            if (BtreePage.isRightmost(page) || BtreeCompare.compare(index.keyDesc(), key, page, BtreePage.P_HIKEY) <= 0) {
                return;
            }
            int right = search.getBuffer(index, BtreePage.next(page), true);
            search.release(pos.buffer);
            pos.buffer = right;
        }
    }

    /**
     * _bt_insertonpg: puts the item at off of the exclusively locked page, splitting it when it
     * does not fit. childBuf, when not 0, is the left half of a split below, still locked, whose
     * right half's downlink this is: released once the downlink is in. Releases buffer.
     */
    private void insertOnPage(IndexRelation index, int buffer, Stack stack, byte[] item, int off, int childBuf) {
        var buffers = search.buffers();
        ByteBuffer page = buffers.page(buffer);
        if (BtreePage.fits(page, item.length)) {
            BtreePage.insertItem(page, off, item);
            buffers.markDirty(buffer);
            clearIncompleteSplit(childBuf);
            wal.logInsert(index.locator(), buffer, off, item, BtreePage.isLeaf(page), childBuf);
            if (childBuf != 0) {
                search.release(childBuf);
            }
            search.release(buffer);
            return;
        }
        boolean wasRoot = BtreePage.isRoot(page);
        int level = BtreePage.level(page);
        int leftBlk = (int) buffers.blockNumber(buffer);
        Split split;
        try {
            clearIncompleteSplit(childBuf); // logged with the split's images
            split = split(index, buffer, item, off, childBuf);
        } finally {
            if (childBuf != 0) {
                search.release(childBuf);
            }
        }
        insertParent(index, buffer, leftBlk, level, stack, split, wasRoot);
    }

    /** The split below is complete once its downlink goes in: the child's mark goes (no-op for 0). */
    private void clearIncompleteSplit(int childBuf) {
        if (childBuf != 0) {
            ByteBuffer child = search.buffers().page(childBuf);
            BtreePage.setFlags(child, BtreePage.flags(child) & ~BtreePage.BTP_INCOMPLETE_SPLIT);
            search.buffers().markDirty(childBuf);
        }
    }

    /**
     * _bt_finish_split: the exclusively locked page's split was cut off by a crash before its
     * right half got a downlink; insert it now (a new root when the page is still the
     * metapage's root). The downlink is the page's high key pointing at its right sibling.
     * Releases the buffer.
     */
    void finishSplit(IndexRelation index, int buffer, Stack stack) {
        ByteBuffer page = search.buffers().page(buffer);
        int leftBlk = (int) search.buffers().blockNumber(buffer);
        int rightBlk = BtreePage.next(page);
        int level = BtreePage.level(page);
        ByteBuffer highKey = ByteBuffer.wrap(BtreePage.itemBytes(page, BtreePage.P_HIKEY)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] downlink = IndexTuples.withDownlink(highKey, 0, rightBlk);
        boolean wasRoot;
        try {
            wasRoot = search.readMeta(index).root() == leftBlk;
        } catch (RuntimeException e) {
            search.release(buffer);
            throw e;
        }
        insertParent(index, buffer, leftBlk, level, stack, new Split(rightBlk, downlink), wasRoot);
    }

    /** What a split hands to the parent: the new right page and its downlink (a pivot). */
    private record Split(int rightBlk, byte[] downlink) {
    }

    /**
     * _bt_split: moves the upper part of the page's items, with the new item among them, to a new
     * right page. The page stays locked.
     */
    private Split split(IndexRelation index, int buffer, byte[] newItem, int newOff, int childBuf) {
        var buffers = search.buffers();
        ByteBuffer page = buffers.page(buffer);
        boolean leaf = BtreePage.isLeaf(page);
        boolean rightmost = BtreePage.isRightmost(page);
        int first = BtreePage.firstDataKey(page);
        int max = Page.maxOffsetNumber(page);
        List<byte[]> items = new ArrayList<>(max - first + 2);
        for (int i = first; i <= max; i++) {
            if (i == newOff) {
                items.add(newItem);
            }
            items.add(BtreePage.itemBytes(page, i));
        }
        if (newOff > max) {
            items.add(newItem);
        }
        byte[] oldHighKey = rightmost ? null : BtreePage.itemBytes(page, BtreePage.P_HIKEY);
        int s = findSplitLoc(index, items, leaf, rightmost, oldHighKey);
        ByteBuffer firstRight = ByteBuffer.wrap(items.get(s)).order(ByteOrder.LITTLE_ENDIAN);
        int natts = index.keyDesc().size();

        int rightBuf = buffers.extend(index.locator(), ForkNumber.MAIN);
        int siblingBuf = 0;
        try {
            buffers.lockExclusive(rightBuf);
            int rightBlk = (int) buffers.blockNumber(rightBuf);
            int leftBlk = (int) buffers.blockNumber(buffer);
            int level = BtreePage.level(page);
            int flags = leaf ? BtreePage.BTP_LEAF : 0;
            if (!rightmost) {
                siblingBuf = search.getBuffer(index, BtreePage.next(page), true);
            }
            // the left half, built aside and copied over the original (as _bt_split's leftpage)
            ByteBuffer left = BtreePage.tempPage();
            // BTP_INCOMPLETE_SPLIT until the downlink is in the parent: the record of that insert
            // clears it, so a crash in between leaves the mark for the next writer to finish
            BtreePage.initPage(left, BtreePage.prev(page), rightBlk, level, flags | BtreePage.BTP_INCOMPLETE_SPLIT);
            byte[] highKey = leaf ? IndexTuples.pivot(firstRight, 0, natts, BtreePage.P_NONE)
                    : IndexTuples.withDownlink(firstRight, 0, BtreePage.P_NONE);
            BtreePage.appendItem(left, highKey);
            for (int i = 0; i < s; i++) {
                BtreePage.appendItem(left, items.get(i));
            }
            ByteBuffer right = buffers.page(rightBuf);
            BtreePage.initPage(right, leftBlk, BtreePage.next(page), level, flags);
            if (oldHighKey != null) {
                BtreePage.appendItem(right, oldHighKey);
            }
            if (leaf) {
                BtreePage.appendItem(right, items.get(s));
            } else {
                BtreePage.appendItem(right, IndexTuples.minusInfinity(IndexTuples.downlink(firstRight, 0)));
            }
            for (int i = s + 1; i < items.size(); i++) {
                BtreePage.appendItem(right, items.get(i));
            }
            BtreePage.copy(left, page);
            buffers.markDirty(buffer);
            buffers.markDirty(rightBuf);
            if (siblingBuf != 0) {
                BtreePage.setPrev(buffers.page(siblingBuf), rightBlk);
                buffers.markDirty(siblingBuf);
            }
            wal.logImages(index.locator(), BtreeWal.XLOG_BTREE_SPLIT_L, buffer, rightBuf, siblingBuf, childBuf);
            byte[] downlink = leaf ? IndexTuples.pivot(firstRight, 0, natts, rightBlk)
                    : IndexTuples.withDownlink(firstRight, 0, rightBlk);
            return new Split(rightBlk, downlink);
        } finally {
            if (siblingBuf != 0) {
                search.release(siblingBuf);
            }
            buffers.unlock(rightBuf);
            buffers.unpin(rightBuf);
        }
    }

    private static int spaceOf(byte[] item) {
        return Page.maxAlign(item.length) + Page.ITEM_ID_SIZE;
    }

    /**
     * _bt_findsplitloc, simplified: the first right item s such that both halves fit (the left
     * with its new high key, the right with the old one) and the left's share of the space is
     * closest to the target: fillfactor (leaves) or 70% (internal) on a rightmost page, else half.
     */
    private static int findSplitLoc(IndexRelation index, List<byte[]> items, boolean leaf, boolean rightmost, byte[] oldHighKey) {
        int n = items.size();
        int total = 0;
        for (byte[] it : items) {
            total += spaceOf(it);
        }
        int target = rightmost ? (leaf ? index.fillfactor() : BtreePage.NONLEAF_FILLFACTOR) : 50;
        double goal = total * target / 100.0;
        int rightExtra = oldHighKey == null ? 0 : spaceOf(oldHighKey);
        int best = -1;
        double bestDelta = Double.MAX_VALUE;
        int leftSpace = 0;
        for (int s = 1; s < n; s++) {
            leftSpace += spaceOf(items.get(s - 1));
            byte[] fr = items.get(s);
            int highKey = leaf ? Page.maxAlign(fr.length) + Page.MAXALIGN + Page.ITEM_ID_SIZE : spaceOf(fr);
            int rightSpace = total - leftSpace + rightExtra + (leaf ? 0 : Page.maxAlign(IndexTuples.HEADER) - Page.maxAlign(fr.length));
            if (leftSpace + highKey > BtreePage.USABLE || rightSpace > BtreePage.USABLE) {
                continue;
            }
            double delta = Math.abs(leftSpace - goal);
            if (delta < bestDelta) {
                bestDelta = delta;
                best = s;
            }
        }
        if (best < 0) {
            throw new PgException(SqlState.INTERNAL_ERROR, "could not find a feasible split point for index \"" + index.name() + "\"");
        }
        return best;
    }

    /**
     * _bt_insert_parent: the downlink to the new right page goes into the parent just after the
     * left page's; a split root gets a new root instead. The left page (buffer) is released once
     * the downlink is in.
     */
    private void insertParent(IndexRelation index, int buffer, int leftBlk, int level, Stack stack, Split split, boolean wasRoot) {
        if (wasRoot) {
            try {
                newRoot(index, buffer, leftBlk, split, level + 1);
            } finally {
                search.release(buffer);
            }
            return;
        }
        Stack parent = stack;
        int[] found;
        try {
            if (parent == null) {
                // we came from a root that has since split: start at the leftmost page of the level above
                int p = search.leftmostAtLevel(index, level + 1);
                int blk = (int) search.buffers().blockNumber(p);
                search.release(p);
                parent = new Stack(blk, 0, null);
            }
            found = getStackBuf(index, parent, leftBlk);
        } catch (RuntimeException e) {
            search.release(buffer);
            throw e;
        }
        insertOnPage(index, found[0], parent.parent(), split.downlink(), found[1] + 1, buffer);
    }

    /**
     * _bt_getstackbuf: the parent page holding the downlink to child, exclusively locked, and
     * the downlink's offset: looks from where the descent found it, then before it, then right.
     */
    private int[] getStackBuf(IndexRelation index, Stack stack, int child) {
        int blkno = stack.blkno();
        int start = stack.offnum();
        for (;;) {
            int buf = search.getBuffer(index, blkno, true);
            ByteBuffer page = search.buffers().page(buf);
            if (BtreePage.isIncompleteSplit(page)) {
                finishSplit(index, buf, stack.parent()); // _bt_getstackbuf does so too
                continue;
            }
            int minoff = BtreePage.firstDataKey(page);
            int maxoff = Page.maxOffsetNumber(page);
            int from = Math.max(minoff, Math.min(start, maxoff + 1));
            for (int off = from; off <= maxoff; off++) {
                if (IndexTuples.downlink(page, BtreePage.itemOffset(page, off)) == child) {
                    return new int[] {buf, off};
                }
            }
            for (int off = from - 1; off >= minoff; off--) {
                if (IndexTuples.downlink(page, BtreePage.itemOffset(page, off)) == child) {
                    return new int[] {buf, off};
                }
            }
            if (BtreePage.isRightmost(page)) {
                search.release(buf);
                throw new PgException(SqlState.INDEX_CORRUPTED, "failed to re-find parent key in index \""
                        + index.name() + "\" for split pages " + child);
            }
            blkno = BtreePage.next(page);
            start = 0;
            search.release(buf);
        }
    }

    /** _bt_newroot: a root over the two halves, and the metapage pointing at it (XLOG_BTREE_NEWROOT). */
    private void newRoot(IndexRelation index, int leftBuf, int leftBlk, Split split, int level) {
        var buffers = search.buffers();
        int rootBuf = buffers.extend(index.locator(), ForkNumber.MAIN);
        try {
            buffers.lockExclusive(rootBuf);
            int rootBlk = (int) buffers.blockNumber(rootBuf);
            int meta = search.getBuffer(index, BtreePage.BTREE_METAPAGE, true);
            try {
                ByteBuffer root = buffers.page(rootBuf);
                BtreePage.initPage(root, BtreePage.P_NONE, BtreePage.P_NONE, level, BtreePage.BTP_ROOT);
                BtreePage.appendItem(root, IndexTuples.minusInfinity(leftBlk));
                BtreePage.appendItem(root, split.downlink());
                buffers.markDirty(rootBuf);
                BtreePage.writeMeta(buffers.page(meta), rootBlk, level);
                buffers.markDirty(meta);
                clearIncompleteSplit(leftBuf);
                wal.logImages(index.locator(), BtreeWal.XLOG_BTREE_NEWROOT, rootBuf, meta, leftBuf);
            } finally {
                search.release(meta);
            }
            buffers.unlock(rootBuf);
        } finally {
            buffers.unpin(rootBuf);
        }
    }
}
