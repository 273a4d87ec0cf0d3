/*
 * Checkpointer: the checkpointer process (PostgreSQL: postmaster/checkpointer.c --
 * CheckpointerMain, RequestCheckpoint, CheckpointWriteDelay, and its ShutdownXLOG).
 *
 * A background worker (backend_type "checkpointer") that starts once recovery is done. Its
 * loop starts a checkpoint (CreateCheckpoint) when one was requested -- the CHECKPOINT command
 * (IMMEDIATE | FORCE | WAIT), or WAL volume: a finished segment that is CheckPointSegments past
 * the last redo point (CheckpointSchedule; PostgreSQL's backends ask in XLogWrite, here the
 * loop looks every WAL_POLL_MILLIS) -- or when checkpoint_timeout has passed since the last one
 * (counted in pg_stat_bgwriter as checkpoints_req and checkpoints_timed). Otherwise it sleeps,
 * woken early by a request.
 *
 * The postmaster calls shutdownCheckpoint() once every session is gone: a checkpoint in
 * progress finishes at full speed, then the shutdown checkpoint runs on the caller's thread.
 * One checkpoint runs at a time (checkpointLock). Interrupts that reach the worker during a
 * checkpoint are held back until it ends: a FileChannel closes itself when the thread doing I/O
 * on it is interrupted.
 *
 * After a crash (the shared memory discarded) the loop ends: the worker of the new shared memory
 * takes over, and a checkpoint in progress fails at its next write (CreateCheckpoint).
 *
 * Entry points: run() (the worker), requestCheckpoint(), shutdownCheckpoint().
 * See also: CreateCheckpoint -- one checkpoint; CheckpointSchedule -- pacing and the WAL trigger;
 * PgStatBgwriter -- the counters; BackgroundWriter -- the other writer.
 */
package org.osgres.checkpointer;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgres.api.buffer.BufferManager;
import org.osgres.api.checkpoint.CheckpointRequest;
import org.osgres.api.clog.CommitLog;
import org.osgres.api.config.Settings;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.lifecycle.BackgroundWorker;
import org.osgres.api.session.BackendStatus;
import org.osgres.api.session.LogContext;
import org.osgres.api.shmem.SharedMemory;
import org.osgres.api.wal.Recovery;
import org.osgres.api.wal.WalInsert;
import org.osgres.api.xact.TransactionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

@Component(service = {BackgroundWorker.class, CheckpointRequest.class}, immediate = true)
public final class Checkpointer implements BackgroundWorker, CheckpointRequest {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
    /** How often the idle loop looks at the WAL written (PostgreSQL's backends ask instead). */
    static final long WAL_POLL_MILLIS = 200;

    private final Settings settings;
    private final WalInsert wal;
    private final CreateCheckpoint creator;
    private final PgStatBgwriter stats;
    private final SharedMemory shmem;

    /** CheckpointerShmem's request fields; guarded by {@code requests}. */
    private final Object requests = new Object();
    private int pendingFlags;
    private long started;
    private long done;
    private long failed;
    private boolean shutdownRequested;

    private volatile long lastCheckpointNanos = System.nanoTime();
    private volatile BackendStatus workerStatus;

