/*
 * BtreeSort: building an index bottom-up from sorted tuples (PostgreSQL: access/nbtree/nbtsort.c
 * btbuild's _bt_spools_heapscan, _bt_leafbuild, _bt_load, _bt_buildadd, _bt_uppershutdown;
 * utils/sort/tuplesort.c's comparetup_index_btree with its unique check).
 *
 * The heap's build scan hands every tuple not dead to all; each becomes an index tuple in a
 * spool: one byte array arena of tuples and an int array of their offsets (the top bit marks a
 * tuple that is not alive), so five million keys are two arrays, not five million objects. A
 * stable merge sort of the offsets by key keeps equal keys in heap TID order, the order the
 * scan gave, which is the tiebreak nbtree version 4 wants. For a unique index two alive tuples
 * with equal keys and no NULL fail with 23505 "could not create unique index".
 *
 * Pages are filled left to right, level by level: a leaf is closed when it reaches fillfactor
 * (BLCKSZ * (100 - fillfactor) / 100 bytes left, as btps_full), an internal page at 70%. The
 * closed page's high key is a copy of the next page's first key (no suffix truncation), and its
 * lowest key with its block number goes up one level as a downlink (minus infinity for the
 * leftmost page of a level; the first item of every other internal page is made minus infinity
 * too, its key being in the parent). Blocks are numbered in the order pages are started, as
 * _bt_blnewpage does; the metapage (block 0) is written last with the root.
 *
 * WAL: PostgreSQL logs the built pages as full-page images (log_newpage) or fsyncs the file
 * without WAL when wal_level is minimal; the writePage() calls are where that goes.
 *
 * Entry points: build().
 * See also: BtreePage, IndexTuples.
 */
package org.osgres.btree;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.osgres.api.buffer.BufferManager;
import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.Page;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.HeapAccess;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.index.IndexRelation;
import org.osgres.api.xact.Transaction;

final class BtreeSort {
    private static final int DEAD_BIT = 0x80000000;

    private final BufferManager buffers;
    private final HeapAccess heap;

    BtreeSort(BufferManager buffers, HeapAccess heap) {
        this.buffers = buffers;
        this.heap = heap;
    }

    /** btbuild. Returns the number of index tuples. */
    long build(IndexRelation index, Transaction tx) {
        long nblocks = buffers.nblocks(index.locator(), ForkNumber.MAIN);
        if (nblocks > 1 || nblocks == 1 && new BtreeSearch(buffers).readMeta(index).root() != BtreePage.P_NONE) {
            throw new PgException(SqlState.INTERNAL_ERROR, "index \"" + index.name() + "\" already contains data");
        }
        if (!buffers.exists(index.locator(), ForkNumber.MAIN)) {
            buffers.create(index.locator(), ForkNumber.MAIN);
        }
        buffers.truncate(index.locator(), ForkNumber.MAIN, 0); // the empty metapage of createStorage is rewritten last
        TupleDesc desc = index.keyDesc();
        Spool spool = new Spool(desc);
        heap.indexBuildScan(index.heap(), tx, (tid, values, alive) -> {
            byte[] itup = IndexTuples.form(desc, index.keyOf(values), tid);
            if (itup.length > BtreePage.MAX_ITEM_SIZE) {
                throw new PgException(SqlState.PROGRAM_LIMIT_EXCEEDED, "index row size " + itup.length
                        + " exceeds btree version " + BtreePage.BTREE_VERSION + " maximum " + BtreePage.MAX_ITEM_SIZE
                        + " for index \"" + index.name() + "\"")
                        .withDetail("Index row references tuple " + tid + " in relation \"" + index.heap().name() + "\".")
                        .withHint("Values larger than 1/3 of a buffer page cannot be indexed.\n"
                                + "Consider a function index of an MD5 hash of the value, or use full text indexing.");
            }
            spool.add(itup, alive);
        });
        spool.sort();
        if (index.unique()) {
            spool.checkUnique(index);
        }
        new Loader(index).load(spool);
        return spool.count;
    }

    /** The tuples to load (BTSpool over a tuplesort). */
    static final class Spool {
        final TupleDesc desc;
        byte[] arena = new byte[1 << 16];
        ByteBuffer buf = ByteBuffer.wrap(arena).order(ByteOrder.LITTLE_ENDIAN);
        int used;
        int[] entries = new int[1024];
        int count;
        private final int[] posA;
        private final int[] posB;
        /** The single fixed-width column's type for the fast comparison, or 0. */
        private final int fastType;

        Spool(TupleDesc desc) {
            this.desc = desc;
            this.posA = new int[desc.size()];
            this.posB = new int[desc.size()];
            int t = desc.size() == 1 ? desc.get(0).typeOid() : 0;
            this.fastType = t == Attribute.INT4 || t == Attribute.INT8 || t == Attribute.DATE || t == Attribute.TIMESTAMP ? t : 0;
        }

