package org.osgres.api.buffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The standard page layout (PostgreSQL: storage/bufpage.h, bufpage.c): every heap and index page
 * starts with PageHeaderData, then the line pointer array growing up from the header, free
 * space, the tuples growing down from pd_upper, and the access method's special space at the end.
 *
 * <pre>
 *  0  pd_lsn              8 bytes  LSN of the last WAL record that changed the page
 *                                  (xlogid = high half, then xrecoff = low half)
 *  8  pd_checksum         2
 * 10  pd_flags            2        PD_HAS_FREE_LINES, PD_PAGE_FULL, PD_ALL_VISIBLE
 * 12  pd_lower            2        end of the line pointers
 * 14  pd_upper            2        start of the tuples
 * 16  pd_special          2        start of the special space
 * 18  pd_pagesize_version 2        8192 | 4
 * 20  pd_prune_xid        4
 * 24  pd_linp[]           4 each   ItemIdData: lp_off:15, lp_flags:2, lp_len:15
 * </pre>
 *
 * Multi-byte fields are little-endian, as PostgreSQL writes them on x86-64 and ARM, so the files
 * match a PostgreSQL 15 data directory's byte for byte. The methods work on any ByteBuffer
 * whose position 0 is the page's first byte, whatever its byte order.
 */
public final class Page {
    /** BLCKSZ. */
    public static final int SIZE = 8192;
    /** SizeOfPageHeaderData. */
    public static final int HEADER_SIZE = 24;
    /** sizeof(ItemIdData). */
    public static final int ITEM_ID_SIZE = 4;
    /** PG_PAGE_LAYOUT_VERSION. */
    public static final int LAYOUT_VERSION = 4;
    /** MAXIMUM_ALIGNOF on 64-bit platforms. */
    public static final int MAXALIGN = 8;
    /** InvalidOffsetNumber: what {@link #addItem} returns when the item does not fit. */
    public static final int INVALID_OFFSET_NUMBER = 0;

    public static final int PD_HAS_FREE_LINES = 0x0001;
    public static final int PD_PAGE_FULL = 0x0002;
    public static final int PD_ALL_VISIBLE = 0x0004;

    /** Line pointer states (lp_flags). */
    public static final int LP_UNUSED = 0;
    public static final int LP_NORMAL = 1;
    public static final int LP_REDIRECT = 2;
    public static final int LP_DEAD = 3;

    private static final int OFF_LSN = 0;
    private static final int OFF_CHECKSUM = 8;
    private static final int OFF_FLAGS = 10;
    private static final int OFF_LOWER = 12;
    private static final int OFF_UPPER = 14;
    private static final int OFF_SPECIAL = 16;
    private static final int OFF_PAGESIZE_VERSION = 18;
    private static final int OFF_PRUNE_XID = 20;

    private static final VarHandle SHORT = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private Page() {
    }

    /** Rounds up to MAXALIGN (PostgreSQL: MAXALIGN). */
    public static int maxAlign(int len) {
        return (len + MAXALIGN - 1) & ~(MAXALIGN - 1);
    }

    /** Formats an empty page with {@code specialSize} bytes of special space (PostgreSQL: PageInit). */
    public static void init(ByteBuffer page, int specialSize) {
        specialSize = maxAlign(specialSize);
        for (int i = 0; i < SIZE; i += 8) {
            page.putLong(i, 0L);
        }
        putU16(page, OFF_LOWER, HEADER_SIZE);
        putU16(page, OFF_UPPER, SIZE - specialSize);
        putU16(page, OFF_SPECIAL, SIZE - specialSize);
        putU16(page, OFF_PAGESIZE_VERSION, SIZE | LAYOUT_VERSION);
    }

    /** A page never initialised: all zeroes, as extend() gives (PostgreSQL: PageIsNew). */
    public static boolean isNew(ByteBuffer page) {
        return upper(page) == 0;
    }

    /** pd_lsn as one 64-bit LSN (PostgreSQL: PageGetLSN). */
    public static long lsn(ByteBuffer page) {
        long xlogid = (int) INT.get(page, OFF_LSN) & 0xffffffffL;
        long xrecoff = (int) INT.get(page, OFF_LSN + 4) & 0xffffffffL;
        return (xlogid << 32) | xrecoff;
    }

    /** Stamps pd_lsn (PostgreSQL: PageSetLSN). */
    public static void setLsn(ByteBuffer page, long lsn) {
        INT.set(page, OFF_LSN, (int) (lsn >>> 32));
        INT.set(page, OFF_LSN + 4, (int) lsn);
    }

    public static int checksum(ByteBuffer page) {
        return u16(page, OFF_CHECKSUM);
    }

    public static int flags(ByteBuffer page) {
        return u16(page, OFF_FLAGS);
    }

    public static void setFlags(ByteBuffer page, int flags) {
        putU16(page, OFF_FLAGS, flags);
    }

    public static int lower(ByteBuffer page) {
        return u16(page, OFF_LOWER);
    }

    public static int upper(ByteBuffer page) {
        return u16(page, OFF_UPPER);
    }

    public static int special(ByteBuffer page) {
        return u16(page, OFF_SPECIAL);
    }

