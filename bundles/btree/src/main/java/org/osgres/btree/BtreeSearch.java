/*
 * BtreeSearch: descending the tree (PostgreSQL: access/nbtree/nbtsearch.c _bt_search,
 * _bt_moveright, _bt_binsrch, _bt_endpoint; nbtpage.c _bt_getroot, _bt_relandgetbuf).
 *
 * Lehman and Yao: a descent holds one page lock at a time. It reads the root from the metapage,
 * then on each level first moves right while the key is beyond the page's high key (a split
 * since the parent was read moved it there), then binary-searches the downlink to follow and
 * remembers where it was (the BTStack, for inserting a downlink after a split). Readers take
 * share locks; an insertion takes the leaf's exclusive lock (on level 1 it locks the child
 * exclusively at once, as _bt_search with BT_WRITE does). No page is ever deleted, so a page
 * reached through an old downlink or an old root is still a valid place to move right from.
 *
 * Entry points: search(), moveRight(), binsrch(), leftmostLeaf(), getRoot().
 * See also: BtreeInsert, BtreeScan; BtreeCompare -- the key order.
 */
package org.osgres.btree;

import java.nio.ByteBuffer;

import org.osgres.api.buffer.BufferManager;
import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.Page;
import org.osgres.api.index.IndexRelation;
import org.osgres.btree.BtreeCompare.InsertKey;

final class BtreeSearch {
    /** BTStackData: the internal page and the downlink's offset followed on the way down. */
    record Stack(int blkno, int offnum, Stack parent) {
    }

    /** A locked buffer and how. */
    static final class Position {
        int buffer;
        boolean exclusive;
        Stack stack;

        Position(int buffer, boolean exclusive) {
            this.buffer = buffer;
            this.exclusive = exclusive;
        }
    }

    private final BufferManager buffers;

    BtreeSearch(BufferManager buffers) {
        this.buffers = buffers;
    }

    BufferManager buffers() {
        return buffers;
    }

    /** Pins and locks a block (_bt_getbuf). */
    int getBuffer(IndexRelation index, int blkno, boolean exclusive) {
        int buffer = buffers.pin(index.locator(), ForkNumber.MAIN, Integer.toUnsignedLong(blkno));
        try {
            lock(buffer, exclusive);
        } catch (RuntimeException e) {
            buffers.unpin(buffer);
            throw e;
        }
        return buffer;
    }

    void lock(int buffer, boolean exclusive) {
        if (exclusive) {
            buffers.lockExclusive(buffer);
        } else {
            buffers.lockShared(buffer);
        }
    }

    /** _bt_relbuf: unlock and unpin. */
    void release(int buffer) {
        buffers.unlock(buffer);
        buffers.unpin(buffer);
    }

    /** _bt_relandgetbuf: releases one page, then locks another. */
    int releaseAndGet(IndexRelation index, int buffer, int blkno, boolean exclusive) {
        release(buffer);
        return getBuffer(index, blkno, exclusive);
    }

    /** The metapage's contents, read under a share lock. */
    BtreePage.Meta readMeta(IndexRelation index) {
        int meta = getBuffer(index, BtreePage.BTREE_METAPAGE, false);
        try {
            return BtreePage.readMeta(buffers.page(meta));
        } finally {
            release(meta);
        }
    }

    /**
     * _bt_getroot: the root page, locked in share mode, or 0 when the index is empty and
     * {@code create} is false. With create, the first insert makes an empty leaf the root.
     */
    int getRoot(IndexRelation index, boolean create) {
        for (;;) {
            BtreePage.Meta meta = readMeta(index);
            if (meta.root() != BtreePage.P_NONE) {
                return getBuffer(index, meta.root(), false);
            }
            if (!create) {
                return 0;
            }
            createRoot(index);
        }
    }

    /** The first root: an empty leaf page, and the metapage pointing at it (XLOG_BTREE_NEWROOT). */
    private void createRoot(IndexRelation index) {
        int meta = getBuffer(index, BtreePage.BTREE_METAPAGE, true);
        try {
            if (BtreePage.readMeta(buffers.page(meta)).root() != BtreePage.P_NONE) {
                return; // another backend made it first
            }
            int root = buffers.extend(index.locator(), ForkNumber.MAIN);
            try {
                buffers.lockExclusive(root);
                int blkno = (int) buffers.blockNumber(root);
                BtreePage.initPage(buffers.page(root), BtreePage.P_NONE, BtreePage.P_NONE, 0,
                        BtreePage.BTP_LEAF | BtreePage.BTP_ROOT);
                buffers.markDirty(root);
                BtreePage.writeMeta(buffers.page(meta), blkno, 0);
                buffers.markDirty(meta);
                buffers.unlock(root);
            } finally {
                buffers.unpin(root);
            }
        } finally {
            release(meta);
        }
    }

