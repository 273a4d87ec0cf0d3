package org.osgres.api.clog;

import org.osgi.annotation.versioning.ProviderType;
import org.osgres.api.error.PgException;

/**
 * The commit log (PostgreSQL: access/transam/clog.c over slru.c): two bits per transaction id in
 * 8 KB pages under pg_xact/, read and written through a small LRU of page buffers in shared
 * memory. It is the authority on whether a transaction committed or aborted.
 *
 * <p>Transaction ids are PostgreSQL's TransactionId: unsigned 32-bit numbers held in ints. Xids
 * 0 to 2 are special (invalid, bootstrap, frozen); the caller decides what they mean, the log
 * stores them like any other.
 *
 * <p>XLOG interaction, as in PostgreSQL: {@link #setStatus} takes the LSN of the commit record of
 * an asynchronous commit (0 for a synchronous one); a page is written out only after
 * {@code WalFlush.flush} with the highest LSN set on it.
 */
@ProviderType
public interface CommitLog {
    /** Xids per 8 KB page: 4 per byte (PostgreSQL: CLOG_XACTS_PER_PAGE). */
    int XACTS_PER_PAGE = 8192 * 4;
    /** Pages per pg_xact segment file (PostgreSQL: SLRU_PAGES_PER_SEGMENT). */
    int PAGES_PER_SEGMENT = 32;

    /**
     * The status of a transaction (PostgreSQL: TransactionIdGetStatus).
     *
     * @throws PgException 58P01/58030 "could not access status of transaction %u" when its page is
     *         neither in memory nor in pg_xact
     */
    XidStatus status(int xid);

    /**
     * Records a transaction's status (PostgreSQL: TransactionIdSetTreeStatus with no
     * subtransactions). Any status may be set for a lone xid (redo sets SUB_COMMITTED too).
     *
     * @param lsn the commit record's LSN for an asynchronous commit, else 0
     */
    /**
     * The LSN the commit log must see flushed before the xid's commit is durable (PostgreSQL:
     * TransactionIdGetCommitLSN, per group of xids there, per page here): the highest
     * asynchronous commit LSN on the xid's page while that page is in the buffers, 0 when none
     * is pending. A hint bit saying "committed" may be set only once WAL is flushed that far.
     *
     * @since 1.1
     */
    default long commitLsn(int xid) {
        return 0;
    }

    default void setStatus(int xid, XidStatus status, long lsn) {
        setTreeStatus(xid, new int[0], status, lsn);
    }

    /**
     * Records the status of a transaction and its subtransactions (PostgreSQL:
     * TransactionIdSetTreeStatus). A commit that spans pages marks the subtransactions
     * SUB_COMMITTED first, then the parent COMMITTED, then the subtransactions COMMITTED, so a
     * reader never sees a committed child of an uncommitted parent.
     *
     * @throws IllegalArgumentException for IN_PROGRESS or SUB_COMMITTED with subtransactions
     */
    void setTreeStatus(int xid, int[] subxids, XidStatus status, long lsn);

    /**
     * Makes room for a newly assigned xid (PostgreSQL: ExtendCLOG): when it is the first xid of
     * its page, the page is created zeroed (all IN_PROGRESS). Call it before using the xid.
     */
    void extend(int newestXid);

    /** Writes every dirty page (after the WAL covering it) and fsyncs pg_xact (PostgreSQL: CheckPointCLOG). */
    void checkpoint();

    /**
     * Removes the segment files holding only xids older than {@code oldestXid}'s segment
     * (PostgreSQL: TruncateCLOG), comparing xids modulo 2^32 as PostgreSQL does.
     */
    void truncate(int oldestXid);
}
