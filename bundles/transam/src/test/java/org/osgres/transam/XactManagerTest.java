package org.osgres.transam;

import org.osgres.testing.NoWal;
import org.osgres.testing.TestSettings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.clog.CommitLog;
import org.osgres.api.clog.XidStatus;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.wal.WalFlush;
import org.osgres.api.xact.IsolationLevel;
import org.osgres.api.xact.Snapshot;
import org.osgres.api.xact.Transaction;
import org.osgres.api.xact.TransactionIds;
import org.osgres.api.xact.WaitContext;
import org.osgres.clog.Clog;
import org.osgres.shmem.SharedMemoryArea;

class XactManagerTest {
    static final WalFlush NO_WAL = NoWal.FLUSH;

    /** A commit log and transaction manager over dir, as the server builds them. */
    record Server(Clog clog, XactManager xacts) {
        static Server start(Path dir) {
            Clog clog = new Clog(TestSettings.of(dir, 128), new SharedMemoryArea(4 << 20, 1 << 20), NO_WAL);
            return new Server(clog, new XactManager(dir, clog));
        }

        /** Clean shutdown: the transaction manager, then the commit log's checkpoint. */
        void stop() {
            xacts.shutdown();
            clog.checkpoint();
        }
    }

    static Transaction begin(XactManager xm, IsolationLevel level, int pid) {
        return xm.begin(level, WaitContext.of(pid));
    }

    @Test
    void xidsAreAssignedLazilyFromFirstNormal(@TempDir Path dir) {
        Server s = Server.start(dir);
        Transaction t1 = begin(s.xacts, IsolationLevel.READ_COMMITTED, 1);
        assertEquals(TransactionIds.INVALID, t1.xid(), "no xid until the first write");
        t1.statementSnapshot();
        assertEquals(TransactionIds.INVALID, t1.xid(), "a snapshot assigns none");
        assertEquals(TransactionIds.FIRST_NORMAL, t1.assignXid());
        assertEquals(3, t1.assignXid(), "assigned once");
        Transaction t2 = begin(s.xacts, IsolationLevel.READ_COMMITTED, 2);
        assertEquals(4, t2.assignXid());
        assertTrue(s.xacts.isInProgress(3));
        t1.commit();
        t2.abort();
        assertFalse(s.xacts.isInProgress(3));
        assertEquals(XidStatus.COMMITTED, s.clog.status(3));
        assertEquals(XidStatus.ABORTED, s.clog.status(4));
        assertEquals(XidStatus.COMMITTED, s.xacts.status(TransactionIds.FROZEN));
        assertEquals(5, s.xacts.nextXid());
    }

    @Test
    void snapshotsListRunningXidsButTheirOwn(@TempDir Path dir) {
        Server s = Server.start(dir);
        Transaction a = begin(s.xacts, IsolationLevel.READ_COMMITTED, 1);
        Transaction b = begin(s.xacts, IsolationLevel.READ_COMMITTED, 2);
        int xa = a.assignXid();
        int xb = b.assignXid();
        Snapshot snap = a.statementSnapshot();
        assertEquals(xb, snap.xmin());
        assertEquals(xb + 1, snap.xmax());
        assertArrayEquals(new int[] {xb}, snap.xip());
        assertTrue(snap.isRunning(xb));
        assertFalse(snap.isRunning(xa), "own xid is not in xip (TransactionIdIsCurrentTransactionId decides)");
        assertTrue(snap.isRunning(xb + 1), "not yet assigned: at or past xmax");
        Snapshot global = s.xacts.snapshot();
        assertEquals(xa, global.xmin());
        assertEquals(2, global.xip().length);
        assertEquals(xa, s.xacts.oldestXmin());
        a.commit();
        b.commit();
        assertEquals(s.xacts.nextXid(), s.xacts.oldestXmin());
    }

    @Test
    void readCommittedTakesASnapshotPerStatementRepeatableReadOne(@TempDir Path dir) {
        Server s = Server.start(dir);
        Transaction rc = begin(s.xacts, IsolationLevel.READ_COMMITTED, 1);
        Transaction rr = begin(s.xacts, IsolationLevel.REPEATABLE_READ, 2);
        Snapshot rc1 = rc.statementSnapshot();
        Snapshot rr1 = rr.statementSnapshot();
        Transaction w = begin(s.xacts, IsolationLevel.READ_COMMITTED, 3);
        int xw = w.assignXid();
        w.commit();
        Snapshot rc2 = rc.statementSnapshot();
        Snapshot rr2 = rr.statementSnapshot();
        assertTrue(rc1.isRunning(xw));
        assertFalse(rc2.isRunning(xw), "the next statement of READ COMMITTED sees the commit");
        assertTrue(rr2.isRunning(xw), "REPEATABLE READ keeps its first snapshot");
        assertEquals(rr1.xmax(), rr2.xmax());
        rr.commandCounterIncrement();
        assertEquals(1, rr.statementSnapshot().curcid(), "the kept snapshot follows the command id");
        assertEquals(rr1.xmin(), s.xacts.oldestXmin(), "the RR snapshot holds back the horizon");
        rc.commit();
        rr.commit();
    }

