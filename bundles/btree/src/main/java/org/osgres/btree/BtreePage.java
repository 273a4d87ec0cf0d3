/*
 * BtreePage: the layout of btree pages and the page changes, one function per kind (PostgreSQL:
 * access/nbtree.h, nbtpage.c _bt_initmetapage / _bt_pageinit, bufpage.c PageAddItem with an
 * offset and PageIndexMultiDelete).
 *
 * Every page is a standard page (org.osgres.api.buffer.Page) with BTPageOpaqueData as special
 * space (16 bytes at 8176):
 * <pre>
 *  0 btpo_prev    4  left sibling, P_NONE (0) for the leftmost page of a level
 *  4 btpo_next    4  right sibling, P_NONE for the rightmost
 *  8 btpo_level   4  0 for leaves
 * 12 btpo_flags   2  BTP_LEAF, BTP_ROOT, BTP_META, ...
 * 14 btpo_cycleid 2  always 0 here (no vacuum cycle ids: see BtreeVacuum)
 * </pre>
 * Block 0 is the metapage: BTMetaPageData right after the page header (btm_magic 0x053162,
 * btm_version 4, btm_root, btm_level, btm_fastroot, btm_fastlevel, btm_last_cleanup_num_delpages,
 * btm_last_cleanup_num_heap_tuples, btm_allequalimage), pd_lower just past it.
 *
 * On a page that is not the rightmost of its level, line pointer 1 (P_HIKEY) is the high key:
 * an upper bound of every key on the page, a copy of the right sibling's first key. Data items
 * start at P_FIRSTDATAKEY (2, or 1 on a rightmost page). On internal pages the first data item is
 * "minus infinity": a pivot tuple with no key, only a downlink.
 *
 * A leaf item whose heap tuple is dead to every transaction may carry LP_DEAD in its line pointer
 * (ItemIdMarkDead), and its page BTP_HAS_GARBAGE: hints set under a share lock, not logged
 * (BtreeDelete). Such an item keeps its key and its place: binary searches compare it as any
 * other; scans and unique checks skip it; insertItem and deleteItems keep line pointer flags.
 *
 * WAL: the page changes here are what the XLOG_BTREE_* records log (BtreeWal): insertItem
 * (XLOG_BTREE_INSERT_LEAF / _UPPER), BtreeInsert.split's page images (XLOG_BTREE_SPLIT_L),
 * newRoot via writeMeta (XLOG_BTREE_NEWROOT), deleteItems (XLOG_BTREE_VACUUM, XLOG_BTREE_DELETE);
 * the records stamp pd_lsn.
 *
 * Entry points: initPage(), initMeta(), readMeta(), writeMeta(), insertItem(), deleteItems(),
 * isItemDead(), markItemDead(), the opaque accessors.
 * See also: IndexTuples -- the items; BtreeInsert, BtreeSort -- who writes pages; BtreeDelete --
 * LP_DEAD items.
 */
package org.osgres.btree;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.osgres.api.buffer.Page;

final class BtreePage {
    /** P_NONE: no sibling. */
    static final int P_NONE = 0;
    static final int BTREE_METAPAGE = 0;
    static final int BTREE_MAGIC = 0x053162;
    static final int BTREE_VERSION = 4;
    static final int P_HIKEY = 1;
    static final int P_FIRSTKEY = 2;

    static final int BTP_LEAF = 1 << 0;
    static final int BTP_ROOT = 1 << 1;
    static final int BTP_DELETED = 1 << 2;
    static final int BTP_META = 1 << 3;
    static final int BTP_HALF_DEAD = 1 << 4;
    static final int BTP_SPLIT_END = 1 << 5;
    static final int BTP_HAS_GARBAGE = 1 << 6;
    static final int BTP_INCOMPLETE_SPLIT = 1 << 7;

    /** sizeof(BTPageOpaqueData). */
    static final int OPAQUE_SIZE = 16;
    /** The space for line pointers and items on an empty page. */
    static final int USABLE = Page.SIZE - Page.HEADER_SIZE - OPAQUE_SIZE;
    /**
     * BTMaxItemSize: three items fit on a page (a high key and two more), with room for a heap
     * TID in a pivot: MAXALIGN_DOWN((8192 - MAXALIGN(24 + 3 * 4) - MAXALIGN(16)) / 3) - 8 = 2704.
     */
    static final int MAX_ITEM_SIZE = ((Page.SIZE - Page.maxAlign(Page.HEADER_SIZE + 3 * Page.ITEM_ID_SIZE)
            - Page.maxAlign(OPAQUE_SIZE)) / 3 & ~(Page.MAXALIGN - 1)) - Page.maxAlign(6);
    /** BTREE_NONLEAF_FILLFACTOR. */
    static final int NONLEAF_FILLFACTOR = 70;

