package org.osgres.api.checkpoint;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Asking the checkpointer for a checkpoint (PostgreSQL: RequestCheckpoint in
 * postmaster/checkpointer.c, with the CHECKPOINT_* flags of access/xlog.h). The checkpointer
 * bundle registers it.
 *
 * <p>The CHECKPOINT command asks for {@code IMMEDIATE | FORCE | WAIT}: the checkpoint writes at
 * full speed and the caller returns when it is complete. The postmaster calls
 * {@link #shutdownCheckpoint} once every session is gone.
 */
@ProviderType
public interface CheckpointRequest {
    /** Ending the server: the shutdown checkpoint (never passed to requestCheckpoint). */
    int CHECKPOINT_IS_SHUTDOWN = 0x0001;
    /** Like a shutdown checkpoint, but at the end of WAL recovery. */
    int CHECKPOINT_END_OF_RECOVERY = 0x0002;
    /** Write at full speed, do not spread the writes over checkpoint_completion_target. */
    int CHECKPOINT_IMMEDIATE = 0x0004;
    /** Checkpoint even when no WAL was written since the last one. */
    int CHECKPOINT_FORCE = 0x0008;
    /** Wait for completion (requestCheckpoint returns only then). */
    int CHECKPOINT_WAIT = 0x0020;
    /** Requested because of WAL volume (max_wal_size). */
    int CHECKPOINT_CAUSE_XLOG = 0x0080;
    /** Requested because checkpoint_timeout passed. */
    int CHECKPOINT_CAUSE_TIME = 0x0100;

    /**
     * Requests a checkpoint with these flags (merged with any pending request). With
     * {@link #CHECKPOINT_WAIT} it returns when a checkpoint that started after the request has
     * completed; it throws when that checkpoint failed (PostgreSQL: "checkpoint request failed",
     * HINT "Consult recent messages in the server log for details.").
     */
    void requestCheckpoint(int flags);

    /**
     * The shutdown checkpoint (PostgreSQL: the checkpointer's ShutdownXLOG on the postmaster's
     * request): a checkpoint in progress is finished at full speed, then every dirty page and the
     * commit log are written, the XLOG_CHECKPOINT_SHUTDOWN record is flushed and pg_control says
     * "shut down". The caller makes sure no session is left. Later calls do nothing unless WAL
     * was written since.
     */
    void shutdownCheckpoint();
}
