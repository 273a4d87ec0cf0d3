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
 * such LSN on it (clog.c's group_lsn, kept per page). Zeroing a new page (extend) writes
 * CLOG_ZEROPAGE and truncation CLOG_TRUNCATE (flushed first, as PostgreSQL does), except during
 * recovery; this class is also the resource manager's redo (clog_redo): ZEROPAGE zeroes the page
 * again, TRUNCATE removes the segments again. The commit and abort records that set the status
 * bits are the transaction manager's (XactRedo).
 *
 * After a crash (SharedMemory.discarded) nothing is written: not at deactivation, and a page
 * write or truncation by a backend still holding this instance fails with FATAL 57P02.
 *
 * Entry points: status() (TransactionIdGetStatus), setTreeStatus() (TransactionIdSetTreeStatus),
 * extend() (ExtendCLOG), checkpoint() (CheckPointCLOG), truncate() (TruncateCLOG), redo().
 * See also: SimpleLru -- the buffers and files.
 */
package org.osgres.clog;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
import org.osgres.api.wal.WalInsert;
import org.osgres.api.wal.WalRecord;
import org.osgres.api.wal.WalRedo;

@Component(service = {CommitLog.class, WalRedo.class}, immediate = true)
public final class Clog implements CommitLog, WalRedo {
    /** CLOG_ZEROPAGE. */
    static final int CLOG_ZEROPAGE = 0x00;
    /** CLOG_TRUNCATE. */
    static final int CLOG_TRUNCATE = 0x10;
    /** CLOG_BITS_PER_XACT. */
    static final int BITS_PER_XACT = 2;
    /** CLOG_XACTS_PER_BYTE. */
    static final int XACTS_PER_BYTE = 4;
    /** FirstNormalTransactionId. */
    static final int FIRST_NORMAL_XID = 3;

    private final SimpleLru slru;
    /** Where ZEROPAGE and TRUNCATE go: the WalFlush service is the WAL's Xlog, also its WalInsert; null in tests without WAL. */
    private final WalInsert wal;

    /** The commit log of the server's data directory. */
    @Activate
    public Clog(@Reference Settings settings, @Reference SharedMemory shmem, @Reference WalFlush wal) {
        this(shmem, clogBuffers(settings.getInt("shared_buffers")), settings.dataDirectory().resolve("pg_xact"), wal);
    }

    Clog(SharedMemory shmem, int nBuffers, Path pgXact, WalFlush wal) {
        this.slru = new SimpleLru("Xact", shmem, nBuffers, pgXact, wal, Clog::pagePrecedes);
        this.wal = wal instanceof WalInsert w ? w : null;
    }

    @Override
    public int rmgrId() {
        return WalRecord.RM_CLOG_ID;
    }

    @Override
    public String rmgrName() {
        return "CLOG";
    }

    /** WriteZeroPageXlogRec / WriteTruncateXlogRec: not during recovery (its redo calls the same code). */
    private long log(int info, int pageno, boolean flush) {
        if (wal == null || wal.recoveryInProgress()) {
            return 0;
        }
        byte[] data = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(pageno).array();
        long lsn = wal.insert(WalRecord.builder(WalRecord.RM_CLOG_ID, info).mainData(data).build());
        if (flush) {
            wal.flush(lsn);
        }
        return lsn;
    }

    /** clog_redo. */
    @Override
    public void redo(WalRecord record, long startLsn, long lsn) {
        int pageno = ByteBuffer.wrap(record.mainData()).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        Lock exclusive = slru.lock().writeLock();
        exclusive.lock();
        try {
            switch (record.rmgrInfo()) {
                case CLOG_ZEROPAGE -> slru.zeroPage(pageno);
                case CLOG_TRUNCATE -> slru.truncate(pageno);
                default -> throw new IllegalStateException("clog_redo: unknown op code " + record.rmgrInfo());
            }
        } finally {
            exclusive.unlock();
        }
    }

    @Override
    public String describe(WalRecord record) {
        int pageno = ByteBuffer.wrap(record.mainData()).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        return (record.rmgrInfo() == CLOG_ZEROPAGE ? "ZEROPAGE" : "TRUNCATE") + " page " + pageno;
    }

    /**
     * Shutdown: the commit log's part of the shutdown checkpoint, until the checkpointer exists;
     * nothing after a crash (the shared memory discarded): redo sets the status bits again.
     */
    @Deactivate
    void deactivate() {
        if (!slru.discarded()) {
            checkpoint();
        }
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

    @Override
    public long commitLsn(int xid) {
        Lock shared = slru.lock().readLock();
        shared.lock();
        try {
            int slot = slru.findSlot(pageOf(xid));
            return slot >= 0 ? slru.pageLsn(slot) : 0; // a page written out had its WAL flushed first
        } finally {
            shared.unlock();
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
            log(CLOG_ZEROPAGE, pageOf(newestXid), false);
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
            log(CLOG_TRUNCATE, pageOf(oldestXid), true);
            slru.truncate(pageOf(oldestXid));
        } finally {
            exclusive.unlock();
        }
    }
}
