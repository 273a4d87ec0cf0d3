/*
 * StartupXLog: the startup process -- crash recovery before the server takes connections
 * (PostgreSQL: StartupXLOG in access/transam/xlog.c, PerformWalRecovery in xlogrecovery.c,
 * postmaster/startup.c).
 *
 * At activation a "startup" thread reads pg_control and the checkpoint record it points at. When
 * the cluster was shut down cleanly and nothing follows that shutdown checkpoint, inserting
 * simply continues after it. Otherwise it replays every record from the checkpoint's redo point
 * to the end of valid WAL (XLogReader: the first torn, zero or corrupt record ends it),
 * dispatching each to the WalRedo service of its resource manager (the XLOG manager's records --
 * checkpoint, switch, noop, FPI -- are handled here), then writes an end-of-recovery checkpoint
 * (after the commit log and the buffer pool wrote their pages). Only then is the Recovery
 * service registered: the postmaster references it and so starts listening after recovery.
 *
 * A record whose resource manager has no WalRedo yet waits until every bundle marked to start is
 * active (bundle events wake the wait); if none provides it, startup ends with FATAL.
 *
 * After a crash (the shared memory discarded) Xlog refuses every write, so a recovery still
 * running stops at its next write and ends quietly, and the next xid told at deactivation leads
 * to no shutdown checkpoint.
 *
 * Entry points: the DS activation (recover()), deactivation (tells Xlog the next xid for the
 * shutdown checkpoint).
 * See also: XLogReader -- reading; Xlog.startInserting -- where inserting resumes;
 * RedoBufferManager -- full-page images for redo routines.
 */
package org.osgres.wal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgres.api.buffer.BufferManager;
import org.osgres.api.clog.CommitLog;
import org.osgres.api.config.Settings;
import org.osgres.api.lifecycle.ServerProcess;
import org.osgres.api.wal.ControlFileData;
import org.osgres.api.wal.ControlFileData.CheckPoint;
import org.osgres.api.wal.ControlFileData.DbState;
import org.osgres.api.wal.Recovery;
import org.osgres.api.wal.WalInsert;
import org.osgres.api.wal.WalRecord;
import org.osgres.api.wal.WalRedo;
import org.osgres.api.xact.TransactionIds;
import org.osgres.api.xact.TransactionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Component(immediate = true, service = {})
public final class StartupXLog {
    private static final Logger LOG = LoggerFactory.getLogger(StartupXLog.class);
    /** How long recovery waits for a resource manager's WalRedo while bundles are still starting. */
    static final Duration REDO_WAIT = Duration.ofSeconds(30);
    /** How long it still waits once every bundle marked to start is active. */
    static final Duration ALL_ACTIVE_GRACE = Duration.ofSeconds(2);

    private final Map<Integer, WalRedo> redos = new ConcurrentHashMap<>();
    private final Object redoLock = new Object();
    private final Xlog xlog;
    private final BufferManager buffers;
    private final CommitLog clog;
    private final RedoBufferManager redoBuffers;
    private final ZoneId logZone;
    private BundleContext context;
    private Thread startup;
    private volatile ServiceRegistration<Recovery> registration;
    private volatile TransactionManager transactions;
    private volatile int nextXid;
    private volatile int nextOid;

    @Activate
    public StartupXLog(BundleContext context, @Reference Settings settings, @Reference Xlog xlog,
            @Reference BufferManager buffers, @Reference CommitLog clog) {
        this(xlog, buffers, clog, zoneOf(settings));
        this.context = context;
        startup = Thread.ofPlatform().name("startup").unstarted(this::runStartup);
        startup.start();
    }

    StartupXLog(Xlog xlog, BufferManager buffers, CommitLog clog, ZoneId logZone) {
        this.xlog = xlog;
        this.buffers = buffers;
        this.clog = clog;
        this.redoBuffers = new RedoBufferManager(buffers);
        this.logZone = logZone;
    }

