/*
 * ProcArray: the running transactions and their snapshots' horizons (PostgreSQL:
 * storage/ipc/procarray.c, with varsup.c's XidGenLock folded into its lock).
 *
 * Every transaction is registered at begin. Xid assignment (VarSup) and entering the running
 * set happen under the exclusive lock, and snapshots are taken under the shared lock, so a
 * snapshot never sees an xid below its xmax that is neither running nor ended. A transaction
 * leaves the running set only after the commit log has its outcome (ProcArrayEndTransaction
 * after RecordTransactionCommit), so a snapshot that no longer lists an xid finds its outcome
 * in the commit log.
 *
 * Entry points: register(), assignXid() (GetNewTransactionId + ProcArrayAdd), endTransaction()
 * (ProcArrayEndTransaction), getSnapshotData() (GetSnapshotData), isInProgress()
 * (TransactionIdIsInProgress), oldestXmin() (GetOldestNonRemovableTransactionId).
 * See also: VarSup; XactManager.
 */
package org.osgres.transam;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.osgres.api.xact.Snapshot;
import org.osgres.api.xact.TransactionIds;

final class ProcArray {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final VarSup varsup;
    /** Every transaction begun and not ended (the PGPROCs in use). */
    private final Set<TransactionState> procs = new LinkedHashSet<>();
    /** The running xids. */
    private final Map<Integer, TransactionState> running = new HashMap<>();

    ProcArray(VarSup varsup) {
        this.varsup = varsup;
    }

    void register(TransactionState tx) {
        lock.writeLock().lock();
        try {
            procs.add(tx);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** GetNewTransactionId: a new xid, already in the running set when returned. */
    int assignXid(TransactionState tx) {
        lock.writeLock().lock();
        try {
            int xid = varsup.getNewTransactionId();
            running.put(xid, tx);
            return xid;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** ProcArrayEndTransaction: the transaction's xid stops running; its snapshot horizon goes. */
    void endTransaction(TransactionState tx) {
        lock.writeLock().lock();
        try {
            procs.remove(tx);
            if (TransactionIds.isValid(tx.xid())) {
                running.remove(tx.xid());
            }
            tx.xmin = TransactionIds.INVALID;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * GetSnapshotData: xmax is the next xid; xip the running xids but the caller's own; xmin the
     * oldest of those, or xmax. Sets the caller's xmin (its MyProc-&gt;xmin) when it has none.
     *
     * @param tx the transaction taking it, or null
     */
    Snapshot getSnapshotData(TransactionState tx, int curcid) {
        lock.readLock().lock();
        try {
            int xmax = varsup.readNextXid();
            int xmin = xmax;
            int[] xip = new int[running.size()];
            int n = 0;
            for (Map.Entry<Integer, TransactionState> e : running.entrySet()) {
                if (e.getValue() == tx) {
                    continue;
                }
                int xid = e.getKey();
                xip[n++] = xid;
                if (TransactionIds.precedes(xid, xmin)) {
                    xmin = xid;
                }
            }
            if (tx != null) {
                synchronized (tx) {
                    // kept for the whole transaction: a READ COMMITTED transaction may still use an
                    // older snapshot (a suspended portal's scan) when it takes a new one; PostgreSQL
                    // advances MyProc->xmin only when no older snapshot is registered, and osgres
                    // does not track them, so it never advances (dead tuples, LP_DEAD hints and
                    // VACUUM wait for the transaction's end)
                    if (!TransactionIds.isValid(tx.xmin)) {
                        tx.xmin = xmin;
                    }
                }
            }
            return new Snapshot(xmin, xmax, n == xip.length ? xip : java.util.Arrays.copyOf(xip, n), curcid);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** TransactionIdIsInProgress. */
    boolean isInProgress(int xid) {
        lock.readLock().lock();
        try {
            return running.containsKey(xid);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * GetOldestNonRemovableTransactionId: the oldest of every running xid, every registered
     * transaction's snapshot xmin, and the next xid.
     */
    int oldestXmin() {
        lock.readLock().lock();
        try {
            int oldest = varsup.readNextXid();
            for (int xid : running.keySet()) {
                if (TransactionIds.precedes(xid, oldest)) {
                    oldest = xid;
                }
            }
            for (TransactionState tx : procs) {
                int xmin;
                synchronized (tx) {
                    xmin = tx.xmin;
                }
                if (TransactionIds.isValid(xmin) && TransactionIds.precedes(xmin, oldest)) {
                    oldest = xmin;
                }
            }
            return oldest;
        } finally {
            lock.readLock().unlock();
        }
    }

    int nextXid() {
        lock.readLock().lock();
        try {
            return varsup.readNextXid();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The transactions still registered (for shutdown). */
    TransactionState[] transactions() {
        lock.readLock().lock();
        try {
            return procs.toArray(new TransactionState[0]);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Clean shutdown of the xid counter, under the lock. */
    void shutdown() {
        lock.writeLock().lock();
        try {
            varsup.shutdown();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
