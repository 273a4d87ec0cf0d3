/*
 * TransactionState: one backend's transaction (PostgreSQL: TransactionStateData in xact.c, with
 * the backend's PGPROC, its LOCALLOCK table and combocid.c's map).
 *
 * The xid comes on the first write (assignXid): the proc array lists it as running and the
 * transaction takes ExclusiveLock on it, which waiters in XactLockTableWait queue behind. Snapshots
 * follow the isolation level (GetTransactionSnapshot). Commit and abort run PostgreSQL's order:
 * the commit log first, then the proc array, then the locks. After a crash (the shared memory
 * discarded) a commit that would write is refused (FATAL 57P02) and an abort writes nothing: the
 * transaction is only dropped from the proc array and its locks released.
 *
 * Entry points: the Transaction interface.
 * See also: XactManager -- begins them; ProcArray; LockManager.
 */
package org.osgres.transam;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.clog.XidStatus;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.xact.IsolationLevel;
import org.osgres.api.xact.LockMode;
import org.osgres.api.xact.LockTag;
import org.osgres.api.xact.Snapshot;
import org.osgres.api.xact.Transaction;
import org.osgres.api.xact.TransactionIds;
import org.osgres.api.xact.WaitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class TransactionState implements Transaction {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionState.class);
    private final XactManager manager;
    private final IsolationLevel isolation;
    private final WaitContext waits;
    private final LockManager.Proc proc;
    /** LOCALLOCK: the modes held per tag, as masks over LockMode ordinals. */
    private final Map<LockTag, Integer> localLocks = new HashMap<>();
    /** combocid.c: combo id to {cmin, cmax}, and back. */
    private final List<long[]> comboCids = new ArrayList<>();
    private final Map<Long, Integer> comboLookup = new HashMap<>();
    /** RegisterXactCallback: run at the end, before the locks go. */
    private final List<EndCallback> endCallbacks = new ArrayList<>();
    /** smgr's pending deletes, for the commit record and for the abort record. */
    private final List<RelFileLocator> dropsAtCommit = new ArrayList<>();
    private final List<RelFileLocator> dropsAtAbort = new ArrayList<>();

    private volatile State state = State.IN_PROGRESS;
    private volatile int xid = TransactionIds.INVALID;
    /** This transaction's snapshot horizon (MyProc-&gt;xmin), guarded by this object's monitor. */
    int xmin = TransactionIds.INVALID;
    private int commandId = TransactionIds.FIRST_COMMAND_ID;
    private Snapshot snapshot;

    TransactionState(XactManager manager, IsolationLevel isolation, WaitContext waits, LockManager.Proc proc) {
        this.manager = manager;
        this.isolation = isolation;
        this.waits = waits;
        this.proc = proc;
    }

    @Override
    public int pid() {
        return waits.pid();
    }

    @Override
    public IsolationLevel isolationLevel() {
        return isolation;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public int xid() {
        return xid;
    }

    @Override
    public int assignXid() {
        int x = xid;
        if (TransactionIds.isValid(x)) {
            return x;
        }
        checkInProgress();
        x = manager.procArray().assignXid(this);
        xid = x;
        // XactLockTableInsert: held until the end; nobody else can hold it, so no wait
        manager.lockManager().acquire(proc, LockTag.transaction(x), LockMode.EXCLUSIVE, null);
        localLocks.merge(LockTag.transaction(x), LockMode.EXCLUSIVE.mask(), (a, b) -> a | b);
        return x;
    }

    @Override
    public boolean isCurrentXid(int other) {
        return TransactionIds.isValid(other) && other == xid;
    }

    @Override
    public int commandId() {
        return commandId;
    }

    @Override
    public void commandCounterIncrement() {
        if (commandId == -2) { // 2^32 - 2: the last usable command id (InvalidCommandId is 2^32 - 1)
            throw new PgException(SqlState.PROGRAM_LIMIT_EXCEEDED,
                    "cannot have more than 2^32-2 commands in a transaction");
        }
        commandId++;
    }

    @Override
    public Snapshot statementSnapshot() {
        checkInProgress();
        if (snapshot == null || !isolation.usesTransactionSnapshot()) {
            snapshot = manager.procArray().getSnapshotData(this, commandId);
        }
        return snapshot = snapshot.withCommandId(commandId);
    }

    @Override
    public Snapshot currentSnapshot() {
        return snapshot == null ? statementSnapshot() : (snapshot = snapshot.withCommandId(commandId));
    }

    // ---- locks ----

    @Override
    public void lock(LockTag tag, LockMode mode) {
        if (holdsLock(tag, mode)) {
            return;
        }
        checkInProgress();
        manager.lockManager().acquire(proc, tag, mode, waits);
        localLocks.merge(tag, mode.mask(), (a, b) -> a | b);
    }

    @Override
    public boolean tryLock(LockTag tag, LockMode mode) {
        if (holdsLock(tag, mode)) {
            return true;
        }
        checkInProgress();
        if (!manager.lockManager().acquire(proc, tag, mode, null)) {
            return false;
        }
        localLocks.merge(tag, mode.mask(), (a, b) -> a | b);
        return true;
    }

    @Override
    public void unlock(LockTag tag, LockMode mode) {
        Integer held = localLocks.get(tag);
        if (held == null || (held & mode.mask()) == 0) {
            return;
        }
        int rest = held & ~mode.mask();
        if (rest == 0) {
            localLocks.remove(tag);
        } else {
            localLocks.put(tag, rest);
        }
        manager.lockManager().release(proc, tag, mode);
    }

    @Override
    public boolean holdsLock(LockTag tag, LockMode mode) {
        Integer held = localLocks.get(tag);
        return held != null && (held & mode.mask()) != 0;
    }

    @Override
    public void waitForXid(int other) {
        if (isCurrentXid(other) || !manager.isInProgress(other)) {
            return;
        }
        LockTag tag = LockTag.transaction(other);
        checkInProgress();
        manager.lockManager().acquire(proc, tag, LockMode.SHARE, waits);
        manager.lockManager().release(proc, tag, LockMode.SHARE);
    }

    @Override
    public boolean xidHasEnded(int other) {
        if (!manager.isInProgress(other)) {
            return true;
        }
        LockTag tag = LockTag.transaction(other);
        if (!manager.lockManager().acquire(proc, tag, LockMode.SHARE, null)) {
            return false;
        }
        manager.lockManager().release(proc, tag, LockMode.SHARE);
        return true;
    }

    // ---- combo command ids ----

    @Override
    public int comboCid(int cmin, int cmax) {
        long key = (Integer.toUnsignedLong(cmin) << 32) | Integer.toUnsignedLong(cmax);
        Integer combo = comboLookup.get(key);
        if (combo == null) {
            combo = comboCids.size();
            comboCids.add(new long[] {cmin, cmax});
            comboLookup.put(key, combo);
        }
        return combo;
    }

    @Override
    public int comboCmin(int comboCid) {
        return (int) comboCids.get(comboCid)[0];
    }

    @Override
    public int comboCmax(int comboCid) {
        return (int) comboCids.get(comboCid)[1];
    }

    // ---- end ----

    @Override
    public void commit() {
        if (state != State.IN_PROGRESS) {
            throw new PgException(SqlState.INVALID_TRANSACTION_STATE, "transaction is not in progress");
        }
        end(XidStatus.COMMITTED, State.COMMITTED);
    }

    @Override
    public void abort() {
        if (state != State.IN_PROGRESS) {
            return;
        }
        end(XidStatus.ABORTED, State.ABORTED);
    }

    /** RecordTransactionCommit/Abort, ProcArrayEndTransaction, then LockReleaseAll. */
    private void end(XidStatus status, State newState) {
        int x = xid;
        boolean crashed = TransactionIds.isValid(x) && manager.discarded();
        if (crashed && status == XidStatus.COMMITTED) {
            throw XactManager.crashShutdown(); // stays in progress: the session's abort drops it
        }
        if (TransactionIds.isValid(x) && !crashed) {
            if (status == XidStatus.COMMITTED) {
                recordTransactionCommit(x);
            } else {
                // RecordTransactionAbort: the record is not flushed; a crash before it reaches disk
                // leaves the xid in progress, which the next start treats as aborted just the same
                manager.xactWal().logAbort(x, dropsAtAbort);
                manager.commitLog().setStatus(x, status, 0);
            }
        }
        manager.procArray().endTransaction(this);
        state = newState;
        runEndCallbacks(newState == State.COMMITTED);
        manager.lockManager().releaseAll(proc, new ArrayList<>(localLocks.keySet()));
        localLocks.clear();
        dropsAtCommit.clear();
        dropsAtAbort.clear();
        comboCids.clear();
        comboLookup.clear();
        snapshot = null;
    }

    /**
     * RecordTransactionCommit: the commit record, then the flush (synchronous_commit on) or the
     * WAL writer's promise to flush (off: XLogSetAsyncXactLSN), then the commit log, stamped with
     * the record's LSN for an asynchronous commit so its page is not written before that WAL.
     * Between the insert and the commit log no error may happen: a failure here is a PANIC in
     * PostgreSQL (a critical section), and the exception leaves the transaction to be aborted.
     * A checkpoint starting meanwhile waits for the commit log to have the bit.
     */
    private void recordTransactionCommit(int x) {
        XactWal wal = manager.xactWal();
        // a checkpoint whose redo point falls after the record must not write the commit log
        // before the bit is set (DELAY_CHKPT_START)
        try (var delay = wal.delayCheckpoint()) {
            long lsn = wal.logCommit(x, dropsAtCommit);
            boolean sync = waits.synchronousCommit();
            if (sync) {
                wal.flush(lsn);
            } else {
                wal.flushAsync(lsn);
            }
            manager.commitLog().setStatus(x, XidStatus.COMMITTED, sync ? 0 : lsn);
        }
    }

    @Override
    public void onEnd(EndCallback callback) {
        checkInProgress();
        endCallbacks.add(callback);
    }

    @Override
    public void logStorageDrop(RelFileLocator rel, boolean atCommit) {
        checkInProgress();
        (atCommit ? dropsAtCommit : dropsAtAbort).add(rel);
    }

    private void runEndCallbacks(boolean committed) {
        for (EndCallback callback : endCallbacks) {
            try {
                callback.ended(committed);
            } catch (RuntimeException e) {
                LOG.warn("end-of-transaction callback failed for {}", this, e);
            }
        }
        endCallbacks.clear();
    }

    private void checkInProgress() {
        if (state != State.IN_PROGRESS) {
            throw new PgException(SqlState.INVALID_TRANSACTION_STATE, "transaction is not in progress");
        }
    }

    @Override
    public String toString() {
        return "transaction " + Integer.toUnsignedString(xid) + " of process " + pid() + " (" + state + ")";
    }
}