    /** The page size from pd_pagesize_version (PostgreSQL: PageGetPageSize). */
    public static int pageSize(ByteBuffer page) {
        return u16(page, OFF_PAGESIZE_VERSION) & 0xff00;
    }

    /** The layout version from pd_pagesize_version (PostgreSQL: PageGetPageLayoutVersion). */
    public static int layoutVersion(ByteBuffer page) {
        return u16(page, OFF_PAGESIZE_VERSION) & 0x00ff;
    }

    public static int pruneXid(ByteBuffer page) {
        return (int) INT.get(page, OFF_PRUNE_XID);
    }

    public static void setPruneXid(ByteBuffer page, int xid) {
        INT.set(page, OFF_PRUNE_XID, xid);
    }

    /** The special space: a slice from pd_special to the end of the page. */
    public static ByteBuffer specialSpace(ByteBuffer page) {
        int special = special(page);
        return page.slice(special, SIZE - special).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The number of line pointers, the highest OffsetNumber (PostgreSQL: PageGetMaxOffsetNumber). */
    public static int maxOffsetNumber(ByteBuffer page) {
        int lower = lower(page);
        return lower <= HEADER_SIZE ? 0 : (lower - HEADER_SIZE) / ITEM_ID_SIZE;
    }

    /** The raw ItemIdData of line pointer {@code offnum} (1-based). */
    public static int itemId(ByteBuffer page, int offnum) {
        return (int) INT.get(page, HEADER_SIZE + (offnum - 1) * ITEM_ID_SIZE);
    }

    /** Writes line pointer {@code offnum} (PostgreSQL: ItemIdSetNormal and friends). */
    public static void setItemId(ByteBuffer page, int offnum, int offset, int flags, int length) {
        INT.set(page, HEADER_SIZE + (offnum - 1) * ITEM_ID_SIZE, makeItemId(offset, flags, length));
    }

    public static int makeItemId(int offset, int flags, int length) {
        return (offset & 0x7fff) | (flags & 3) << 15 | (length & 0x7fff) << 17;
    }

    /** lp_off of a raw ItemIdData. */
    public static int itemOffset(int itemId) {
        return itemId & 0x7fff;
    }

    /** lp_flags of a raw ItemIdData. */
    public static int itemFlags(int itemId) {
        return (itemId >>> 15) & 3;
    }

    /** lp_len of a raw ItemIdData. */
    public static int itemLength(int itemId) {
        return itemId >>> 17;
    }

    /** The item line pointer {@code offnum} points at, as a little-endian slice (PostgreSQL: PageGetItem). */
    public static ByteBuffer item(ByteBuffer page, int offnum) {
        int id = itemId(page, offnum);
        return page.slice(itemOffset(id), itemLength(id)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Free space for one more item and its line pointer (PostgreSQL: PageGetFreeSpace): the gap
     * between pd_lower and pd_upper less one ItemIdData, never negative.
     */
    public static int freeSpace(ByteBuffer page) {
        int space = upper(page) - lower(page);
        return space < ITEM_ID_SIZE ? 0 : space - ITEM_ID_SIZE;
    }

    /** The gap between pd_lower and pd_upper (PostgreSQL: PageGetExactFreeSpace). */
    public static int exactFreeSpace(ByteBuffer page) {
        return Math.max(0, upper(page) - lower(page));
    }

    /**
     * Adds an item (PostgreSQL: PageAddItem without a given offset): reuses an unused line
     * pointer when PD_HAS_FREE_LINES says there may be one, else appends one; the item is placed
     * MAXALIGNed below pd_upper.
     *
     * @return the item's OffsetNumber, or {@link #INVALID_OFFSET_NUMBER} when it does not fit
     */
    public static int addItem(ByteBuffer page, ByteBuffer item) {
        int size = item.remaining();
        int lower = lower(page);
        int upper = upper(page);
        int limit = maxOffsetNumber(page);
        int offnum = INVALID_OFFSET_NUMBER;
        if ((flags(page) & PD_HAS_FREE_LINES) != 0) {
            for (int i = 1; i <= limit; i++) {
                int id = itemId(page, i);
                if (itemFlags(id) == LP_UNUSED && itemLength(id) == 0) {
                    offnum = i;
                    break;
                }
            }
            if (offnum == INVALID_OFFSET_NUMBER) {
                setFlags(page, flags(page) & ~PD_HAS_FREE_LINES);
            }
        }
        boolean newLinePointer = offnum == INVALID_OFFSET_NUMBER;
        int newLower = newLinePointer ? lower + ITEM_ID_SIZE : lower;
        int alignedSize = maxAlign(size);
        int newUpper = upper - alignedSize;
        if (newUpper < newLower) {
            return INVALID_OFFSET_NUMBER;
        }
        if (newLinePointer) {
            offnum = limit + 1;
        }
        page.put(newUpper, item, item.position(), size);
        setItemId(page, offnum, newUpper, LP_NORMAL, size);
        putU16(page, OFF_LOWER, newLower);
        putU16(page, OFF_UPPER, newUpper);
        return offnum;
    }

    private static int u16(ByteBuffer page, int offset) {
        return (short) SHORT.get(page, offset) & 0xffff;
    }

    private static void putU16(ByteBuffer page, int offset, int value) {
        SHORT.set(page, offset, (short) value);
    }
}
