package org.osgres.api.xact;

import org.osgi.annotation.versioning.ProviderType;
import org.osgres.api.clog.XidStatus;

/**
 * Transactions, the proc array and snapshots (PostgreSQL: access/transam/xact.c, varsup.c,
 * storage/ipc/procarray.c, utils/time/snapmgr.c).
 *
 * <p>Xids are 32-bit and start at {@link TransactionIds#FIRST_NORMAL}; they never repeat across
 * restarts. Transactions running when the server stopped without a clean shutdown are aborted at
 * the next start. The commit log is the authority on committed and aborted.
 */
@ProviderType
public interface TransactionManager {
    /** Starts a transaction for a backend (StartTransaction); no xid yet, no snapshot yet. */
    Transaction begin(IsolationLevel level, WaitContext waits);

    /** A snapshot now, outside any transaction (GetSnapshotData with curcid FirstCommandId). */
    Snapshot snapshot();

    /** Whether a transaction with this xid is running (TransactionIdIsInProgress). */
    boolean isInProgress(int xid);

    /**
     * The xid's status (TransactionLogFetch): the commit log's, with BootstrapTransactionId and
     * FrozenTransactionId COMMITTED and InvalidTransactionId ABORTED. IN_PROGRESS for an xid not
     * running means it crashed, which is no different from aborted for visibility.
     */
    XidStatus status(int xid);

    /** The oldest xid a running transaction or a snapshot still holds (GetOldestNonRemovableTransactionId): tuples deleted before it are dead to all. */
    int oldestXmin();

    /**
     * TransactionIdGetCommitLSN: the WAL position that must be flushed before a hint bit may
     * record the xid's commit (an asynchronous commit not yet durable), 0 when none.
     *
     * @since 1.2
     */
    default long commitLsn(int xid) {
        return 0;
    }

    /** The next xid to be assigned (ReadNextTransactionId). */
    int nextXid();
}
