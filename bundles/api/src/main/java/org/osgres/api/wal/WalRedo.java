package org.osgres.api.wal;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A resource manager's redo (PostgreSQL: RmgrData's rm_redo and rm_desc in access/xlog_internal.h).
 * The bundle that writes a resource manager's records registers one as an OSGi service; startup
 * recovery dispatches each record to the service whose {@link #rmgrId} matches its xl_rmid. The
 * XLOG resource manager (0) is the wal bundle's own.
 *
 * <p>Redo runs single-threaded, before any backend exists. For a record touching data pages, use
 * {@link RedoBuffers#readBufferForRedo}: it restores full-page images and skips pages that
 * already have the change (page LSN at or past the record), as XLogReadBufferForRedo does.
 * Redo must be idempotent across crashes during recovery.
 *
 * <p>Recovery waits for the WalRedo of every resource manager it meets until every bundle marked
 * to start is active; a record whose resource manager has none then ends startup with FATAL.
 */
@ConsumerType
public interface WalRedo {

    /** The resource manager this redoes (WalRecord.RM_HEAP_ID, ...). */
    int rmgrId();

    /** The resource manager's name as pg_waldump prints it ("Heap", "Transaction"). */
    default String rmgrName() {
        return "rmgr " + rmgrId();
    }

    /**
     * Replays one record (rm_redo). {@code lsn} is the end of the record (EndRecPtr): the LSN a
     * page changed by it gets; {@code startLsn} is where the record begins (ReadRecPtr).
     */
    void redo(WalRecord record, long startLsn, long lsn);

    /** A one-line description of the record for logs (rm_desc); empty when none. */
    default String describe(WalRecord record) {
        return "";
    }
}