    private static final int META = Page.HEADER_SIZE;
    /** sizeof(BTMetaPageData): 7 uint32, a float8 at 32, a bool at 40, padded to 48. */
    private static final int META_SIZE = 48;

    private BtreePage() {
    }

    /** The metapage's fields we use (BTMetaPageData). */
    record Meta(int root, int level, int fastroot, int fastlevel) {
    }

    private static ByteBuffer opaque(ByteBuffer page) {
        return Page.specialSpace(page);
    }

    static int prev(ByteBuffer page) {
        return opaque(page).getInt(0);
    }

    static int next(ByteBuffer page) {
        return opaque(page).getInt(4);
    }

    static int level(ByteBuffer page) {
        return opaque(page).getInt(8);
    }

    static int flags(ByteBuffer page) {
        return opaque(page).getShort(12) & 0xffff;
    }

    static void setPrev(ByteBuffer page, int blkno) {
        opaque(page).putInt(0, blkno);
    }

    static void setNext(ByteBuffer page, int blkno) {
        opaque(page).putInt(4, blkno);
    }

    static void setFlags(ByteBuffer page, int flags) {
        opaque(page).putShort(12, (short) flags);
    }

    static boolean isLeaf(ByteBuffer page) {
        return (flags(page) & BTP_LEAF) != 0;
    }

    static boolean isRightmost(ByteBuffer page) {
        return next(page) == P_NONE;
    }

    static boolean isLeftmost(ByteBuffer page) {
        return prev(page) == P_NONE;
    }

    /** P_INCOMPLETE_SPLIT: the page split, and its right half's downlink is not in the parent yet. */
    static boolean isIncompleteSplit(ByteBuffer page) {
        return (flags(page) & BTP_INCOMPLETE_SPLIT) != 0;
    }

    /** P_HAS_GARBAGE: some item may be LP_DEAD. */
    static boolean hasGarbage(ByteBuffer page) {
        return (flags(page) & BTP_HAS_GARBAGE) != 0;
    }

    /** ItemIdIsDead. */
    static boolean isItemDead(ByteBuffer page, int offnum) {
        return Page.itemFlags(Page.itemId(page, offnum)) == Page.LP_DEAD;
    }

    /** ItemIdMarkDead: the item stays where it is, with its length and storage. */
    static void markItemDead(ByteBuffer page, int offnum) {
        int id = Page.itemId(page, offnum);
        Page.setItemId(page, offnum, Page.itemOffset(id), Page.LP_DEAD, Page.itemLength(id));
    }

    static boolean isRoot(ByteBuffer page) {
        return (flags(page) & BTP_ROOT) != 0;
    }

    /** P_FIRSTDATAKEY. */
    static int firstDataKey(ByteBuffer page) {
        return isRightmost(page) ? P_HIKEY : P_FIRSTKEY;
    }

    /** _bt_pageinit plus the opaque data. */
    static void initPage(ByteBuffer page, int prev, int next, int level, int flags) {
        Page.init(page, OPAQUE_SIZE);
        ByteBuffer o = opaque(page);
        o.putInt(0, prev);
        o.putInt(4, next);
        o.putInt(8, level);
        o.putShort(12, (short) flags);
        o.putShort(14, (short) 0);
    }

    /** _bt_initmetapage: an empty index (root P_NONE) or one whose root is given. */
    static void initMeta(ByteBuffer page, int root, int level) {
        initPage(page, P_NONE, P_NONE, 0, BTP_META);
        ByteBuffer p = page.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        p.putInt(META, BTREE_MAGIC);
        p.putInt(META + 4, BTREE_VERSION);
        p.putDouble(META + 32, -1.0); // btm_last_cleanup_num_heap_tuples: -1, never cleaned up
        p.put(META + 40, (byte) 1); // btm_allequalimage: every supported opclass is "equalimage"
        writeMeta(page, root, level);
        p.putShort(12, (short) (META + META_SIZE)); // pd_lower past the metadata, as PostgreSQL sets it
    }

