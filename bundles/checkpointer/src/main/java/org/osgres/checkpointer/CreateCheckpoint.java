/*
 * CreateCheckpoint: one checkpoint (PostgreSQL: CreateCheckPoint and CheckPointGuts in
 * access/transam/xlog.c, BufferSync in storage/buffer/bufmgr.c, ProcessSyncRequests in
 * storage/sync/sync.c).
 *
 * The steps, in PostgreSQL's order:
 *   1. skip a timed checkpoint when no WAL was written since the last one (not FORCE);
 *   2. move the redo pointer to the insert position (WalInsert.startCheckpoint): from here on
 *      the first change of each page logs a full-page image again;
 *   3. the commit log's pages (CheckPointCLOG);
 *   4. BufferSync: every dirty buffer gets BM_CHECKPOINT_NEEDED (BufferManager.beginCheckpoint),
 *      then they are written in tag order, each after the WAL covering it, paced by
 *      CheckpointSchedule: after each write, when ahead of both the time and the WAL clock, the
 *      checkpointer sleeps 100 ms (CheckpointWriteDelay); IMMEDIATE checkpoints, a pending
 *      IMMEDIATE request and shutdown write at full speed;
 *   5. fsync every relation file written since the last checkpoint (syncPendingFiles);
 *   6. the checkpoint record and pg_control (WalInsert.writeCheckpointRecord);
 *   7. CheckPointDistanceEstimate, then old WAL segments removed or recycled
 *      (WalSegmentRemoval), unless the shared memory was discarded after a crash meanwhile;
 *   8. log_checkpoints' lines and pg_stat_bgwriter's counters.
 *
 * After a crash (the shared memory discarded) the buffer pool, the commit log and the WAL refuse
 * every write (FATAL 57P02), so a checkpoint in progress fails at its next write; one past its
 * record removes no segment.
 *
 * Entry points: run() (the checkpointer's loop), shutdown() (the shutdown checkpoint).
 * See also: Checkpointer -- when; CheckpointLog -- the messages.
 */