        void add(byte[] itup, boolean alive) {
            if (used + itup.length > arena.length) {
                long grown = Math.max((long) arena.length * 2, (long) used + itup.length);
                if (grown > Integer.MAX_VALUE - 16) {
                    throw new PgException(SqlState.PROGRAM_LIMIT_EXCEEDED, "index build spool exceeds 2 GB");
                }
                arena = Arrays.copyOf(arena, (int) grown);
                buf = ByteBuffer.wrap(arena).order(ByteOrder.LITTLE_ENDIAN);
            }
            System.arraycopy(itup, 0, arena, used, itup.length);
            if (count == entries.length) {
                entries = Arrays.copyOf(entries, count * 2);
            }
            entries[count++] = used | (alive ? 0 : DEAD_BIT);
            used += itup.length;
        }

        static int offset(int entry) {
            return entry & ~DEAD_BIT;
        }

        static boolean alive(int entry) {
            return (entry & DEAD_BIT) == 0;
        }

        int compare(int a, int b) {
            int oa = offset(a);
            int ob = offset(b);
            if (fastType != 0 && !IndexTuples.hasNulls(buf, oa) && !IndexTuples.hasNulls(buf, ob)) {
                return fastType == Attribute.INT4 || fastType == Attribute.DATE
                        ? Integer.compare(buf.getInt(oa + IndexTuples.HEADER), buf.getInt(ob + IndexTuples.HEADER))
                        : Long.compare(buf.getLong(oa + IndexTuples.HEADER), buf.getLong(ob + IndexTuples.HEADER));
            }
            return BtreeCompare.compareTuples(desc, buf, oa, buf, ob, posA, posB);
        }

        /** A stable merge sort of the entries by key. */
        void sort() {
            int[] tmp = new int[count];
            mergeSort(entries, tmp, 0, count);
        }

        private void mergeSort(int[] a, int[] tmp, int lo, int hi) {
            if (hi - lo <= 16) {
                for (int i = lo + 1; i < hi; i++) {
                    int v = a[i];
                    int j = i - 1;
                    while (j >= lo && compare(a[j], v) > 0) {
                        a[j + 1] = a[j];
                        j--;
                    }
                    a[j + 1] = v;
                }
                return;
            }
            int mid = (lo + hi) >>> 1;
            mergeSort(a, tmp, lo, mid);
            mergeSort(a, tmp, mid, hi);
            if (compare(a[mid - 1], a[mid]) <= 0) {
                return; // already in order (the common case for keys loaded in order)
            }
            System.arraycopy(a, lo, tmp, lo, hi - lo);
            int i = lo;
            int j = mid;
            for (int k = lo; k < hi; k++) {
                if (j >= hi || i < mid && compare(tmp[i], tmp[j]) <= 0) {
                    a[k] = tmp[i++];
                } else {
                    a[k] = tmp[j++];
                }
            }
        }

        /** comparetup_index_btree's enforceUnique: two alive equal keys without NULLs. */
        void checkUnique(IndexRelation index) {
            int lastAlive = -1;
            for (int i = 0; i < count; i++) {
                int e = entries[i];
                if (!alive(e)) {
                    continue;
                }
                if (lastAlive >= 0 && !IndexTuples.hasNulls(buf, offset(e)) && compare(lastAlive, e) == 0) {
                    Object[] values = IndexTuples.values(desc, buf, offset(e));
                    throw new PgException(SqlState.UNIQUE_VIOLATION, "could not create unique index \"" + index.name() + "\"")
                            .withDetail("Key " + KeyDescription.of(desc, values) + " is duplicated.");
                }
                lastAlive = e;
            }
        }

        byte[] tuple(int i) {
            int off = offset(entries[i]);
            return Arrays.copyOfRange(arena, off, off + IndexTuples.size(buf, off));
        }
    }

    /** One level's page being filled (BTPageState). */
    private static final class Level {
        final int level;
        final List<byte[]> items = new ArrayList<>();
        int used;
        int blkno;
        int prev = BtreePage.P_NONE;
        /** The downlink to this page for the level above: minus infinity for the leftmost. */
        byte[] minKey;
        Level parent;

        Level(int level, int blkno) {
            this.level = level;
            this.blkno = blkno;
        }
    }

    /** _bt_load and friends. */
    private final class Loader {
        private final IndexRelation index;
        private final int natts;
        private final int leafFull;
        private final int internalFull;

        Loader(IndexRelation index) {
            this.index = index;
            this.natts = index.keyDesc().size();
            this.leafFull = Page.SIZE * (100 - index.fillfactor()) / 100;
            this.internalFull = Page.SIZE * (100 - BtreePage.NONLEAF_FILLFACTOR) / 100;
        }

        /** _bt_blnewpage's block: the next block of the file, zeroed now, written when the page is done. */
        private int allocate() {
            int buffer = buffers.extend(index.locator(), ForkNumber.MAIN);
            int blkno = (int) buffers.blockNumber(buffer);
            buffers.unpin(buffer);
            return blkno;
        }

        /** _bt_blwritepage: the page image into its buffer. */
        private void writePage(int blkno, ByteBuffer image) {
            int buffer = buffers.pin(index.locator(), ForkNumber.MAIN, blkno);
            try {
                buffers.lockExclusive(buffer);
                BtreePage.copy(image, buffers.page(buffer));
                buffers.markDirty(buffer);
                buffers.unlock(buffer);
            } finally {
                buffers.unpin(buffer);
            }
        }

