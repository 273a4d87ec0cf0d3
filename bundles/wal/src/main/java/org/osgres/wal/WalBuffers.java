/*
 * WalBuffers: the WAL buffers in shared memory (PostgreSQL: XLogCtl->pages and xlblocks[] in
 * access/transam/xlog.c, sized by XLOGChooseNumBuffers).
 *
 * wal_buffers pages of 8 KB in the "XLOG Ctl" region (one page more is reserved there for
 * control data); WAL page N lives in buffer N % wal_buffers, and xlblocks[] holds, per buffer,
 * the end LSN of the page in it (0: none yet). Callers synchronise: Xlog changes a buffer only
 * under its insertion lock, and only after the page it held was written.
 *
 * Entry points: page(), endOfPageIn(), format(), load().
 * See also: Xlog -- insertion and writing.
 */
package org.osgres.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.osgres.api.shmem.SharedMemory;
import org.osgres.api.shmem.SharedRegion;

import static org.osgres.wal.XLogFormat.XLOG_BLCKSZ;

final class WalBuffers {
    /** The region's name (PostgreSQL's pg_shmem_allocations calls it "XLOG Ctl"). */
    static final String REGION = "XLOG Ctl";

    private final int nBuffers;
    private final SharedRegion region;
    private final long[] xlblocks;

    WalBuffers(SharedMemory shmem, int nBuffers) {
        this.nBuffers = nBuffers;
        this.region = shmem.region(REGION, (long) (nBuffers + 1) * XLOG_BLCKSZ);
        this.xlblocks = new long[nBuffers];
    }

    /**
     * wal_buffers in pages (PostgreSQL: XLOGChooseNumBuffers, check_wal_buffers): -1 means
     * shared_buffers / 32, at least 64 kB (8 pages), at most one segment; an explicit value
     * below 4 pages becomes 4.
     */
    static int count(int setting, int sharedBuffers) {
        if (setting > 0) {
            return Math.max(4, setting);
        }
        return Math.max(8, Math.min(sharedBuffers / 32, XLogFormat.PAGES_PER_SEGMENT));
    }

    private int slotOf(long pageAddr) {
        return (int) Long.remainderUnsigned(pageAddr / XLOG_BLCKSZ, nBuffers);
    }

    /** The buffer the WAL page at pageAddr lives in (whatever page it holds now). */
    ByteBuffer page(long pageAddr) {
        return region.slice((long) (slotOf(pageAddr) + 1) * XLOG_BLCKSZ, XLOG_BLCKSZ).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The end LSN of the page now in pageAddr's buffer; 0 when it never held one. */
    long endOfPageIn(long pageAddr) {
        return xlblocks[slotOf(pageAddr)];
    }

    /** Zeroes pageAddr's buffer, writes its page header and records that it holds that page. */
    ByteBuffer format(long pageAddr, int tli, int remLen, boolean contrecord, long systemIdentifier) {
        ByteBuffer page = page(pageAddr);
        for (int i = 0; i < XLOG_BLCKSZ; i += 8) {
            page.putLong(i, 0L);
        }
        XLogFormat.writePageHeader(page, pageAddr, tli, remLen, contrecord, systemIdentifier);
        xlblocks[slotOf(pageAddr)] = pageAddr + XLOG_BLCKSZ;
        return page;
    }

    /** Puts a page read back from its segment into its buffer, bytes from {@code validBytes} on zeroed. */
    void load(long pageAddr, ByteBuffer content, int validBytes) {
        ByteBuffer page = page(pageAddr);
        for (int i = 0; i < XLOG_BLCKSZ; i++) {
            page.put(i, i < validBytes ? content.get(i) : 0);
        }
        xlblocks[slotOf(pageAddr)] = pageAddr + XLOG_BLCKSZ;
    }
}