    /** A READ COMMITTED transaction's first snapshot may still be in use (a suspended portal) when it takes the next. */
    @Test
    void readCommittedKeepsItsFirstSnapshotsHorizonUntilItEnds(@TempDir Path dir) {
        Server s = Server.start(dir);
        Transaction old = begin(s.xacts, IsolationLevel.READ_COMMITTED, 1);
        int xold = old.assignXid();
        Transaction rc = begin(s.xacts, IsolationLevel.READ_COMMITTED, 2);
        Snapshot first = rc.statementSnapshot();
        assertEquals(xold, first.xmin());
        old.commit();
        Snapshot second = rc.statementSnapshot();
        assertFalse(second.isRunning(xold));
        assertEquals(first.xmin(), s.xacts.oldestXmin(), "the first snapshot still holds back the horizon");
        rc.commit();
        assertEquals(s.xacts.nextXid(), s.xacts.oldestXmin());
    }

    @Test
    void commitOrderClogThenProcArrayThenLocks(@TempDir Path dir) throws Exception {
        Server s = Server.start(dir);
        Transaction a = begin(s.xacts, IsolationLevel.READ_COMMITTED, 1);
        int xa = a.assignXid();
        Transaction b = begin(s.xacts, IsolationLevel.READ_COMMITTED, 2);
        XidStatus[] seen = new XidStatus[1];
        boolean[] running = new boolean[1];
        Thread waiter = Thread.ofVirtual().start(() -> {
            b.waitForXid(xa);
            seen[0] = s.xacts.status(xa);
            running[0] = s.xacts.isInProgress(xa);
        });
        Waits.until(() -> s.xacts.lockManagerWaiting(), "b waits for a's xid");
        a.commit();
        waiter.join();
        assertEquals(XidStatus.COMMITTED, seen[0], "a waiter woken by the commit finds it in the commit log");
        assertFalse(running[0], "and no longer in the proc array");
        b.commit();
    }

    @Test
    void xidsNeverRepeatAcrossRestartsAndCrashedOnesAreAborted(@TempDir Path dir) throws Exception {
        Server s = Server.start(dir);
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < VarSupAccess.PREFETCH + 10; i++) {
            Transaction t = begin(s.xacts, IsolationLevel.READ_COMMITTED, 1);
            used.add(t.assignXid());
            t.commit();
        }
        Transaction crashed = begin(s.xacts, IsolationLevel.READ_COMMITTED, 2);
        int xc = crashed.assignXid();
        // a crash: the commit log reaches disk (as a checkpoint would), the xid file is not rewritten
        s.clog.checkpoint();
        Server again = Server.start(dir);
        assertTrue(again.xacts.abortedAtStartup() >= 1, "the crashed one, and the unused rest of the prefetch");
        assertEquals(XidStatus.ABORTED, again.clog.status(xc), "in progress at the crash: aborted");
        assertEquals(XidStatus.COMMITTED, again.clog.status(3));
        Transaction t = begin(again.xacts, IsolationLevel.READ_COMMITTED, 1);
        int next = t.assignXid();
        assertFalse(used.contains(next) || next == xc, "xid " + next + " was used before");
        assertTrue(TransactionIds.follows(next, xc));
        t.commit();
        again.stop();
        String mark = Files.readString(dir.resolve("global/osgres_xid")).trim();
        assertEquals((next + 1) + " " + (next + 1), mark, "a clean shutdown persists the exact next xid");
        Server third = Server.start(dir);
        assertEquals(0, third.xacts.abortedAtStartup());
        assertEquals(next + 1, third.xacts.nextXid(), "no xids skipped after a clean shutdown");
    }

    @Test
    void shutdownAbortsOpenTransactions(@TempDir Path dir) {
        Server s = Server.start(dir);
        Transaction t = begin(s.xacts, IsolationLevel.READ_COMMITTED, 1);
        int x = t.assignXid();
        s.stop();
        assertEquals(Transaction.State.ABORTED, t.state());
        assertEquals(XidStatus.ABORTED, Server.start(dir).clog.status(x));
    }

    @Test
    void commitTwiceFails(@TempDir Path dir) {
        Server s = Server.start(dir);
        Transaction t = begin(s.xacts, IsolationLevel.READ_COMMITTED, 1);
        t.commit();
        PgException e = assertThrows(PgException.class, t::commit);
        assertSame(SqlState.INVALID_TRANSACTION_STATE, e.sqlState());
        t.abort(); // nothing
        assertEquals(Transaction.State.COMMITTED, t.state());
    }

    @Test
    void comboCommandIds(@TempDir Path dir) {
        Server s = Server.start(dir);
        Transaction t = begin(s.xacts, IsolationLevel.READ_COMMITTED, 1);
        int c1 = t.comboCid(0, 3);
        int c2 = t.comboCid(1, 3);
        assertNotEquals(c1, c2);
        assertEquals(c1, t.comboCid(0, 3));
        assertEquals(1, t.comboCmin(c2));
        assertEquals(3, t.comboCmax(c2));
        assertEquals(CommitLog.XACTS_PER_PAGE, 32768);
    }
}
