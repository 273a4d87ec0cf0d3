/*
 * HeapPages: heap page operations beyond the generic layout (PostgreSQL: storage/page/bufpage.c
 * PageGetHeapFreeSpace, PageRepairFragmentation, PageTruncateLinePointerArray, and
 * htup_details.h's size limits).
 *
 * Entry points: heapFreeSpace(), repairFragmentation(), truncateLinePointerArray(), addItemAt().
 * See also: org.osgres.api.buffer.Page -- the layout itself.
 */
package org.osgres.heap;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.osgres.api.buffer.Page;

final class HeapPages {
    /** MaxHeapTupleSize: BLCKSZ - MAXALIGN(SizeOfPageHeaderData + sizeof(ItemIdData)) = 8160. */
    static final int MAX_HEAP_TUPLE_SIZE = Page.SIZE - Page.maxAlign(Page.HEADER_SIZE + Page.ITEM_ID_SIZE);
    /** MaxHeapTuplesPerPage: 291. */
    static final int MAX_HEAP_TUPLES_PER_PAGE = (Page.SIZE - Page.HEADER_SIZE)
            / (Page.maxAlign(HeapTupleHeader.SIZE) + Page.ITEM_ID_SIZE);

    private HeapPages() {
    }

    /**
     * PageGetHeapFreeSpace: free space for one more tuple, 0 when the page already has
     * MaxHeapTuplesPerPage line pointers and none is unused.
     */
    static int heapFreeSpace(ByteBuffer page) {
        int space = Page.freeSpace(page);
        if (space > 0) {
            int nline = Page.maxOffsetNumber(page);
            if (nline >= MAX_HEAP_TUPLES_PER_PAGE) {
                if ((Page.flags(page) & Page.PD_HAS_FREE_LINES) == 0) {
                    return 0;
                }
                for (int i = 1; i <= nline; i++) {
                    if (Page.itemFlags(Page.itemId(page, i)) == Page.LP_UNUSED) {
                        return space;
                    }
                }
                return 0;
            }
        }
        return space;
    }

    /**
     * PageRepairFragmentation: moves the tuples of LP_NORMAL line pointers together at the end
     * of the page, in their order, leaving one gap of free space; unused line pointers get
     * offset and length 0 and PD_HAS_FREE_LINES is set when there are any.
     */
    static void repairFragmentation(ByteBuffer page) {
        int nline = Page.maxOffsetNumber(page);
        int special = Page.special(page);
        int[][] items = new int[nline][];
        int n = 0;
        boolean anyUnused = false;
        for (int i = 1; i <= nline; i++) {
            int id = Page.itemId(page, i);
            if (Page.itemFlags(id) == Page.LP_NORMAL || Page.itemFlags(id) == Page.LP_REDIRECT && Page.itemLength(id) > 0) {
                items[n++] = new int[] {i, Page.itemOffset(id), Page.itemLength(id)};
            } else {
                if (Page.itemFlags(id) == Page.LP_UNUSED) {
                    anyUnused = true;
                    Page.setItemId(page, i, 0, Page.LP_UNUSED, 0);
                } else {
                    Page.setItemId(page, i, 0, Page.itemFlags(id), 0); // LP_DEAD, LP_REDIRECT: no storage
                }
            }
        }
        int[][] sorted = Arrays.copyOf(items, n);
        Arrays.sort(sorted, (a, b) -> Integer.compare(b[1], a[1])); // highest offset first
        byte[] tmp = new byte[Page.SIZE];
        int upper = special;
        for (int[] it : sorted) {
            int aligned = Page.maxAlign(it[2]);
            upper -= aligned;
            page.get(it[1], tmp, upper, it[2]);
            for (int z = it[2]; z < aligned; z++) {
                tmp[upper + z] = 0;
            }
            Page.setItemId(page, it[0], upper, Page.LP_NORMAL, it[2]);
        }
        int lower = Page.lower(page);
        page.put(upper, tmp, upper, special - upper);
        for (int z = lower; z < upper; z++) {
            page.put(z, (byte) 0);
        }
        setUpper(page, upper);
        int flags = Page.flags(page);
        Page.setFlags(page, anyUnused ? flags | Page.PD_HAS_FREE_LINES : flags & ~Page.PD_HAS_FREE_LINES);
    }

    /** PageTruncateLinePointerArray: drops the unused line pointers at the end of the array. */
    static void truncateLinePointerArray(ByteBuffer page) {
        int nline = Page.maxOffsetNumber(page);
        int last = nline;
        while (last > 0 && Page.itemFlags(Page.itemId(page, last)) == Page.LP_UNUSED) {
            page.putInt(Page.HEADER_SIZE + (last - 1) * Page.ITEM_ID_SIZE, 0);
            last--;
        }
        if (last < nline) {
            page.putShort(12, (short) (Page.HEADER_SIZE + last * Page.ITEM_ID_SIZE)); // pd_lower
        }
        boolean anyUnused = false;
        for (int i = 1; i <= last && !anyUnused; i++) {
            anyUnused = Page.itemFlags(Page.itemId(page, i)) == Page.LP_UNUSED;
        }
        if (!anyUnused) {
            Page.setFlags(page, Page.flags(page) & ~Page.PD_HAS_FREE_LINES);
        }
    }

    /**
     * PageAddItem with a given offset and overwrite (heap redo): the item goes at {@code offnum},
     * a new line pointer at the end of the array or an unused one, MAXALIGNed below pd_upper.
     */
    static void addItemAt(ByteBuffer page, int offnum, byte[] item) {
        int maxoff = Page.maxOffsetNumber(page);
        if (offnum < 1 || offnum > maxoff + 1) {
            throw new IllegalStateException("invalid offset number " + offnum + " (max " + maxoff + ") for heap redo");
        }
        int lower = Page.lower(page);
        int newLower = offnum == maxoff + 1 ? lower + Page.ITEM_ID_SIZE : lower;
        int newUpper = Page.upper(page) - Page.maxAlign(item.length);
        if (newUpper < newLower) {
            throw new IllegalStateException("failed to add tuple at offset " + offnum + " in heap redo: no room");
        }
        page.put(newUpper, item);
        Page.setItemId(page, offnum, newUpper, Page.LP_NORMAL, item.length);
        page.putShort(12, (short) newLower); // pd_lower
        setUpper(page, newUpper);
    }

    private static void setUpper(ByteBuffer page, int upper) {
        page.putShort(14, (short) upper); // pd_upper
    }

    /** Whether the page has no line pointer in use. */
    static boolean isEmpty(ByteBuffer page) {
        int nline = Page.maxOffsetNumber(page);
        for (int i = 1; i <= nline; i++) {
            if (Page.itemFlags(Page.itemId(page, i)) != Page.LP_UNUSED) {
                return false;
            }
        }
        return true;
    }
}
