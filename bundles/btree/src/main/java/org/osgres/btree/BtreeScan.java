/*
 * BtreeScan: an index scan, forward in key order (PostgreSQL: access/nbtree/nbtsearch.c
 * _bt_first, _bt_next, _bt_readpage, _bt_steppage; nbtutils.c _bt_preprocess_keys reduced and
 * _bt_checkkeys; nbtree.c btgettuple's kill_prior_tuple; indexam.c index_getnext_slot and
 * index_fetch_heap).
 *
 * _bt_first builds an insertion key from the scan keys usable as a start boundary: column by
 * column, an = key, else the tightest > or >= key, stopping after the first column that has no =
 * key. A last > key makes it nextkey (start after the equal items). BtreeSearch finds the leaf.
 * An int8 value compared with an int2 or int4 column (cross-type, as PostgreSQL's integer_ops)
 * that lies outside the column's range ends the scan at once or drops the bound.
 *
 * Each leaf is read under its share lock in one go: the heap TIDs of the items that pass every
 * scan key are copied out (so->currPos), with their offsets and the right-link as it was then,
 * and the lock is released; only the pin stays until the scan moves on (at most one pin between
 * next() calls). Items marked LP_DEAD are skipped. A heap fetch that finds an item's tuple dead to
 * every transaction (all_dead) adds the item to the killed ones (kill_prior_tuple), which
 * BtreeDelete.killItems marks LP_DEAD before the scan leaves the leaf, once the heap confirms.
 * Items a concurrent split moves from this page to a new right page were copied already, and the
 * next page is the remembered right-link, so nothing is missed or seen twice; entries inserted
 * later belong to transactions the scan's snapshot does not see. A key that fails on a column
 * whose earlier columns all have = keys, with < <= or =, ends the scan (a "required" key: every
 * later item fails it too). NULLs sort last, so a NULL in such a column ends it as well.
 *
 * Entry points: next(), close() (IndexScan).
 * See also: BtreeSearch; BtreeCompare.compareValues -- the filters; BtreeDelete -- _bt_killitems;
 * HeapIndexFetch -- the heap fetches.
 */
package org.osgres.btree;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.osgres.api.buffer.Page;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.HeapAccess;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.IndexFetch;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.index.IndexRelation;
import org.osgres.api.index.IndexScan;
import org.osgres.api.index.ScanKey;
import org.osgres.api.xact.Snapshot;
import org.osgres.api.xact.Transaction;
import org.osgres.btree.BtreeCompare.InsertKey;
import org.osgres.btree.BtreeSearch.Position;

final class BtreeScan implements IndexScan {
    private final BtreeSearch search;
    private final BtreeDelete deleter;
    private final IndexFetch fetch;
    private final IndexRelation index;
    private final Snapshot snapshot;
    private final List<ScanKey> keys;
    /** Per key: whether failing it ends a forward scan. */
    private final boolean[] requiredEnd;

    /** so->currPos.items: the current leaf's matching items. */
    private final List<BtreeDelete.Item> items = new ArrayList<>();
    private int itemIndex;
    /** so->killedItems: items of the current leaf whose heap tuples are dead to all. */
    private final List<BtreeDelete.Item> killed = new ArrayList<>();
    private final boolean[] allDead = new boolean[1];
    /** The current leaf, pinned, not locked; 0 when none. */
    private int pinned;
    private int nextBlk = BtreePage.P_NONE;
    private boolean moreRight;
    private boolean started;
    private boolean closed;

    BtreeScan(BtreeSearch search, BtreeDelete deleter, HeapAccess heap, IndexRelation index, Transaction tx, Snapshot snapshot,
            List<ScanKey> keys) {
        this.search = search;
        this.deleter = deleter;
        this.fetch = heap.beginIndexFetch(index.heap(), tx);
        this.index = index;
        this.snapshot = snapshot;
        this.keys = List.copyOf(keys);
        int natts = index.keyDesc().size();
        for (ScanKey k : this.keys) {
            if (k.column() < 1 || k.column() > natts) {
                throw new IllegalArgumentException("index \"" + index.name() + "\" has no column " + k.column());
            }
        }
        boolean[] hasEqual = new boolean[natts + 1];
        for (ScanKey k : this.keys) {
            hasEqual[k.column()] |= k.op() == ScanKey.Strategy.EQUAL;
        }
        this.requiredEnd = new boolean[this.keys.size()];
        for (int i = 0; i < this.keys.size(); i++) {
            ScanKey k = this.keys.get(i);
            boolean prefixEqual = true;
            for (int c = 1; c < k.column(); c++) {
                prefixEqual &= hasEqual[c];
            }
            requiredEnd[i] = prefixEqual && (k.op() == ScanKey.Strategy.LESS || k.op() == ScanKey.Strategy.LESS_EQUAL
                    || k.op() == ScanKey.Strategy.EQUAL);
        }
    }

    @Override
    public HeapTuple next() {
        if (closed) {
            throw new IllegalStateException("index scan is closed");
        }
        for (;;) {
            if (itemIndex < items.size()) {
                BtreeDelete.Item item = items.get(itemIndex++);
                HeapTuple t = fetch.fetch(new ItemPointer(item.heapBlock(), item.heapOffset()), snapshot, allDead);
                if (t != null) {
                    return t;
                }
                if (allDead[0]) {
                    killed.add(item);
                }
                continue;
            }
            if (!started) {
                started = true;
                first();
                continue;
            }
            if (!moreRight || nextBlk == BtreePage.P_NONE) {
                leavePage();
                return null;
            }
            leavePage();
            int buffer = search.getBuffer(index, nextBlk, false);
            readPage(buffer, BtreePage.firstDataKey(search.buffers().page(buffer)));
        }
    }