    private static ZoneId zoneOf(Settings settings) {
        try {
            return ZoneId.of(settings.get("log_timezone"));
        } catch (RuntimeException e) {
            return ZoneId.of("UTC");
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addRedo(WalRedo redo) {
        synchronized (redoLock) {
            redos.put(redo.rmgrId(), redo);
            redoLock.notifyAll();
        }
    }

    void removeRedo(WalRedo redo) {
        redos.remove(redo.rmgrId(), redo);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setTransactions(TransactionManager tm) {
        this.transactions = tm;
    }

    void unsetTransactions(TransactionManager tm) {
        noteNextIds(tm);
        if (this.transactions == tm) {
            this.transactions = null;
        }
    }

    private void noteNextIds(TransactionManager tm) {
        if (tm != null && !xlog.inRecovery()) {
            xlog.noteNextIds(tm.nextXid(), nextOid != 0 ? nextOid : xlog.controlFile().checkPointCopy().nextOid());
        }
    }

    @Deactivate
    void deactivate() {
        Thread t = startup;
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ServiceRegistration<Recovery> r = registration;
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
        noteNextIds(transactions);
    }

    private void runStartup() {
        try {
            Recovery.Result result = recover();
            registration = context.registerService(Recovery.class, () -> result, null);
        } catch (RuntimeException e) {
            if (xlog.discarded()) {
                // the postmaster threw the shared memory away meanwhile: a new startup recovers
                LOG.info("startup process of the discarded shared memory ends: {}", e.getMessage());
                return;
            }
            if (e instanceof StartupFailure) {
                LOG.error("{}", e.getMessage());
                ServerProcess.exit(context, 1);
                return;
            }
            if (Thread.currentThread().isInterrupted()) {
                return; // shut down during startup
            }
            LOG.error("PANIC:  startup process failed: {}", e.getMessage(), e);
            ServerProcess.exit(context, 1);
        }
    }

    /** A reason to end startup: the message opens with its level ("FATAL:  ..."). */
    static final class StartupFailure extends RuntimeException {
        StartupFailure(String message) {
            super(message);
        }
    }

    private String time(long epochSeconds) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss zzz")
                .format(Instant.ofEpochSecond(epochSeconds).atZone(logZone));
    }

    /** StartupXLOG. */
    Recovery.Result recover() {
        ControlFileData cf = xlog.controlFile();
        DbState state = cf.state();
        switch (state) {
            case DB_SHUTDOWNED -> LOG.info("database system was shut down at {}", time(cf.time()));
            case DB_SHUTDOWNING -> LOG.info("database system shutdown was interrupted; last known up at {}", time(cf.time()));
            case DB_IN_CRASH_RECOVERY -> LOG.info("database system was interrupted while in recovery at {}\n"
                    + "HINT:  This probably means that some data is corrupted and you will have to use the last "
                    + "backup for recovery.", time(cf.time()));
            default -> LOG.info("database system was interrupted; last known up at {}", time(cf.time()));
        }
        try (XLogReader reader = new XLogReader(xlog.segments(), xlog.timeline())) {
            long checkPointLoc = cf.checkPoint();
            reader.begin(checkPointLoc, -1);
            XLogReader.Read cpRead = reader.next();
            CheckPoint cp = cpRead == null ? null : checkPointOf(cpRead.record());
            if (cp == null) {
                throw new StartupFailure("PANIC:  could not locate a valid checkpoint record"
                        + (reader.endMessage() != null ? ": " + reader.endMessage() : ""));
            }
            nextXid = cp.nextXid();
            nextOid = cp.nextOid();
            XLogReader.Read after = reader.next();
            boolean needsRedo = state != DbState.DB_SHUTDOWNED || cp.redo() != checkPointLoc || after != null;
            if (!needsRedo) {
                xlog.startInserting(reader.endOfRecord(), reader.lastRecordStart());
                xlog.noteNextIds(nextXid, nextOid);
                xlog.updateControlFile(xlog.controlFile().with(DbState.DB_IN_PRODUCTION, Instant.now().getEpochSecond()));
                return new Recovery.Result(false, 0, reader.endOfRecord(), 0, state);
            }
            LOG.info("database system was not properly shut down; automatic recovery in progress");
            xlog.updateControlFile(cf.with(DbState.DB_IN_CRASH_RECOVERY, Instant.now().getEpochSecond()));
            return replay(reader, cp.redo() == checkPointLoc ? after : null, cp.redo(), state);
        }
    }

    private static CheckPoint checkPointOf(WalRecord r) {
        int kind = r.rmgrInfo();
        if (r.rmgrId() != WalRecord.RM_XLOG_ID
                || (kind != WalRecord.XLOG_CHECKPOINT_SHUTDOWN && kind != WalRecord.XLOG_CHECKPOINT_ONLINE)) {
            return null;
        }
        return ControlFile.checkPointOf(r.mainData());
    }

    /** PerformWalRecovery, then the end-of-recovery checkpoint. */
    private Recovery.Result replay(XLogReader reader, XLogReader.Read afterCheckpoint, long redo, DbState previous) {
        long cpuStart = cpuNanos();
        long userStart = userNanos();
        long wallStart = System.nanoTime();
        XLogReader.Read r;
        if (afterCheckpoint != null || redo == xlog.controlFile().checkPoint()) {
            // the redo point is the checkpoint record itself: replay starts with the record after it
            r = afterCheckpoint;
        } else {
            reader.begin(redo, -1);
            r = reader.next();
            if (r == null) {
                throw new StartupFailure("PANIC:  could not find redo location referenced by checkpoint record: "
                        + reader.endMessage());
            }
        }
        long count = 0;
        if (r == null) {
            LOG.info("redo is not required");
        } else {
            LOG.info("redo starts at {}", WalInsert.formatLsn(r.startLsn()));
        }
        long lastStart = r == null ? 0 : r.startLsn();
        while (r != null) {
            if (Thread.currentThread().isInterrupted()) {
                throw new StartupFailure("FATAL:  terminating startup process due to administrator command");
            }
            dispatch(r);
            count++;
            lastStart = r.startLsn();
            r = reader.next();
        }
        if (count > 0) {
            LOG.info("{}", reader.endMessage());
            logRedoDone(lastStart, cpuStart, userStart, wallStart);
        }
        long endOfLog = reader.endOfRecord();
        xlog.startInserting(endOfLog, reader.lastRecordStart());
        TransactionManager tm = transactions;
        int xid = tm != null ? laterXid(tm.nextXid(), nextXid) : nextXid;
        LOG.info("checkpoint starting: end-of-recovery immediate wait");
        long started = System.nanoTime();
        clog.checkpoint();
        if (buffers != null) { // unit tests of the WAL alone run without a pool
            buffers.flushDirty();
        }
        long at = xlog.writeCheckpoint(0, xid, nextOid, true, DbState.DB_IN_PRODUCTION);
        xlog.noteNextIds(xid, nextOid);
        LOG.info("checkpoint complete: end-of-recovery; total={} s; lsn={}, redo lsn={}",
                String.format("%.3f", (System.nanoTime() - started) / 1e9), WalInsert.formatLsn(at), WalInsert.formatLsn(at));
        return new Recovery.Result(true, redo, endOfLog, count, previous);
    }

    private static void logRedoDone(long lastStart, long cpuStart, long userStart, long wallStart) {
        double user = (userNanos() - userStart) / 1e9;
        double sys = Math.max(0, (cpuNanos() - cpuStart) / 1e9 - user);
        double elapsed = (System.nanoTime() - wallStart) / 1e9;
        LOG.info("redo done at {} system usage: CPU: user: {} s, system: {} s, elapsed: {} s",
                WalInsert.formatLsn(lastStart), String.format("%.2f", user), String.format("%.2f", sys),
                String.format("%.2f", elapsed));
    }

    /** One record to its resource manager (PostgreSQL: GetRmgr(record->xl_rmid).rm_redo). */
    void dispatch(XLogReader.Read r) {
        WalRecord rec = r.record();
        if (rec.rmgrId() == WalRecord.RM_XLOG_ID) {
            redoXlog(rec, r.endLsn());
            return;
        }
        advanceNextXid(rec.xid());
        WalRedo redo = awaitRedo(rec.rmgrId());
        redo.redo(rec, r.startLsn(), r.endLsn());
    }

    /**
     * Every xid met in the WAL is below the next xid after recovery (PostgreSQL: the nextXid
     * advance in xact_redo and RecordKnownAssignedTransactionIds).
     */
    private void advanceNextXid(int xid) {
        if (TransactionIds.isNormal(xid) && !TransactionIds.precedes(xid, nextXid)) {
            nextXid = TransactionIds.advance(xid);
        }
    }

    /** The later of the transaction manager's next xid and the one redo reached. */
    private int laterXid(int a, int b) {
        return TransactionIds.precedes(a, b) ? b : a;
    }

    /** xlog_redo: the XLOG resource manager's own records. */
    private void redoXlog(WalRecord rec, long lsn) {
        int kind = rec.rmgrInfo();
        if (kind == WalRecord.XLOG_CHECKPOINT_SHUTDOWN || kind == WalRecord.XLOG_CHECKPOINT_ONLINE) {
            CheckPoint cp = ControlFile.checkPointOf(rec.mainData());
            if (cp != null) {
                nextXid = cp.nextXid();
                nextOid = cp.nextOid();
            }
        } else if (kind == (WalRecord.XLOG_FPI & 0xff)) {
            for (WalRecord.BlockReference b : rec.blocks()) {
                redoBuffers.release(redoBuffers.readBufferForRedo(rec, b.id(), lsn));
            }
        } else if (kind == WalRecord.XLOG_NEXTOID) {
            if (rec.mainData().length >= 4) {
                nextOid = java.nio.ByteBuffer.wrap(rec.mainData()).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(0);
            }
        }
        // XLOG_NOOP, XLOG_SWITCH and the rest need nothing
    }

    private WalRedo awaitRedo(byte rmid) {
        WalRedo redo = redos.get((int) rmid);
        if (redo != null) {
            return redo;
        }
        BundleListener listener = event -> {
            synchronized (redoLock) {
                redoLock.notifyAll();
            }
        };
        if (context != null) {
            context.addBundleListener(listener);
        }
        try {
            long deadline = System.nanoTime() + REDO_WAIT.toNanos();
            synchronized (redoLock) {
                while ((redo = redos.get((int) rmid)) == null) {
                    if (context != null && allBundlesActive(context)) {
                        // every bundle is up: give their components a moment to register
                        deadline = Math.min(deadline, System.nanoTime() + ALL_ACTIVE_GRACE.toNanos());
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || context == null) {
                        throw new StartupFailure("FATAL:  resource manager with ID " + rmid
                                + " not registered: no bundle provides its WalRedo");
                    }
                    redoLock.wait(Math.min(100, Math.max(1, left / 1_000_000)));
                }
                return redo;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupFailure("FATAL:  terminating startup process due to administrator command");
        } finally {
            if (context != null) {
                try {
                    context.removeBundleListener(listener);
                } catch (IllegalStateException stopping) {
                    // the framework is stopping
                }
            }
        }
    }

    private static boolean allBundlesActive(BundleContext context) {
        for (Bundle b : context.getBundles()) {
            BundleStartLevel level = b.adapt(BundleStartLevel.class);
            if (b.getBundleId() != 0 && level != null && level.isPersistentlyStarted() && b.getState() != Bundle.ACTIVE) {
                return false;
            }
        }
        return true;
    }

    private static long cpuNanos() {
        var bean = java.lang.management.ManagementFactory.getThreadMXBean();
        return bean.isCurrentThreadCpuTimeSupported() ? bean.getCurrentThreadCpuTime() : 0;
    }

    private static long userNanos() {
        var bean = java.lang.management.ManagementFactory.getThreadMXBean();
        return bean.isCurrentThreadCpuTimeSupported() ? bean.getCurrentThreadUserTime() : 0;
    }
}
