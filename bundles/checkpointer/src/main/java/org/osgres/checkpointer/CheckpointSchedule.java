/*
 * CheckpointSchedule: when a checkpoint is due by WAL volume, and whether its write phase is on
 * schedule (PostgreSQL: CheckPointSegments and CalculateCheckpointSegments in
 * access/transam/xlog.c, XLogCheckpointNeeded, IsCheckpointOnSchedule in
 * postmaster/checkpointer.c).
 *
 * A spread checkpoint writes its buffers so that the write phase ends when
 * checkpoint_completion_target of the way to the next checkpoint has passed, measured both in
 * time (checkpoint_timeout) and in WAL (CheckPointSegments segments). After each buffer the
 * checkpointer asks isOnSchedule(progress), progress being the fraction of buffers done: when
 * ahead of both clocks it sleeps 100 ms, otherwise it writes the next buffer at once.
 *
 * Entry points: checkPointSegments(), checkpointNeeded(), isOnSchedule().
 * See also: CreateCheckpoint -- the write loop that asks; Checkpointer -- the WAL trigger.
 */
package org.osgres.checkpointer;

final class CheckpointSchedule {
    /** wal_segment_size: 16 MB, the only size osgres writes. */
    static final long WAL_SEGMENT_SIZE = 16L * 1024 * 1024;

    private final long startNanos;
    private final long startLsn;
    private final double completionTarget;
    private final double timeoutSeconds;
    private final int checkPointSegments;
    /** ckpt_cached_elapsed: the largest elapsed fraction seen, so the clocks are read less often. */
    private double cachedElapsed;

    /**
     * @param startNanos         System.nanoTime() when the checkpoint started (ckpt_start_time)
     * @param startLsn           the insert position then (ckpt_start_recptr, the redo point)
     * @param completionTarget   checkpoint_completion_target
     * @param timeoutSeconds     checkpoint_timeout
     * @param checkPointSegments CheckPointSegments
     */
    CheckpointSchedule(long startNanos, long startLsn, double completionTarget, double timeoutSeconds,
            int checkPointSegments) {
        this.startNanos = startNanos;
        this.startLsn = startLsn;
        this.completionTarget = completionTarget;
        this.timeoutSeconds = timeoutSeconds;
        this.checkPointSegments = checkPointSegments;
    }

    /**
     * CalculateCheckpointSegments: how many segments of WAL may be written between two
     * checkpoints so that, with the spread of checkpoint_completion_target, WAL stays under
     * max_wal_size: max_wal_size / (1 + target) in segments, at least 1.
     */
    static int checkPointSegments(int maxWalSizeMb, double completionTarget) {
        double target = (maxWalSizeMb / (double) (WAL_SEGMENT_SIZE / (1024 * 1024))) / (1.0 + completionTarget);
        return Math.max(1, (int) target);
    }

    /**
     * XLogCheckpointNeeded: whether finishing segment {@code segno} calls for a checkpoint, the
     * last checkpoint's redo point being in segment {@code redoSegno}.
     */
    static boolean checkpointNeeded(long segno, long redoSegno, int checkPointSegments) {
        return segno >= redoSegno + checkPointSegments - 1;
    }

    /**
     * IsCheckpointOnSchedule: whether, with {@code progress} (0..1) of the buffers written, the
     * checkpoint is ahead of both the WAL clock and the time clock.
     *
     * @param progress  fraction of the buffers to write that are done
     * @param nowNanos  System.nanoTime() now
     * @param insertLsn the WAL insert position now
     */
    boolean isOnSchedule(double progress, long nowNanos, long insertLsn) {
        progress *= completionTarget;
        if (progress < cachedElapsed) {
            return false;
        }
        double elapsedXlogs = ((double) (insertLsn - startLsn) / WAL_SEGMENT_SIZE) / checkPointSegments;
        if (progress < elapsedXlogs) {
            cachedElapsed = elapsedXlogs;
            return false;
        }
        double elapsedTime = ((nowNanos - startNanos) / 1e9) / timeoutSeconds;
        if (progress < elapsedTime) {
            cachedElapsed = elapsedTime;
            return false;
        }
        return true;
    }
}