package org.osgres.checkpointer;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import org.osgres.api.buffer.BufferManager;
import org.osgres.api.checkpoint.CheckpointRequest;
import org.osgres.api.clog.CommitLog;
import org.osgres.api.config.Settings;
import org.osgres.api.session.BackendStatus;
import org.osgres.api.wal.WalInsert;
import org.osgres.api.xact.TransactionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class CreateCheckpoint {
    private static final Logger LOG = LoggerFactory.getLogger(CreateCheckpoint.class);
    /** CheckpointWriteDelay's sleep when ahead of schedule. */
    static final long WRITE_DELAY_MILLIS = 100;

    private final Settings settings;
    private final WalInsert wal;
    private final BufferManager buffers;
    private final CommitLog clog;
    private final PgStatBgwriter stats;
    private final Checkpointer checkpointer;
    /** Whether the shared memory was discarded after a crash. */
    private final BooleanSupplier discarded;
    private volatile TransactionManager transactions;

    /** One checkpoint at a time (PostgreSQL: CheckpointLock, long gone, or the checkpointer being one process). */
    private final ReentrantLock lock = new ReentrantLock();
    /** The insert position right after the last checkpoint record this process wrote; -1 before one. */
    private long lastCheckpointEnd = -1;
    private boolean shutdownDone;
    /** PrevCheckPointDistance and CheckPointDistanceEstimate, in bytes. */
    private double prevDistance;
    private double distanceEstimate;

    CreateCheckpoint(Settings settings, WalInsert wal, BufferManager buffers, CommitLog clog, PgStatBgwriter stats,
            Checkpointer checkpointer, BooleanSupplier discarded) {
        this.discarded = discarded;
        this.settings = settings;
        this.wal = wal;
        this.buffers = buffers;
        this.clog = clog;
        this.stats = stats;
        this.checkpointer = checkpointer;
    }

    void setTransactions(TransactionManager tm) {
        this.transactions = tm;
    }

    void unsetTransactions(TransactionManager tm) {
        if (this.transactions == tm) {
            this.transactions = null;
        }
    }

    /** The shutdown checkpoint, unless one was written and nothing came after it. */
    void shutdown() {
        lock.lock();
        try {
            if (shutdownDone && wal.insertLsn() == lastCheckpointEnd) {
                return;
            }
            checkpoint(CheckpointRequest.CHECKPOINT_IS_SHUTDOWN | CheckpointRequest.CHECKPOINT_IMMEDIATE, null);
            shutdownDone = true;
        } finally {
            lock.unlock();
        }
    }

    /** A checkpoint for the checkpointer's loop. Returns whether an interrupt was held back meanwhile. */
    boolean run(int flags, BackendStatus status) {
        lock.lock();
        try {
            return checkpoint(flags, status);
        } finally {
            lock.unlock();
        }
    }

    private boolean checkpoint(int flags, BackendStatus status) {
        boolean shutdown = (flags & CheckpointRequest.CHECKPOINT_IS_SHUTDOWN) != 0;
        if ((flags & (CheckpointRequest.CHECKPOINT_IS_SHUTDOWN | CheckpointRequest.CHECKPOINT_END_OF_RECOVERY
                | CheckpointRequest.CHECKPOINT_FORCE)) == 0 && wal.insertLsn() == lastCheckpointEnd) {
            LOG.debug("checkpoint skipped because system is idle");
            return false;
        }
        boolean log = settings.getBool("log_checkpoints");
        if (log) {
            LOG.info("{}", CheckpointLog.starting(flags));
        }
        long start = System.nanoTime();
        long priorRedo = wal.controlFile().checkPointCopy().redo();
        long redo = wal.startCheckpoint();

        clog.checkpoint();
        long writeStart = System.nanoTime();
        int[] written = {0};
        boolean interrupted = bufferSync(flags, redo, start, status, written);
        long syncStart = System.nanoTime();
        BufferManager.SyncResult sync = buffers.syncPendingFiles();
        long syncEnd = System.nanoTime();

        TransactionManager tm = transactions;
        int nextXid = tm != null ? tm.nextXid() : wal.controlFile().checkPointCopy().nextXid();
        int nextOid = wal.controlFile().checkPointCopy().nextOid();
        long recordStart = wal.writeCheckpointRecord(redo, nextXid, nextOid, shutdown);
        lastCheckpointEnd = wal.insertLsn();
        if (shutdown) {
            redo = recordStart; // a shutdown checkpoint's redo point is the record itself
        }
        if (priorRedo != 0) {
            updateDistanceEstimate(redo - priorRedo);
        }
        WalSegmentRemoval.Result removal = removeOldSegments(redo, recordStart);
        long end = System.nanoTime();

        long writeMs = CheckpointLog.millis(syncStart - writeStart);
        long syncMs = CheckpointLog.millis(syncEnd - syncStart);
        stats.checkpointDone(written[0], writeMs, syncMs);
        if (log) {
            LOG.info("{}", CheckpointLog.complete(new CheckpointLog.Stats(written[0], buffers.bufferCount(), 0,
                    removal.removed(), removal.recycled(), writeMs, syncMs, CheckpointLog.millis(end - start),
                    sync.files(), sync.longestNanos(), sync.totalNanos(), prevDistance, distanceEstimate)));
        }
        return interrupted;
    }

    /**
     * BufferSync: marks, then writes the marked buffers paced by the schedule. Returns whether an
     * interrupt arrived (it is held back: the rest is written at full speed).
     */
    private boolean bufferSync(int flags, long redo, long start, BackendStatus status, int[] written) {
        int[] toWrite = buffers.beginCheckpoint();
        if (toWrite.length == 0) {
            return false;
        }
        CheckpointSchedule schedule = new CheckpointSchedule(start, redo,
                settings.getReal("checkpoint_completion_target"), settings.getInt("checkpoint_timeout"),
                CheckpointSchedule.checkPointSegments(settings.getInt("max_wal_size"),
                        settings.getReal("checkpoint_completion_target")));
        boolean immediate = (flags & CheckpointRequest.CHECKPOINT_IMMEDIATE) != 0;
        boolean interrupted = false;
        for (int i = 0; i < toWrite.length; i++) {
            if (buffers.writeIfCheckpointNeeded(toWrite[i])) {
                written[0]++;
            }
            // CheckpointWriteDelay
            if (immediate || interrupted || checkpointer.hurry()) {
                continue;
            }
            double progress = (double) (i + 1) / toWrite.length;
            if (schedule.isOnSchedule(progress, System.nanoTime(), wal.insertLsn())) {
                if (status != null) {
                    status.setWait("Timeout", "CheckpointWriteDelay");
                }
                interrupted = !checkpointer.writeDelay(WRITE_DELAY_MILLIS);
                if (status != null) {
                    status.setWait(null, null);
                }
            }
        }
        return interrupted;
    }

    /** UpdateCheckPointDistanceEstimate: a decaying average that jumps up at once. */
    private void updateDistanceEstimate(long nbytes) {
        prevDistance = nbytes;
        if (distanceEstimate < nbytes) {
            distanceEstimate = nbytes;
        } else {
            distanceEstimate = 0.90 * distanceEstimate + 0.10 * nbytes;
        }
    }

    private WalSegmentRemoval.Result removeOldSegments(long redo, long recordStart) {
        WalSegmentRemoval.Policy policy = new WalSegmentRemoval.Policy(settings.getInt("wal_keep_size"),
                settings.getInt("min_wal_size"), settings.getInt("max_wal_size"),
                !"off".equals(settings.get("archive_mode")), settings.getBool("wal_recycle"),
                settings.getReal("checkpoint_completion_target"));
        if (discarded.getAsBoolean()) {
            return new WalSegmentRemoval.Result(0, 0); // pg_wal is the new server's
        }
        try {
            return new WalSegmentRemoval(settings.dataDirectory().resolve("pg_wal"), wal.timeline(), discarded)
                    .removeOldSegments(redo, recordStart, distanceEstimate, policy);
        } catch (IOException e) {
            LOG.warn("could not remove old WAL files: {}", e.getMessage());
            return new WalSegmentRemoval.Result(0, 0);
        }
    }
}