    /** The metapage's root and level; checks the magic and version. */
    static Meta readMeta(ByteBuffer page) {
        ByteBuffer p = page.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (p.getInt(META) != BTREE_MAGIC) {
            throw new IllegalStateException("index is not a btree");
        }
        return new Meta(p.getInt(META + 8), p.getInt(META + 12), p.getInt(META + 16), p.getInt(META + 20));
    }

    /** The metapage update of a new root (_bt_newroot, _bt_getroot): root and fast root alike. */
    static void writeMeta(ByteBuffer page, int root, int level) {
        ByteBuffer p = page.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        p.putInt(META + 8, root);
        p.putInt(META + 12, level);
        p.putInt(META + 16, root);
        p.putInt(META + 20, level);
    }

    /**
     * PageAddItemExtended with an offset (overwrite false): the line pointers from offnum on move
     * one up. The caller has checked the room ({@link #fits}).
     */
    static void insertItem(ByteBuffer page, int offnum, byte[] item) {
        int max = Page.maxOffsetNumber(page);
        for (int i = max; i >= offnum; i--) {
            int id = Page.itemId(page, i);
            Page.setItemId(page, i + 1, Page.itemOffset(id), Page.itemFlags(id), Page.itemLength(id));
        }
        int upper = Page.upper(page) - Page.maxAlign(item.length);
        page.put(upper, item);
        Page.setItemId(page, offnum, upper, Page.LP_NORMAL, item.length);
        page.putShort(12, (short) (Page.lower(page) + Page.ITEM_ID_SIZE));
        page.putShort(14, (short) upper);
    }

    /** Appends an item after the last line pointer (PageAddItem while building pages). */
    static void appendItem(ByteBuffer page, byte[] item) {
        insertItem(page, Page.maxOffsetNumber(page) + 1, item);
    }

    /** Whether an item of len bytes and its line pointer fit. */
    static boolean fits(ByteBuffer page, int len) {
        return Page.upper(page) - Page.lower(page) >= Page.maxAlign(len) + Page.ITEM_ID_SIZE;
    }

    /** The item's bytes, copied. */
    static byte[] itemBytes(ByteBuffer page, int offnum) {
        int id = Page.itemId(page, offnum);
        byte[] b = new byte[Page.itemLength(id)];
        page.get(Page.itemOffset(id), b);
        return b;
    }

    /** Where the item starts on the page. */
    static int itemOffset(ByteBuffer page, int offnum) {
        return Page.itemOffset(Page.itemId(page, offnum));
    }

    /**
     * PageIndexMultiDelete: removes the items at the offsets (sorted ascending), closing the gaps
     * in the line pointer array and compacting the item storage. The items kept keep their
     * line pointers' flags (LP_DEAD).
     */
    static void deleteItems(ByteBuffer page, int[] offsets, int n) {
        int max = Page.maxOffsetNumber(page);
        byte[][] keep = new byte[max - n][];
        boolean[] dead = new boolean[max - n];
        int k = 0;
        int d = 0;
        for (int i = 1; i <= max; i++) {
            if (d < n && offsets[d] == i) {
                d++;
                continue;
            }
            dead[k] = isItemDead(page, i);
            keep[k++] = itemBytes(page, i);
        }
        ByteBuffer o = opaque(page);
        int prev = o.getInt(0);
        int next = o.getInt(4);
        int level = o.getInt(8);
        int flags = o.getShort(12) & 0xffff;
        long lsn = Page.lsn(page);
        initPage(page, prev, next, level, flags);
        Page.setLsn(page, lsn);
        for (int i = 0; i < keep.length; i++) {
            appendItem(page, keep[i]);
            if (dead[i]) {
                markItemDead(page, i + 1);
            }
        }
    }

    /** Copies a whole page image (the split's temporary left page onto the original). */
    static void copy(ByteBuffer from, ByteBuffer to) {
        for (int i = 0; i < Page.SIZE; i += 8) {
            to.putLong(i, from.getLong(i));
        }
    }

    /** A private 8 KB page, little-endian, for building a page image. */
    static ByteBuffer tempPage() {
        return ByteBuffer.allocate(Page.SIZE).order(ByteOrder.LITTLE_ENDIAN);
    }
}
