/*
 * CheckpointLog: the log_checkpoints messages, in PostgreSQL 15's words (PostgreSQL:
 * LogCheckpointStart and LogCheckpointEnd in access/transam/xlog.c).
 *
 *   checkpoint starting: immediate force wait
 *   checkpoint complete: wrote 41 buffers (0.3%); 0 WAL file(s) added, 0 removed, 0 recycled;
 *     write=0.022 s, sync=0.074 s, total=0.132 s; sync files=41, longest=0.011 s,
 *     average=0.002 s; distance=225 kB, estimate=4218 kB
 *
 * Durations are whole milliseconds rounded up, as TimestampDifferenceMilliseconds gives them.
 *
 * Entry points: starting(), complete().
 * See also: CreateCheckpoint -- measures what is printed.
 */
package org.osgres.checkpointer;

import java.util.Locale;

import org.osgres.api.checkpoint.CheckpointRequest;

final class CheckpointLog {
    private CheckpointLog() {
    }

    /** LogCheckpointStart's message: "checkpoint starting:" and the flags in PostgreSQL's order. */
    static String starting(int flags) {
        StringBuilder b = new StringBuilder("checkpoint starting:");
        if ((flags & CheckpointRequest.CHECKPOINT_IS_SHUTDOWN) != 0) {
            b.append(" shutdown");
        }
        if ((flags & CheckpointRequest.CHECKPOINT_END_OF_RECOVERY) != 0) {
            b.append(" end-of-recovery");
        }
        if ((flags & CheckpointRequest.CHECKPOINT_IMMEDIATE) != 0) {
            b.append(" immediate");
        }
        if ((flags & CheckpointRequest.CHECKPOINT_FORCE) != 0) {
            b.append(" force");
        }
        if ((flags & CheckpointRequest.CHECKPOINT_WAIT) != 0) {
            b.append(" wait");
        }
        if ((flags & CheckpointRequest.CHECKPOINT_CAUSE_XLOG) != 0) {
            b.append(" wal");
        }
        if ((flags & CheckpointRequest.CHECKPOINT_CAUSE_TIME) != 0) {
            b.append(" time");
        }
        return b.toString();
    }

    /** TimestampDifferenceMilliseconds: microseconds to milliseconds, rounded up. */
    static long millis(long nanos) {
        long micros = nanos / 1000;
        return micros <= 0 ? 0 : (micros + 999) / 1000;
    }

    /** "%ld.%03d" of a millisecond count. */
    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%d.%03d", ms / 1000, ms % 1000);
    }

    /** What one checkpoint did, as LogCheckpointEnd reports it. */
    record Stats(int bufsWritten, int nBuffers, int segsAdded, int segsRemoved, int segsRecycled, long writeMs,
            long syncMs, long totalMs, int syncFiles, long longestSyncNanos, long aggSyncNanos, double distance,
            double estimate) {
    }

    /** LogCheckpointEnd's message. */
    static String complete(Stats s) {
        long longestMs = (s.longestSyncNanos() / 1000 + 999) / 1000;
        long averageMicros = s.syncFiles() > 0 ? s.aggSyncNanos() / 1000 / s.syncFiles() : 0;
        long averageMs = (averageMicros + 999) / 1000;
        return String.format(Locale.ROOT, "checkpoint complete: wrote %d buffers (%.1f%%); %d WAL file(s) added, "
                + "%d removed, %d recycled; write=%s s, sync=%s s, total=%s s; sync files=%d, longest=%s s, "
                + "average=%s s; distance=%d kB, estimate=%d kB",
                s.bufsWritten(), s.bufsWritten() * 100.0 / s.nBuffers(), s.segsAdded(), s.segsRemoved(),
                s.segsRecycled(), seconds(s.writeMs()), seconds(s.syncMs()), seconds(s.totalMs()), s.syncFiles(),
                seconds(longestMs), seconds(averageMs), (int) (s.distance() / 1024.0), (int) (s.estimate() / 1024.0));
    }
}
