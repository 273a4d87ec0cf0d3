/*
 * CheckpointDelays: commits that keep a checkpoint from starting its work (PostgreSQL: the
 * DELAY_CHKPT_START flag of PGPROC.delayChkptFlags, set in RecordTransactionCommit, and
 * GetVirtualXIDsDelayingChkpt / HaveVirtualXIDsDelayingChkpt in CreateCheckPoint).
 *
 * A commit takes a delay before inserting its commit record and closes it once the commit log
 * has the commit. Once a checkpoint has moved the redo pointer it waits for every delay taken
 * before: a commit record older than the redo point is not replayed after a crash, so its
 * commit-log bit must be in the commit log the checkpoint writes next. Delays taken after the
 * redo pointer moved belong to records redo will replay, and are not waited for.
 *
 * Entry points: delay(), awaitEarlier().
 * See also: Xlog.startCheckpoint; the transam bundle's TransactionState.recordTransactionCommit.
 */
package org.osgres.wal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgres.api.wal.WalInsert.CheckpointDelay;

final class CheckpointDelays {
    /** How long a checkpoint sleeps between looks (PostgreSQL: 10 ms, pg_usleep(10000L)). */
    private static final long POLL_MS = 10;

    private final Set<CheckpointDelay> active = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();

    /** A new delay, active until closed. */
    CheckpointDelay delay() {
        CheckpointDelay[] self = new CheckpointDelay[1];
        self[0] = () -> {
            if (active.remove(self[0])) {
                synchronized (lock) {
                    lock.notifyAll();
                }
            }
        };
        active.add(self[0]);
        return self[0];
    }

    /** Waits until every delay active now is closed (an interrupt ends the wait early). */
    void awaitEarlier() {
        List<CheckpointDelay> earlier = List.copyOf(active);
        synchronized (lock) {
            for (CheckpointDelay d : earlier) {
                while (active.contains(d)) {
                    try {
                        lock.wait(POLL_MS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** The number of delays active (for tests). */
    int activeCount() {
        return active.size();
    }
}
