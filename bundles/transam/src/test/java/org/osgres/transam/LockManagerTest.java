package org.osgres.transam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.session.Interrupts;
import org.osgres.api.xact.IsolationLevel;
import org.osgres.api.xact.LockMode;
import org.osgres.api.xact.LockTag;
import org.osgres.api.xact.Transaction;
import org.osgres.api.xact.WaitContext;

class LockManagerTest {
    static WaitContext waits(int pid, int deadlockMs, int lockTimeoutMs, Interrupts interrupts) {
        return WaitContext.of(pid, interrupts, () -> lockTimeoutMs, () -> deadlockMs);
    }

    @Test
    void conflictTableIsPostgres() {
        assertTrue(LockMode.ACCESS_EXCLUSIVE.conflictsWith(LockMode.ACCESS_SHARE));
        assertFalse(LockMode.ROW_EXCLUSIVE.conflictsWith(LockMode.ROW_EXCLUSIVE));
        assertTrue(LockMode.SHARE.conflictsWith(LockMode.ROW_EXCLUSIVE));
        assertFalse(LockMode.SHARE.conflictsWith(LockMode.SHARE));
        assertTrue(LockMode.EXCLUSIVE.conflictsWith(LockMode.SHARE));
        assertTrue(LockMode.SHARE_UPDATE_EXCLUSIVE.conflictsWith(LockMode.SHARE_UPDATE_EXCLUSIVE));
        for (LockMode a : LockMode.values()) {
            for (LockMode b : LockMode.values()) {
                assertEquals(a.conflictsWith(b), b.conflictsWith(a), a + " vs " + b + " is symmetric");
            }
        }
        assertEquals("tuple (0,1) of relation 16384 of database 5", LockTag.tuple(5, 16384, 0, 1).describe());
        assertEquals("transaction 4294967295", LockTag.transaction(-1).describe());
    }

