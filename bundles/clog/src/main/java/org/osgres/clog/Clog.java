/*
 * Clog: the commit log, two bits of status per transaction id (PostgreSQL:
 * access/transam/clog.c).
 *
 * Xid n's status is in page n / 32768, byte (n % 32768) / 4, bits 2 * (n % 4): IN_PROGRESS 0,
 * COMMITTED 1, ABORTED 2, SUB_COMMITTED 3. Pages live in pg_xact/ segment files of 32 pages
 * (0000, 0001, ...) and are read and written through SimpleLru, whose buffers (PostgreSQL 15:
 * Min(128, Max(4, shared_buffers / 512))) are the "Xact" region of shared memory.
 *
 * XLOG interactions (PostgreSQL's promises, kept): setTreeStatus records the commit record's
 * LSN for an asynchronous commit; a page is written out only after WalFlush.flush of the highest
 * such LSN on it. Zeroing a new page (extend) and truncation will write WAL records once WAL
 * exists (CLOG_ZEROPAGE, CLOG_TRUNCATE); until then they are not logged.
 *
 * Entry points: status() (TransactionIdGetStatus), setTreeStatus() (TransactionIdSetTreeStatus),
 * extend() (ExtendCLOG), checkpoint() (CheckPointCLOG), truncate() (TruncateCLOG).
 * See also: SimpleLru -- the buffers and files.
 */
package org.osgres.clog;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.clog.CommitLog;
import org.osgres.api.clog.XidStatus;
import org.osgres.api.config.Settings;
import org.osgres.api.shmem.SharedMemory;
import org.osgres.api.wal.WalFlush;

@Component(service = CommitLog.class, immediate = true)
public final class Clog implements CommitLog {
    /** CLOG_BITS_PER_XACT. */
    static final int BITS_PER_XACT = 2;
    /** CLOG_XACTS_PER_BYTE. */
    static final int XACTS_PER_BYTE = 4;
    /** FirstNormalTransactionId. */
    static final int FIRST_NORMAL_XID = 3;

    private final SimpleLru slru;

    /** The commit log of the server's data directory. */
    @Activate
    public Clog(@Reference Settings settings, @Reference SharedMemory shmem, @Reference WalFlush wal) {
        this(shmem, clogBuffers(settings.getInt("shared_buffers")), settings.dataDirectory().resolve("pg_xact"), wal);
    }

    Clog(SharedMemory shmem, int nBuffers, Path pgXact, WalFlush wal) {
        this.slru = new SimpleLru("Xact", shmem, nBuffers, pgXact, wal, Clog::pagePrecedes);
    }

    /** Shutdown: the commit log's part of the shutdown checkpoint, until the checkpointer exists. */
    @Deactivate
    void deactivate() {
        checkpoint();
    }

    /** PostgreSQL 15's CLOGShmemBuffers: Min(128, Max(4, NBuffers / 512)). */
    static int clogBuffers(int nBuffers) {
        return Math.min(128, Math.max(4, nBuffers / 512));
    }

    static int pageOf(int xid) {
        return Integer.divideUnsigned(xid, XACTS_PER_PAGE);
    }

    private static int byteOf(int xid) {
        return Integer.remainderUnsigned(xid, XACTS_PER_PAGE) / XACTS_PER_BYTE;
    }

    private static int shiftOf(int xid) {
        return Integer.remainderUnsigned(xid, XACTS_PER_BYTE) * BITS_PER_XACT;
    }

    /** PostgreSQL: TransactionIdPrecedes, modulo 2^32 for normal xids. */
    static boolean xidPrecedes(int id1, int id2) {
        if (Integer.compareUnsigned(id1, FIRST_NORMAL_XID) < 0 || Integer.compareUnsigned(id2, FIRST_NORMAL_XID) < 0) {
            return Integer.compareUnsigned(id1, id2) < 0;
        }
        return id1 - id2 < 0;
    }