    /** _bt_first. */
    private void first() {
        TupleDesc desc = index.keyDesc();
        int natts = desc.size();
        Object[] bound = new Object[natts];
        int keysz = 0;
        boolean nextkey = false;
        for (int col = 1; col <= natts; col++) {
            ScanKey chosen = null;
            for (ScanKey k : keys) {
                if (k.column() != col) {
                    continue;
                }
                if (k.op() == ScanKey.Strategy.EQUAL) {
                    chosen = k;
                    break;
                }
                if (k.op() == ScanKey.Strategy.GREATER || k.op() == ScanKey.Strategy.GREATER_EQUAL) {
                    if (chosen == null) {
                        chosen = k;
                    } else {
                        int c = BtreeCompare.compareValues(desc.get(col - 1), k.value(), chosen.value());
                        if (c > 0 || c == 0 && k.op() == ScanKey.Strategy.GREATER) {
                            chosen = k;
                        }
                    }
                }
            }
            if (chosen == null) {
                break;
            }
            int range = outOfRange(desc.get(col - 1), chosen.value());
            if (range > 0 || range < 0 && chosen.op() == ScanKey.Strategy.EQUAL) {
                return; // no value of the column can be equal or greater: nothing to scan
            }
            if (range < 0) {
                break; // every value of the column is greater: no start bound from here on
            }
            bound[col - 1] = chosen.value();
            keysz = col;
            nextkey = chosen.op() == ScanKey.Strategy.GREATER;
            if (chosen.op() != ScanKey.Strategy.EQUAL) {
                break;
            }
        }
        int buffer;
        int startOff;
        if (keysz == 0) {
            buffer = search.leftmostLeaf(index);
            if (buffer == 0) {
                return;
            }
            startOff = BtreePage.firstDataKey(search.buffers().page(buffer));
        } else {
            InsertKey key = new InsertKey(desc, IndexTuples.form(desc, bound, null), keysz, null, nextkey);
            Position pos = search.search(index, key, false);
            if (pos == null) {
                return;
            }
            buffer = pos.buffer;
            startOff = search.binsrch(index, key, search.buffers().page(buffer));
        }
        readPage(buffer, startOff);
    }

    /**
     * For an int2 or int4 column compared with a wider integer (the cross-type operators of the
     * integer_ops family): 1 when the value is above every value of the column, -1 below, else 0.
     */
    private static int outOfRange(Attribute att, Object value) {
        long min;
        long max;
        switch (att.typeOid()) {
            case Attribute.INT2 -> {
                min = Short.MIN_VALUE;
                max = Short.MAX_VALUE;
            }
            case Attribute.INT4 -> {
                min = Integer.MIN_VALUE;
                max = Integer.MAX_VALUE;
            }
            default -> {
                return 0;
            }
        }
        long v = ((Number) value).longValue();
        return v > max ? 1 : v < min ? -1 : 0;
    }

    /** _bt_readpage: copies the matching TIDs from offnum on, then unlocks (the pin stays). */
    private void readPage(int buffer, int offnum) {
        items.clear();
        itemIndex = 0;
        pinned = buffer;
        try {
            ByteBuffer page = search.buffers().page(buffer);
            moreRight = !BtreePage.isRightmost(page);
            nextBlk = BtreePage.next(page);
            int max = Page.maxOffsetNumber(page);
            TupleDesc desc = index.keyDesc();
            for (int off = offnum; off <= max; off++) {
                if (BtreePage.isItemDead(page, off)) {
                    continue; // dead to every transaction: no need to look at the heap
                }
                int t = BtreePage.itemOffset(page, off);
                Object[] values = keys.isEmpty() ? null : IndexTuples.values(desc, page, t);
                int check = checkKeys(values);
                if (check < 0) {
                    moreRight = false;
                    break;
                }
                if (check > 0) {
                    items.add(new BtreeDelete.Item(IndexTuples.tidBlock(page, t), IndexTuples.tidPosid(page, t), off));
                }
            }
        } finally {
            search.buffers().unlock(buffer);
        }
    }

    /** _bt_checkkeys: 1 the item passes, 0 it fails, -1 it fails a required key (the scan ends). */
    private int checkKeys(Object[] values) {
        for (int i = 0; i < keys.size(); i++) {
            ScanKey k = keys.get(i);
            Object v = values[k.column() - 1];
            boolean ok;
            if (v == null) {
                ok = false; // NULLs last: past every value
            } else {
                int c = BtreeCompare.compareValues(index.keyDesc().get(k.column() - 1), v, k.value());
                ok = switch (k.op()) {
                    case LESS -> c < 0;
                    case LESS_EQUAL -> c <= 0;
                    case EQUAL -> c == 0;
                    case GREATER_EQUAL -> c >= 0;
                    case GREATER -> c > 0;
                };
            }
            if (!ok) {
                return requiredEnd[i] ? -1 : 0;
            }
        }
        return 1;
    }

    /** Leaves the current leaf (_bt_steppage, btendscan): marks the killed items LP_DEAD, drops the pin. */
    private void leavePage() {
        if (pinned == 0) {
            return;
        }
        try {
            if (!killed.isEmpty()) {
                deleter.killItems(pinned, killed, fetch);
            }
        } finally {
            killed.clear();
            search.buffers().unpin(pinned);
            pinned = 0;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            leavePage();
            items.clear();
        }
    }
}
