package org.osgres.btree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.Page;
import org.osgres.api.index.IndexRelation;

/**
 * amcheck's bt_index_check, reduced: every level from its leftmost page along the right-links,
 * sibling links agree, items strictly ascending by (key, heap TID) -- on the leaf level from page
 * to page too, so no entry is there twice --, each high key above its page's items (at or above
 * on a leaf, as amcheck's invariant_leq_offset) and at or below the right sibling's first key,
 * each downlink's child at the level below with a first key at or above the downlink's key;
 * LP_DEAD only on leaf data items, and only on a page with BTP_HAS_GARBAGE. Returns the leaf
 * tuples' count, LP_DEAD ones included.
 *
 * A leaf item equal to its high key: a split makes the high key a copy of the right page's first
 * item; once VACUUM removed that item and the heap gave its TID to a new version with the same
 * key, the new entry equals the high key, and an insertion moves right only past a greater one.
 */
final class BtreeChecker {
    private BtreeChecker() {
    }

    static long check(BtreeFixture f, IndexRelation index) {
        BtreeSearch search = new BtreeSearch(f.buffers);
        BtreePage.Meta meta = search.readMeta(index);
        if (meta.root() == BtreePage.P_NONE) {
            return 0;
        }
        long leafItems = 0;
        byte[] lastLeafItem = null;
        int level = meta.level();
        int leftmost = meta.root();
        while (true) {
            int blk = leftmost;
            int prev = BtreePage.P_NONE;
            int nextLeftmost = -1;
            byte[] lastKey = null;
            while (blk != BtreePage.P_NONE) {
                ByteBuffer page = copyOf(f, index, blk);
                assertEquals(level, BtreePage.level(page), "level of block " + blk);
                assertEquals(prev, BtreePage.prev(page), "btpo_prev of block " + blk);
                assertEquals(level == 0, BtreePage.isLeaf(page));
                int first = BtreePage.firstDataKey(page);
                int max = Page.maxOffsetNumber(page);
                for (int off = 1; off <= max; off++) {
                    if (BtreePage.isItemDead(page, off)) {
                        assertTrue(level == 0 && off >= first, "LP_DEAD on a leaf data item only: block " + blk + " offset " + off);
                        assertTrue(BtreePage.hasGarbage(page), "LP_DEAD item without BTP_HAS_GARBAGE at block " + blk);
                    }
                }
                if (lastKey != null && first <= max && level == 0) {
                    // the previous page's high key is at or below this page's first key (equal until VACUUM deletes it)
                    assertTrue(cmp(index, lastKey, BtreePage.itemBytes(page, first)) <= 0, "high key of the page left of " + blk);
                }
                byte[] prevItem = null;
                for (int off = first; off <= max; off++) {
                    byte[] item = BtreePage.itemBytes(page, off);
                    if (level > 0 && off == first) {
                        assertTrue(IndexTuples.isPivot(wrap(item), 0));
                        if (nextLeftmost < 0) {
                            nextLeftmost = IndexTuples.downlink(wrap(item), 0);
                        }
                        continue;
                    }
                    if (prevItem != null) {
                        assertTrue(cmp(index, prevItem, item) < 0, "order at block " + blk + " offset " + off);
                    }
                    if (!BtreePage.isRightmost(page)) {
                        int c = cmp(index, item, BtreePage.itemBytes(page, BtreePage.P_HIKEY));
                        assertTrue(level == 0 ? c <= 0 : c < 0, "item under the high key at block " + blk + " offset " + off);
                    }
                    if (level > 0) {
                        ByteBuffer child = copyOf(f, index, IndexTuples.downlink(wrap(item), 0));
                        assertEquals(level - 1, BtreePage.level(child));
                        int cf = BtreePage.firstDataKey(child);
                        if (level == 1 && cf <= Page.maxOffsetNumber(child)) {
                            assertTrue(cmp(index, item, BtreePage.itemBytes(child, cf)) <= 0, "child's first key");
                        }
                    } else {
                        if (lastLeafItem != null) {
                            assertTrue(cmp(index, lastLeafItem, item) < 0, "leaf order across pages at block " + blk + " offset " + off);
                        }
                        lastLeafItem = item;
                        leafItems++;
                    }
                    prevItem = item;
                }
                lastKey = BtreePage.isRightmost(page) ? null : BtreePage.itemBytes(page, BtreePage.P_HIKEY);
                prev = blk;
                blk = BtreePage.next(page);
            }
            if (level == 0) {
                return leafItems;
            }
            level--;
            leftmost = nextLeftmost;
        }
    }

    private static ByteBuffer wrap(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** (key, heap TID) of a against b. */
    static int cmp(IndexRelation index, byte[] a, byte[] b) {
        ByteBuffer ba = wrap(a);
        var key = new BtreeCompare.InsertKey(index.keyDesc(), a, IndexTuples.natts(ba, 0, index.keyDesc().size()),
                IndexTuples.heapTid(ba, 0), false);
        return BtreeCompare.compareToTuple(index.keyDesc(), key, wrap(b), 0);
    }

    static ByteBuffer copyOf(BtreeFixture f, IndexRelation index, int blk) {
        int buffer = f.buffers.pin(index.locator(), ForkNumber.MAIN, blk);
        try {
            f.buffers.lockShared(buffer);
            try {
                ByteBuffer copy = BtreePage.tempPage();
                BtreePage.copy(f.buffers.page(buffer), copy);
                return copy;
            } finally {
                f.buffers.unlock(buffer);
            }
        } finally {
            f.buffers.unpin(buffer);
        }
    }

    /** Every leaf tuple's key values, in index order. */
    static List<Object[]> leafKeys(BtreeFixture f, IndexRelation index) {
        List<Object[]> keys = new ArrayList<>();
        BtreeSearch search = new BtreeSearch(f.buffers);
        int buffer = search.leftmostLeaf(index);
        if (buffer == 0) {
            return keys;
        }
        int blk = (int) f.buffers.blockNumber(buffer);
        search.release(buffer);
        while (blk != BtreePage.P_NONE) {
            ByteBuffer page = copyOf(f, index, blk);
            for (int off = BtreePage.firstDataKey(page); off <= Page.maxOffsetNumber(page); off++) {
                keys.add(IndexTuples.values(index.keyDesc(), page, BtreePage.itemOffset(page, off)));
            }
            blk = BtreePage.next(page);
        }
        return keys;
    }

    /** The leaf items marked LP_DEAD, and the leaves with BTP_HAS_GARBAGE: {dead items, pages}. */
    static int[] deadItems(BtreeFixture f, IndexRelation index) {
        int[] counts = new int[2];
        BtreeSearch search = new BtreeSearch(f.buffers);
        int buffer = search.leftmostLeaf(index);
        if (buffer == 0) {
            return counts;
        }
        int blk = (int) f.buffers.blockNumber(buffer);
        search.release(buffer);
        while (blk != BtreePage.P_NONE) {
            ByteBuffer page = copyOf(f, index, blk);
            for (int off = BtreePage.firstDataKey(page); off <= Page.maxOffsetNumber(page); off++) {
                counts[0] += BtreePage.isItemDead(page, off) ? 1 : 0;
            }
            counts[1] += BtreePage.hasGarbage(page) ? 1 : 0;
            blk = BtreePage.next(page);
        }
        return counts;
    }
}
