package org.osgres.api.xact;

import org.osgi.annotation.versioning.ProviderType;
import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.error.PgException;

/**
 * One transaction of one backend (PostgreSQL: TransactionStateData with its PGPROC entry). Used by
 * the backend's thread only; other threads see it through the proc array and the lock manager.
 *
 * <p>An xid is assigned lazily, on the first write ({@link #assignXid}), as in PostgreSQL; a
 * read-only transaction never gets one. Locks taken through it are held until commit or abort,
 * unless released earlier with {@link #unlock}.
 */
@ProviderType
public interface Transaction {
    /** Where the transaction is. */
    enum State {
        IN_PROGRESS, COMMITTED, ABORTED
    }

    /** The backend's pid. */
    int pid();

    IsolationLevel isolationLevel();

    State state();

    /** The xid, or {@link TransactionIds#INVALID} while none is assigned (GetTopTransactionIdIfAny). */
    int xid();

    /**
     * The xid, assigning one now if there is none (GetCurrentTransactionId): the transaction enters
     * the proc array's running xids and holds ExclusiveLock on its xid until it ends.
     */
    int assignXid();

    /** Whether the xid is this transaction's (TransactionIdIsCurrentTransactionId). */
    boolean isCurrentXid(int xid);

    /** The current command id (GetCurrentCommandId); tuples written now carry it as cmin/cmax. */
    int commandId();

    /** Starts the next command: its snapshot sees what earlier commands wrote (CommandCounterIncrement). */
    void commandCounterIncrement();

    /**
     * The snapshot for a new statement (GetTransactionSnapshot): READ COMMITTED takes a new one
     * each call; REPEATABLE READ takes one on the first call and keeps it. Either way its curcid
     * is the current command id.
     */
    Snapshot statementSnapshot();

    /** The snapshot the last {@link #statementSnapshot} returned, with the current command id; takes one if none yet. */
    Snapshot currentSnapshot();

    /**
     * Takes a heavyweight lock, waiting while others hold conflicting modes (LockAcquire).
     *
     * @throws PgException 40P01 when waiting would deadlock (checked after deadlock_timeout),
     *         55P03 "canceling statement due to lock timeout", or what the wait context's interrupt
     *         check throws
     */
    void lock(LockTag tag, LockMode mode);

    /** Takes the lock only if no one holds a conflicting mode now (LockAcquire with dontWait). */
    boolean tryLock(LockTag tag, LockMode mode);

    /** Releases a lock before the transaction ends (LockRelease), as tuple locks are. */
    void unlock(LockTag tag, LockMode mode);

    /** Whether this transaction holds the lock in that mode. */
    boolean holdsLock(LockTag tag, LockMode mode);

    /**
     * Waits until the transaction {@code xid} has ended, committed or aborted (XactLockTableWait):
     * ShareLock on its xid, then released. Returns at once for an xid that is not running.
     *
     * @throws PgException as {@link #lock}
     */
    void waitForXid(int xid);

    /** ConditionalXactLockTableWait: false if the xid is still running. */
    boolean xidHasEnded(int xid);

    /**
     * The combo command id that stands for a tuple's cmin and cmax when the same transaction
     * inserted and deleted it (PostgreSQL: utils/time/combocid.c HeapTupleHeaderAdjustCmax).
     */
    int comboCid(int cmin, int cmax);

    /** The cmin a combo command id stands for (HeapTupleHeaderGetCmin). */
    int comboCmin(int comboCid);

    /** The cmax a combo command id stands for (HeapTupleHeaderGetCmax). */
    int comboCmax(int comboCid);

    /**
     * Commits (CommitTransaction): the commit log marks the xid COMMITTED, then the xid leaves
     * the proc array, then the locks are released and their waiters woken.
     */
    void commit();

    /** Aborts (AbortTransaction): ABORTED in the commit log, then as commit. Aborting twice does nothing. */
    void abort();

    /**
     * Registers work for the end of the transaction (PostgreSQL: RegisterXactCallback, smgr's
     * pending deletes, AtEOXact_Inval): called once, in registration order, after the commit log
     * and the proc array know the outcome and before the transaction's locks are released. A
     * callback that throws is logged and the others still run.
     *
     * @since 1.1
     */
    void onEnd(EndCallback callback);

    /**
     * Lists a relation's files in this transaction's commit record ({@code atCommit}) or abort
     * record (PostgreSQL: smgrGetPendingDeletes into xl_xact_relfilenodes), so that redo removes
     * them again after a crash: files dropped by a committed DROP or TRUNCATE, or created by an
     * aborted CREATE, that the WAL before the record would otherwise bring back. Removing the files
     * at the end stays the caller's work ({@link #onEnd}); this only logs them. Nothing is logged
     * for a transaction without an xid.
     *
     * @since 1.3
     */
    void logStorageDrop(RelFileLocator rel, boolean atCommit);

    /** What {@link #onEnd} calls. */
    @FunctionalInterface
    interface EndCallback {
        void ended(boolean committed);
    }
}