    /**
     * _bt_search: the leaf where the key belongs, locked (exclusively when forWrite), with the
     * stack of internal pages passed; null when the index is empty and not forWrite.
     */
    Position search(IndexRelation index, InsertKey key, boolean forWrite) {
        int root = getRoot(index, forWrite);
        if (root == 0) {
            return null;
        }
        Position pos = new Position(root, false);
        try {
            for (;;) {
                moveRight(index, key, pos);
                ByteBuffer page = buffers.page(pos.buffer);
                if (BtreePage.isLeaf(page)) {
                    if (forWrite && !pos.exclusive) {
                        buffers.unlock(pos.buffer); // the root is a leaf: relock it for writing
                        buffers.lockExclusive(pos.buffer);
                        pos.exclusive = true;
                        moveRight(index, key, pos);
                    }
                    return pos;
                }
                int off = binsrch(index, key, page);
                int child = IndexTuples.downlink(page, BtreePage.itemOffset(page, off));
                pos.stack = new Stack((int) buffers.blockNumber(pos.buffer), off, pos.stack);
                boolean childExclusive = forWrite && BtreePage.level(page) == 1;
                pos.buffer = releaseAndGet(index, pos.buffer, child, childExclusive);
                pos.exclusive = childExclusive;
            }
        } catch (RuntimeException e) {
            release(pos.buffer);
            throw e;
        }
    }

    /**
     * _bt_moveright: while the key is beyond the high key (or at it, for nextkey), follows the
     * right-link, releasing each page before locking the next, in the same mode.
     */
    void moveRight(IndexRelation index, InsertKey key, Position pos) {
        for (;;) {
            ByteBuffer page = buffers.page(pos.buffer);
            if (BtreePage.isRightmost(page)) {
                return;
            }
            int c = BtreeCompare.compare(index.keyDesc(), key, page, BtreePage.P_HIKEY);
            if (c > 0 || key.nextkey && c == 0) {
                pos.buffer = releaseAndGet(index, pos.buffer, BtreePage.next(page), pos.exclusive);
            } else {
                return;
            }
        }
    }

    /**
     * _bt_binsrch: on a leaf, the first item at or after the key (after it, for nextkey); on an
     * internal page, the last item before that: the downlink to follow.
     */
    int binsrch(IndexRelation index, InsertKey key, ByteBuffer page) {
        int low = BtreePage.firstDataKey(page);
        int high = Page.maxOffsetNumber(page);
        if (high < low) {
            return low;
        }
        high++;
        int cmpval = key.nextkey ? 0 : 1;
        while (high > low) {
            int mid = low + (high - low) / 2;
            if (BtreeCompare.compare(index.keyDesc(), key, page, mid) >= cmpval) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return BtreePage.isLeaf(page) ? low : low - 1;
    }

    /** _bt_endpoint for a forward scan: the leftmost leaf, share-locked; 0 for an empty index. */
    int leftmostLeaf(IndexRelation index) {
        int buffer = getRoot(index, false);
        if (buffer == 0) {
            return 0;
        }
        try {
            for (;;) {
                ByteBuffer page = buffers.page(buffer);
                if (BtreePage.isLeaf(page)) {
                    return buffer;
                }
                int child = IndexTuples.downlink(page, BtreePage.itemOffset(page, BtreePage.firstDataKey(page)));
                buffer = releaseAndGet(index, buffer, child, false);
            }
        } catch (RuntimeException e) {
            release(buffer);
            throw e;
        }
    }

    /** The leftmost page of a level (_bt_get_endpoint), share-locked. */
    int leftmostAtLevel(IndexRelation index, int level) {
        int buffer = getRoot(index, false);
        for (;;) {
            ByteBuffer page = buffers.page(buffer);
            if (BtreePage.level(page) == level) {
                return buffer;
            }
            if (BtreePage.level(page) < level) {
                release(buffer);
                throw new IllegalStateException("no level " + level + " in index \"" + index.name() + "\"");
            }
            int child = IndexTuples.downlink(page, BtreePage.itemOffset(page, BtreePage.firstDataKey(page)));
            buffer = releaseAndGet(index, buffer, child, false);
        }
    }
}