    @Activate
    public Checkpointer(@Reference Settings settings, @Reference SharedMemory shmem, @Reference WalInsert wal,
            @Reference BufferManager buffers, @Reference CommitLog clog, @Reference PgStatBgwriter stats,
            @Reference Recovery recovery) {
        this.settings = settings;
        this.wal = wal;
        this.stats = stats;
        this.shmem = shmem;
        this.creator = new CreateCheckpoint(settings, wal, buffers, clog, stats, this, shmem::discarded);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setTransactions(TransactionManager tm) {
        creator.setTransactions(tm);
    }

    void unsetTransactions(TransactionManager tm) {
        creator.unsetTransactions(tm);
    }

    @Override
    public String name() {
        return "checkpointer";
    }

    @Override
    public String backendType() {
        return "checkpointer";
    }

    // ---- requests (RequestCheckpoint) ----

    @Override
    public void requestCheckpoint(int flags) {
        synchronized (requests) {
            if (shutdownRequested) {
                if ((flags & CHECKPOINT_WAIT) == 0) {
                    return;
                }
                throw new PgException(SqlState.INTERNAL_ERROR,
                        "could not signal for checkpoint: checkpointer is not running");
            }
            long oldStarted = started;
            long oldFailed = failed;
            pendingFlags |= flags;
            requests.notifyAll();
            if ((flags & CHECKPOINT_WAIT) == 0) {
                return;
            }
            try {
                while (started == oldStarted) {
                    requests.wait();
                }
                long newStarted = started;
                while (done - newStarted < 0) {
                    requests.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgException(SqlState.QUERY_CANCELED, "canceling statement due to user request");
            }
            if (failed != oldFailed) {
                throw new PgException(SqlState.INTERNAL_ERROR, "checkpoint request failed")
                        .withHint("Consult recent messages in the server log for details.");
            }
        }
    }

    @Override
    public void shutdownCheckpoint() {
        synchronized (requests) {
            shutdownRequested = true;
            requests.notifyAll();
        }
        // the lines are the checkpointer's, as in PostgreSQL, though the postmaster's thread runs them
        BackendStatus me = workerStatus;
        Map<String, String> saved = MDC.getCopyOfContextMap();
        if (me != null) {
            MDC.put(LogContext.PID, Integer.toString(me.pid()));
            MDC.put(LogContext.BACKEND_TYPE, backendType());
        }
        try {
            creator.shutdown();
        } finally {
            if (saved == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(saved);
            }
        }
    }

    /** Whether the checkpoint in progress should hurry: shutdown, or an IMMEDIATE request waiting (ImmediateCheckpointRequested). */
    boolean hurry() {
        synchronized (requests) {
            return shutdownRequested || (pendingFlags & CHECKPOINT_IMMEDIATE) != 0;
        }
    }

    /** CheckpointWriteDelay's sleep: 100 ms, cut short by a new request. Returns false when interrupted. */
    boolean writeDelay(long millis) {
        synchronized (requests) {
            if (shutdownRequested || (pendingFlags & CHECKPOINT_IMMEDIATE) != 0) {
                return true;
            }
            try {
                requests.wait(millis);
                return true;
            } catch (InterruptedException e) {
                return false;
            }
        }
    }

    // ---- the worker's loop (CheckpointerMain) ----

    @Override
    public void run(BackendStatus status) throws Exception {
        workerStatus = status;
        lastCheckpointNanos = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
            boolean doCheckpoint;
            if (shmem.discarded()) {
                return; // after a crash: the new shared memory's checkpointer takes over
            }
            synchronized (requests) {
                if (shutdownRequested) {
                    return; // the postmaster runs the shutdown checkpoint itself
                }
                doCheckpoint = pendingFlags != 0;
            }
            if (doCheckpoint) {
                stats.requested();
            }
            long now = System.nanoTime();
            long elapsedMillis = (now - lastCheckpointNanos) / 1_000_000;
            long timeoutMillis = settings.getInt("checkpoint_timeout") * 1000L;
            int causeTime = 0;
            if (elapsedMillis >= timeoutMillis) {
                if (!doCheckpoint) {
                    stats.timed();
                }
                doCheckpoint = true;
                causeTime = CHECKPOINT_CAUSE_TIME;
            }
            if (!doCheckpoint && walCheckpointNeeded()) {
                synchronized (requests) {
                    pendingFlags |= CHECKPOINT_CAUSE_XLOG;
                }
                continue;
            }
            if (doCheckpoint) {
                runCheckpoint(causeTime, now, elapsedMillis / 1000, status);
                continue;
            }
            status.setWait("Activity", "CheckpointerMain");
            try {
                synchronized (requests) {
                    if (pendingFlags == 0 && !shutdownRequested) {
                        requests.wait(Math.max(1, Math.min(WAL_POLL_MILLIS, timeoutMillis - elapsedMillis)));
                    }
                }
            } finally {
                status.setWait(null, null);
            }
        }
    }

    /** The checkpoint the loop decided on, with the pending request's flags. */
    private void runCheckpoint(int causeTime, long now, long elapsedSecs, BackendStatus status) {
        int flags;
        synchronized (requests) {
            flags = pendingFlags | causeTime;
            pendingFlags = 0;
            started++;
            requests.notifyAll();
        }
        int warning = settings.getInt("checkpoint_warning");
        if ((flags & CHECKPOINT_CAUSE_XLOG) != 0 && elapsedSecs < warning) {
            LOG.info("checkpoints are occurring too frequently ({} second{} apart)\nHINT:  Consider increasing the "
                    + "configuration parameter \"max_wal_size\".", elapsedSecs, elapsedSecs == 1 ? "" : "s");
        }
        boolean ok = true;
        boolean interrupted = Thread.interrupted();
        try {
            interrupted |= creator.run(flags, status);
        } catch (RuntimeException e) {
            ok = false;
            interrupted |= Thread.interrupted();
            if (shmem.discarded()) {
                LOG.debug("checkpoint abandoned after a crash: {}", e.getMessage());
            } else if (!interrupted) {
                LOG.error("checkpoint failed: {}", e.getMessage(), e);
            } else {
                LOG.info("checkpoint interrupted by shutdown: {}", e.getMessage());
            }
        } finally {
            lastCheckpointNanos = now;
            synchronized (requests) {
                if (!ok) {
                    failed++;
                }
                done = started;
                requests.notifyAll();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** XLogCheckpointNeeded over the WAL written so far: the last finished segment is CheckPointSegments on. */
    private boolean walCheckpointNeeded() {
        long finished = WalSegmentRemoval.segmentOf(wal.writtenUpTo()) - 1;
        if (finished < 0) {
            return false;
        }
        int segs = CheckpointSchedule.checkPointSegments(settings.getInt("max_wal_size"),
                settings.getReal("checkpoint_completion_target"));
        return CheckpointSchedule.checkpointNeeded(finished, WalSegmentRemoval.segmentOf(wal.redoPointer()), segs);
    }
}