    @Test
    void waitForXidWaitsUntilTheEnd(@TempDir Path dir) throws Exception {
        XactManager xm = XactManagerTest.Server.start(dir).xacts();
        Transaction a = xm.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(10));
        Transaction b = xm.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(11));
        int xa = a.assignXid();
        assertFalse(b.xidHasEnded(xa));
        Thread t = Thread.ofVirtual().start(() -> b.waitForXid(xa));
        Waits.until(xm::lockManagerWaiting, "b waits");
        assertTrue(t.isAlive());
        a.abort();
        t.join();
        assertTrue(b.xidHasEnded(xa));
        b.commit();
    }

    /** Two transactions wait for each other's xid: exactly one fails with 40P01, the other goes on. */
    @Test
    void deadlockBetweenTwoIsDetectedOnce(@TempDir Path dir) throws Exception {
        XactManager xm = XactManagerTest.Server.start(dir).xacts();
        Interrupts none = new Interrupts();
        Transaction a = xm.begin(IsolationLevel.READ_COMMITTED, waits(100, 50, 0, none));
        Transaction b = xm.begin(IsolationLevel.READ_COMMITTED, waits(200, 50, 0, none));
        int xa = a.assignXid();
        int xb = b.assignXid();
        List<PgException> errors = Collections.synchronizedList(new ArrayList<>());
        Thread ta = Thread.ofVirtual().start(() -> {
            try {
                a.waitForXid(xb);
            } catch (PgException e) {
                errors.add(e);
                a.abort();
            }
        });
        Waits.until(xm::lockManagerWaiting, "a waits for b");
        Thread tb = Thread.ofVirtual().start(() -> {
            try {
                b.waitForXid(xa);
            } catch (PgException e) {
                errors.add(e);
                b.abort();
            }
        });
        tb.join(10_000);
        // whoever failed, the other is woken by its abort, or still waits for the survivor's end
        if (errors.size() == 1 && errors.get(0).detail().startsWith("Process 200")) {
            ta.join(10_000);
            assertFalse(ta.isAlive());
        } else {
            Waits.until(() -> errors.size() == 1, "one deadlock error");
            b.commit();
            tb.join();
        }
        ta.join(10_000);
        assertEquals(1, errors.size(), "exactly one 40P01");
        PgException e = errors.get(0);
        assertSame(SqlState.T_R_DEADLOCK_DETECTED, e.sqlState());
        assertEquals("deadlock detected", e.getMessage());
        assertEquals("See server log for query details.", e.hint());
        String self = e.detail().startsWith("Process 100") ? "100" : "200";
        String other = self.equals("100") ? "200" : "100";
        int selfXidWait = self.equals("100") ? xb : xa;
        int otherXidWait = self.equals("100") ? xa : xb;
        assertEquals("Process " + self + " waits for ShareLock on transaction " + selfXidWait + "; blocked by process " + other + ".\n"
                + "Process " + other + " waits for ShareLock on transaction " + otherXidWait + "; blocked by process " + self + ".",
                e.detail());
        if (a.state() == Transaction.State.IN_PROGRESS) {
            a.commit();
        }
        if (b.state() == Transaction.State.IN_PROGRESS) {
            b.commit();
        }
        assertEquals(0, xm.lockWaiters());
    }

    @Test
    void lockTimeoutCancelsTheWait(@TempDir Path dir) {
        XactManager xm = XactManagerTest.Server.start(dir).xacts();
        Transaction a = xm.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(1));
        Transaction b = xm.begin(IsolationLevel.READ_COMMITTED, waits(2, 1000, 100, new Interrupts()));
        LockTag rel = LockTag.relation(5, 16384);
        a.lock(rel, LockMode.ACCESS_EXCLUSIVE);
        long start = System.nanoTime();
        PgException e = assertThrows(PgException.class, () -> b.lock(rel, LockMode.ACCESS_SHARE));
        assertSame(SqlState.LOCK_NOT_AVAILABLE, e.sqlState());
        assertEquals("canceling statement due to lock timeout", e.getMessage());
        assertTrue(System.nanoTime() - start >= 100_000_000L);
        assertFalse(b.holdsLock(rel, LockMode.ACCESS_SHARE));
        assertEquals(0, xm.lockWaiters(), "the request left the queue");
        assertFalse(b.tryLock(rel, LockMode.ACCESS_SHARE));
        a.commit();
        assertTrue(b.tryLock(rel, LockMode.ACCESS_SHARE));
        b.commit();
    }

    @Test
    void aCancelEndsTheWait(@TempDir Path dir) throws Exception {
        XactManager xm = XactManagerTest.Server.start(dir).xacts();
        Interrupts interrupts = new Interrupts();
        Transaction a = xm.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(1));
        Transaction b = xm.begin(IsolationLevel.READ_COMMITTED, waits(2, 60_000, 0, interrupts));
        int xa = a.assignXid();
        AtomicReference<PgException> failure = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                b.waitForXid(xa);
            } catch (PgException e) {
                failure.set(e);
            }
        });
        Waits.until(xm::lockManagerWaiting, "b waits");
        interrupts.requestCancel();
        t.join(5_000);
        assertFalse(t.isAlive());
        assertSame(SqlState.QUERY_CANCELED, failure.get().sqlState());
        assertEquals(0, xm.lockWaiters());
        a.commit();
        b.abort();
    }

    @Test
    void releaseWakesCompatibleWaitersAndLocksEndWithTheTransaction(@TempDir Path dir) throws Exception {
        XactManager xm = XactManagerTest.Server.start(dir).xacts();
        Transaction a = xm.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(1));
        Transaction b = xm.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(2));
        Transaction c = xm.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(3));
        LockTag tag = LockTag.tuple(5, 16384, 0, 1);
        a.lock(tag, LockMode.ACCESS_EXCLUSIVE);
        Thread tb = Thread.ofVirtual().start(() -> b.lock(tag, LockMode.ACCESS_SHARE));
        Thread tc = Thread.ofVirtual().start(() -> c.lock(tag, LockMode.ROW_SHARE));
        Waits.until(() -> xm.lockWaiters() == 2, "both wait");
        a.unlock(tag, LockMode.ACCESS_EXCLUSIVE);
        tb.join();
        tc.join();
        assertTrue(b.holdsLock(tag, LockMode.ACCESS_SHARE));
        assertTrue(c.holdsLock(tag, LockMode.ROW_SHARE));
        b.commit();
        c.commit();
        a.commit();
        Transaction d = xm.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(4));
        assertTrue(d.tryLock(tag, LockMode.ACCESS_EXCLUSIVE), "every lock went with its transaction");
        d.commit();
    }
}