        void load(Spool spool) {
            int meta = allocate();
            if (meta != BtreePage.BTREE_METAPAGE) {
                throw new IllegalStateException("metapage at block " + meta);
            }
            Level leaf = null;
            for (int i = 0; i < spool.count; i++) {
                if (leaf == null) {
                    leaf = new Level(0, allocate());
                    leaf.minKey = null;
                }
                add(leaf, spool.tuple(i));
            }
            int root = BtreePage.P_NONE;
            int rootLevel = 0;
            // _bt_uppershutdown: close the rightmost page of each level, bottom up
            for (Level s = leaf; s != null; s = s.parent) {
                boolean isRoot = s.parent == null;
                writeLevelPage(s, BtreePage.P_NONE, null, isRoot);
                if (isRoot) {
                    root = s.blkno;
                    rootLevel = s.level;
                } else {
                    addDownlink(s);
                }
            }
            ByteBuffer metaPage = BtreePage.tempPage();
            BtreePage.initMeta(metaPage, root, rootLevel);
            writePage(BtreePage.BTREE_METAPAGE, metaPage);
        }

        private int space(byte[] item) {
            return Page.maxAlign(item.length) + Page.ITEM_ID_SIZE;
        }

        /** The room a pivot copy of the item takes as a high key. */
        private int highKeySpace(byte[] item, boolean leaf) {
            return leaf ? Page.maxAlign(item.length) + Page.MAXALIGN + Page.ITEM_ID_SIZE : space(item);
        }

        /** _bt_buildadd: the item goes on the level's page, or on a new one when that is full. */
        private void add(Level s, byte[] item) {
            boolean leaf = s.level == 0;
            int after = s.used + space(item);
            int full = leaf ? leafFull : internalFull;
            boolean closing = !s.items.isEmpty()
                    && (after > BtreePage.USABLE - Page.MAXALIGN || BtreePage.USABLE - after < full);
            if (!closing) {
                s.items.add(item);
                s.used = after;
                return;
            }
            // the high key is the next page's first key: this item, or the last item moved over
            List<byte[]> carry = new ArrayList<>(2);
            if (s.used + highKeySpace(item, leaf) > BtreePage.USABLE && s.items.size() > 1) {
                byte[] last = s.items.remove(s.items.size() - 1);
                s.used -= space(last);
                carry.add(last);
            }
            carry.add(item);
            ByteBuffer first = ByteBuffer.wrap(carry.get(0)).order(ByteOrder.LITTLE_ENDIAN);
            byte[] highKey = leaf ? IndexTuples.pivot(first, 0, natts, BtreePage.P_NONE)
                    : IndexTuples.withDownlink(first, 0, BtreePage.P_NONE);
            int next = allocate();
            writeLevelPage(s, next, highKey, false);
            addDownlink(s);
            s.prev = s.blkno;
            s.blkno = next;
            s.items.clear();
            s.used = 0;
            s.minKey = leaf ? IndexTuples.pivot(first, 0, natts, next) : IndexTuples.withDownlink(first, 0, next);
            for (byte[] c : carry) {
                s.items.add(c);
                s.used += space(c);
            }
        }

        /** The downlink to the level's current page goes to the level above, made if needed. */
        private void addDownlink(Level s) {
            if (s.parent == null) {
                s.parent = new Level(s.level + 1, allocate());
                s.parent.minKey = null;
            }
            byte[] downlink = s.minKey == null ? IndexTuples.minusInfinity(s.blkno) : s.minKey;
            add(s.parent, downlink);
        }

        /** Writes the level's current page: high key (unless rightmost), then the items. */
        private void writeLevelPage(Level s, int next, byte[] highKey, boolean isRoot) {
            boolean leaf = s.level == 0;
            ByteBuffer image = BtreePage.tempPage();
            int flags = (leaf ? BtreePage.BTP_LEAF : 0) | (isRoot ? BtreePage.BTP_ROOT : 0);
            BtreePage.initPage(image, s.prev, next, s.level, flags);
            if (highKey != null) {
                BtreePage.appendItem(image, highKey);
            }
            for (int i = 0; i < s.items.size(); i++) {
                byte[] item = s.items.get(i);
                if (!leaf && i == 0) {
                    item = IndexTuples.minusInfinity(IndexTuples.downlink(ByteBuffer.wrap(item).order(ByteOrder.LITTLE_ENDIAN), 0));
                }
                BtreePage.appendItem(image, item);
            }
            int max = Page.maxOffsetNumber(image);
            if (highKey == null && max > 0) {
                // _bt_slideleft: PostgreSQL fills a rightmost page from P_FIRSTKEY on, then moves the
                // line pointers down over the unused high key slot; the last one's old copy stays just
                // past pd_lower. Written too, for byte-identical pages.
                image.putInt(Page.lower(image), Page.itemId(image, max));
            }
            writePage(s.blkno, image);
        }
    }
}