    /** PostgreSQL: CLOGPagePrecedes. */
    static boolean pagePrecedes(int page1, int page2) {
        int xid1 = page1 * XACTS_PER_PAGE + FIRST_NORMAL_XID + 1;
        int xid2 = page2 * XACTS_PER_PAGE + FIRST_NORMAL_XID + 1;
        return xidPrecedes(xid1, xid2) && xidPrecedes(xid1, xid2 + XACTS_PER_PAGE - 1);
    }

    @Override
    public XidStatus status(int xid) {
        int pageno = pageOf(xid);
        Lock shared = slru.lock().readLock();
        shared.lock();
        try {
            int slot = slru.findSlot(pageno);
            if (slot >= 0) {
                return statusIn(slru.page(slot), xid);
            }
        } finally {
            shared.unlock();
        }
        Lock exclusive = slru.lock().writeLock();
        exclusive.lock();
        try {
            return statusIn(slru.page(slru.readPage(pageno, xid)), xid);
        } finally {
            exclusive.unlock();
        }
    }

    private static XidStatus statusIn(ByteBuffer page, int xid) {
        return XidStatus.ofBits(page.get(byteOf(xid)) >>> shiftOf(xid));
    }

    @Override
    public void setTreeStatus(int xid, int[] subxids, XidStatus status, long lsn) {
        if (subxids.length > 0 && (status == XidStatus.IN_PROGRESS || status == XidStatus.SUB_COMMITTED)) {
            throw new IllegalArgumentException("a transaction tree is set committed or aborted, not " + status);
        }
        int pageno = pageOf(xid);
        List<Integer> samePage = new ArrayList<>();
        List<Integer> otherPages = new ArrayList<>();
        for (int sub : subxids) {
            (pageOf(sub) == pageno ? samePage : otherPages).add(sub);
        }
        Lock exclusive = slru.lock().writeLock();
        exclusive.lock();
        try {
            // PostgreSQL's order: a commit spanning pages marks the other pages' subtransactions
            // SUB_COMMITTED first, then the parent's page, then the rest, so that no reader sees a
            // committed child of a parent still in progress.
            if (status == XidStatus.COMMITTED) {
                for (int sub : otherPages) {
                    setBit(sub, XidStatus.SUB_COMMITTED, lsn);
                }
                for (int sub : samePage) {
                    setBit(sub, XidStatus.SUB_COMMITTED, lsn);
                }
            }
            setBit(xid, status, lsn);
            for (int sub : samePage) {
                setBit(sub, status, lsn);
            }
            for (int sub : otherPages) {
                setBit(sub, status, lsn);
            }
        } finally {
            exclusive.unlock();
        }
    }

    /** PostgreSQL: TransactionIdSetStatusBit; exclusive lock held. */
    private void setBit(int xid, XidStatus status, long lsn) {
        int slot = slru.readPage(pageOf(xid), xid);
        ByteBuffer page = slru.page(slot);
        int byteno = byteOf(xid);
        int shift = shiftOf(xid);
        int b = page.get(byteno) & 0xff;
        b = (b & ~(0x03 << shift)) | (status.bits() << shift);
        page.put(byteno, (byte) b);
        slru.markDirty(slot, lsn);
    }

    @Override
    public void extend(int newestXid) {
        if (Integer.remainderUnsigned(newestXid, XACTS_PER_PAGE) != 0 && newestXid != FIRST_NORMAL_XID) {
            return;
        }
        Lock exclusive = slru.lock().writeLock();
        exclusive.lock();
        try {
            slru.zeroPage(pageOf(newestXid));
        } finally {
            exclusive.unlock();
        }
    }

    @Override
    public void checkpoint() {
        Lock exclusive = slru.lock().writeLock();
        exclusive.lock();
        try {
            slru.writeAll();
        } finally {
            exclusive.unlock();
        }
    }

    @Override
    public void truncate(int oldestXid) {
        Lock exclusive = slru.lock().writeLock();
        exclusive.lock();
        try {
            slru.truncate(pageOf(oldestXid));
        } finally {
            exclusive.unlock();
        }
    }
}
