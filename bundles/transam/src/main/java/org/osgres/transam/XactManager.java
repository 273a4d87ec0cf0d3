/*
 * XactManager: transactions, xids, snapshots and heavyweight locks (PostgreSQL:
 * access/transam/xact.c StartTransaction/CommitTransaction/AbortTransaction, transam.c
 * TransactionLogFetch, varsup.c, procarray.c, snapmgr.c, lmgr.c).
 *
 * Startup, only once crash recovery is done (the Recovery service): VarSup reads the xid
 * high-water mark in global/, aborts in the commit log what the last run left in progress (redo
 * has set the status of every transaction that ended in the WAL), and persists the new run's
 * start (until WAL and pg_control exist).
 * Shutdown (deactivation): transactions still open are aborted, then the exact next xid is
 * persisted, so a clean restart skips no xids. After a crash (the shared memory discarded) the
 * open transactions are only dropped and nothing is written: no abort record, no commit log bit,
 * no xid mark; a commit, an xid assignment or the mark's move by a backend still holding this
 * instance fails with FATAL 57P02 (crashShutdown), and redo rebuilds the state from WAL.
 *
 * Durability: commit writes a commit record (XactWal), flushes it per the session's
 * synchronous_commit, then marks the commit log COMMITTED in its shared buffers; pages reach disk
 * at checkpoint or shutdown, and after a crash XactRedo sets the status again from the records.
 *
 * Entry points: begin() (StartTransaction), snapshot(), isInProgress(), status(), oldestXmin(),
 * nextXid().
 * See also: TransactionState -- one transaction; ProcArray; VarSup; LockManager.
 */
package org.osgres.transam;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.clog.CommitLog;
import org.osgres.api.clog.XidStatus;
import org.osgres.api.config.Settings;
import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.shmem.CrashShutdown;
import org.osgres.api.shmem.SharedMemory;
import org.osgres.api.wal.Recovery;
import org.osgres.api.wal.WalInsert;
import org.osgres.api.xact.IsolationLevel;
import org.osgres.api.xact.Snapshot;
import org.osgres.api.xact.Transaction;
import org.osgres.api.xact.TransactionIds;
import org.osgres.api.xact.TransactionManager;
import org.osgres.api.xact.WaitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Component(service = TransactionManager.class, immediate = true)
public final class XactManager implements TransactionManager {
    private static final Logger LOG = LoggerFactory.getLogger(XactManager.class);

    private final CommitLog clog;
    private final ProcArray procArray;
    private final LockManager lockManager = new LockManager();
    private final int abortedAtStartup;
    private final XactWal xactWal;
    /** Whether the shared memory the server runs on was discarded after a crash (never, without one). */
    private final BooleanSupplier discarded;

    /**
     * The transaction manager of the server's data directory. It references the shared memory
     * only to know when it is discarded (and so is deactivated with it after a crash), and
     * {@code recovery} so that it starts only once redo is over: its start marks the xids of the
     * last run still in progress in the commit log as aborted, and during redo that would race
     * with the commit records being replayed (a transaction committed in the WAL, marked
     * committed by redo between the check and the write, would end up aborted).
     */
    @Activate
    public XactManager(@Reference Settings settings, @Reference SharedMemory shmem, @Reference CommitLog clog,
            @Reference WalInsert wal, @Reference Recovery recovery) {
        this(settings.dataDirectory(), clog, wal, shmem::discarded);
    }

    /** A transaction manager over a data directory's global/ and its commit log, without WAL (tests build it so). */
    public XactManager(Path dataDirectory, CommitLog clog) {
        this(dataDirectory, clog, null, () -> false);
    }

    /**
     * A transaction manager writing commit and abort records to {@code wal} (null: none). A
     * factory, not a constructor: Declarative Services picks the activation constructor by its
     * number of arguments.
     */
    public static XactManager withWal(Path dataDirectory, CommitLog clog, WalInsert wal) {
        return new XactManager(dataDirectory, clog, wal, () -> false);
    }

    /** As withWal, over shared memory whose discarded() the caller controls (tests of a crash). */
    public static XactManager withWal(Path dataDirectory, CommitLog clog, WalInsert wal, SharedMemory shmem) {
        return new XactManager(dataDirectory, clog, wal, shmem::discarded);
    }

    private XactManager(Path dataDirectory, CommitLog clog, WalInsert wal, BooleanSupplier discarded) {
        this.clog = clog;
        this.xactWal = new XactWal(wal);
        this.discarded = discarded;
        VarSup varsup = new VarSup(dataDirectory, clog, discarded);
        this.abortedAtStartup = varsup.startup();
        this.procArray = new ProcArray(varsup);
        LOG.debug("next transaction id {}", Integer.toUnsignedString(procArray.nextXid()));
    }

    /**
     * Clean shutdown: aborts what is still open, persists the next xid. After a crash (the shared
     * memory discarded) it drops the open transactions, releasing their locks, and writes nothing.
     */
    @Deactivate
    public void shutdown() {
        boolean crashed = discarded();
        for (TransactionState tx : procArray.transactions()) {
            if (crashed) {
                LOG.debug("dropping {} after a crash", tx);
            } else {
                LOG.warn("aborting {} at shutdown", tx);
            }
            tx.abort(); // after a crash: no abort record, no commit log bit
        }
        if (!crashed) {
            procArray.shutdown();
        }
    }

    /** Whether the shared memory was discarded after a crash: then nothing more is written. */
    boolean discarded() {
        return discarded.getAsBoolean();
    }

    /** The error of a write refused after a crash (PostgreSQL: quickdie's message in tcop/postgres.c). */
    static PgException crashShutdown() {
        return CrashShutdown.error(Severity.FATAL);
    }

    /** How many xids the start found in progress and marked aborted. */
    public int abortedAtStartup() {
        return abortedAtStartup;
    }

    @Override
    public Transaction begin(IsolationLevel level, WaitContext waits) {
        TransactionState tx = new TransactionState(this, level, waits, lockManager.newProc(waits.pid()));
        procArray.register(tx);
        return tx;
    }

    @Override
    public Snapshot snapshot() {
        return procArray.getSnapshotData(null, TransactionIds.FIRST_COMMAND_ID);
    }

    @Override
    public boolean isInProgress(int xid) {
        return procArray.isInProgress(xid);
    }

    @Override
    public XidStatus status(int xid) {
        if (!TransactionIds.isNormal(xid)) {
            return xid == TransactionIds.INVALID ? XidStatus.ABORTED : XidStatus.COMMITTED;
        }
        return clog.status(xid);
    }

    @Override
    public long commitLsn(int xid) {
        return TransactionIds.isNormal(xid) ? clog.commitLsn(xid) : 0;
    }

    @Override
    public int oldestXmin() {
        return procArray.oldestXmin();
    }

    @Override
    public int nextXid() {
        return procArray.nextXid();
    }

    /** Whether some lock request is waiting (for tests). */
    boolean lockManagerWaiting() {
        return lockManager.waiting() > 0;
    }

    /** The number of lock requests waiting (for tests). */
    int lockWaiters() {
        return lockManager.waiting();
    }

    ProcArray procArray() {
        return procArray;
    }

    LockManager lockManager() {
        return lockManager;
    }

    XactWal xactWal() {
        return xactWal;
    }

    CommitLog commitLog() {
        return clog;
    }
}
