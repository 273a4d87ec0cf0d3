package org.osgres.api.wal;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Pages for redo (PostgreSQL: XLogReadBufferForRedo and XLogInitBufferForRedo in
 * access/transam/xlogutils.c), over the buffer manager. The wal bundle registers it.
 *
 * <pre>
 *   RedoBuffers.Result r = redoBuffers.readBufferForRedo(record, 0, lsn);
 *   if (r.action() == Action.NEEDS_REDO) {
 *       ByteBuffer page = r.page();  ... apply the change ...
 *       redoBuffers.finish(r, lsn);          // stamps the LSN, marks dirty, unlocks, unpins
 *   } else {
 *       redoBuffers.release(r);              // RESTORED or DONE: nothing to apply
 *   }
 * </pre>
 */
@ProviderType
public interface RedoBuffers {

    /** What the redo routine must do with the block (PostgreSQL: XLogRedoAction). */
    enum Action {
        /** The page is older than the record: apply the change, then {@link #finish}. */
        NEEDS_REDO,
        /** The page already has the change (page LSN &gt;= record LSN): nothing to do. */
        DONE,
        /** The record's full-page image was restored and stamped: nothing to do. */
        RESTORED,
        /** The relation or block is gone (dropped later in the WAL): nothing to do. */
        NOT_FOUND
    }

    /**
     * A pinned, exclusively locked buffer (buffer 0 for NOT_FOUND) and what to do with it.
     */
    record Result(Action action, int buffer, ByteBuffer page) {
    }

    /**
     * Reads block reference {@code blockId} of the record for redo: restores its full-page image
     * when it has one (stamped with {@code lsn}), else answers whether the change is needed.
     * Missing blocks are added (zeroed) up to the one asked for, as XLogReadBufferExtended does.
     */
    Result readBufferForRedo(WalRecord record, int blockId, long lsn);

    /** For a block that redo rebuilds (WILL_INIT): the page zeroed, to be initialised, then {@link #finish}. */
    Result initBufferForRedo(WalRecord record, int blockId);

    /** After applying: PageSetLSN(lsn), MarkBufferDirty, UnlockReleaseBuffer. */
    void finish(Result result, long lsn);

    /** UnlockReleaseBuffer without changes (DONE, RESTORED); nothing for NOT_FOUND. */
    void release(Result result);
}
