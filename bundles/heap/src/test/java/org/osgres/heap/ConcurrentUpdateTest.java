package org.osgres.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.LockWaitPolicy;
import org.osgres.api.heap.ModifyResult;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.RowLockMode;
import org.osgres.api.heap.TmResult;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.xact.IsolationLevel;
import org.osgres.api.xact.Transaction;

/**
 * Concurrent sessions on virtual threads, as PostgreSQL's isolation tests run them: an update
 * waits for the transaction that changed the row, READ COMMITTED then re-checks the newest
 * version, REPEATABLE READ fails with 40001, a two-row deadlock fails exactly one session with
 * 40P01, lock_timeout and NOWAIT fail with 55P03. Messages are PostgreSQL 15's (record-deadlock.sh,
 * record-errors.sh).
 */
class ConcurrentUpdateTest {
    static final TupleDesc DESC = TupleDesc.of(Attribute.of("id", Attribute.INT4), Attribute.of("v", Attribute.INT4));

    HeapFixture f;
    Relation rel;
    ItemPointer row1;
    ItemPointer row2;

    @BeforeEach
    void setUp(@TempDir Path dir) {
        f = HeapFixture.start(dir, 32);
        rel = f.relation("osgres_deadlock", 16384, DESC);
        f.heap.createStorage(rel);
        Transaction t = f.begin(IsolationLevel.READ_COMMITTED, 1);
        row1 = f.heap.insert(rel, t, new Object[] {1, 0});
        row2 = f.heap.insert(rel, t, new Object[] {2, 0});
        t.commit();
    }

    static List<String> golden(String name) throws IOException {
        try (InputStream in = ConcurrentUpdateTest.class.getResourceAsStream(name)) {
            return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
    }

    /** The statement "UPDATE t SET v = v + add WHERE id = id" over the rows the statement's snapshot sees, EvalPlanQual included. */
    static int updateAdd(HeapFixture f, Relation rel, Transaction tx, int id, int add) {
        int n = 0;
        for (HeapTuple t : f.scan(rel, tx)) {
            Object[] v = t.values();
            if ((int) v[0] != id) {
                continue;
            }
            ModifyResult r = f.heap.update(rel, tx, t.tid(), new Object[] {id, (int) v[1] + add});
            while (r.result() == TmResult.UPDATED) { // EvalPlanQual: re-check the newest version
                Object[] latest = r.latest().values();
                if ((int) latest[0] != id) {
                    break;
                }
                r = f.heap.update(rel, tx, r.latest().tid(), new Object[] {id, (int) latest[1] + add});
            }
            n += r.ok() ? 1 : 0;
        }
        tx.commandCounterIncrement();
        return n;
    }

    int valueOf(int id) {
        Transaction t = f.begin(IsolationLevel.READ_COMMITTED, 99);
        try {
            for (HeapTuple tuple : f.scan(rel, t)) {
                if ((int) tuple.values()[0] == id) {
                    return (int) tuple.values()[1];
                }
            }
            throw new AssertionError("no row " + id);
        } finally {
            t.commit();
        }
    }

    @Test
    void readCommittedWaitsThenUpdatesTheNewestVersion() throws Exception {
        Transaction a = f.begin(IsolationLevel.READ_COMMITTED, 10);
        assertEquals(1, updateAdd(f, rel, a, 1, 1));
        AtomicInteger ticks = new AtomicInteger();
        Transaction b = f.begin(IsolationLevel.READ_COMMITTED, 20, ticks, 1000, 0);
        AtomicInteger updated = new AtomicInteger(-1);
        Thread tb = Thread.ofVirtual().start(() -> updated.set(updateAdd(f, rel, b, 1, 10)));
        Waits.until(() -> ticks.get() > 2, "b waits for a");
        assertTrue(tb.isAlive());
        a.commit();
        tb.join();
        assertEquals(1, updated.get(), "b updated the row a made, after re-checking it");
        b.commit();
        assertEquals(11, valueOf(1), "both increments count: no lost update");
        assertEquals(0, valueOf(2));
    }

    @Test
    void readCommittedSkipsARowDeletedMeanwhile() throws Exception {
        Transaction a = f.begin(IsolationLevel.READ_COMMITTED, 10);
        assertTrue(f.heap.delete(rel, a, row1).ok());
        AtomicInteger ticks = new AtomicInteger();
        Transaction b = f.begin(IsolationLevel.READ_COMMITTED, 20, ticks, 1000, 0);
        AtomicReference<ModifyResult> result = new AtomicReference<>();
        Thread tb = Thread.ofVirtual().start(() -> {
            b.statementSnapshot();
            result.set(f.heap.update(rel, b, row1, new Object[] {1, 5}));
        });
        Waits.until(() -> ticks.get() > 2, "b waits for a");
        a.commit();
        tb.join();
        assertSame(TmResult.DELETED, result.get().result());
        b.commit();
    }

    @Test
    void abortedUpdaterLetsTheWaiterUpdateTheOriginal() throws Exception {
        Transaction a = f.begin(IsolationLevel.READ_COMMITTED, 10);
        assertEquals(1, updateAdd(f, rel, a, 1, 1));
        AtomicInteger ticks = new AtomicInteger();
        Transaction b = f.begin(IsolationLevel.REPEATABLE_READ, 20, ticks, 1000, 0);
        Thread tb = Thread.ofVirtual().start(() -> updateAdd(f, rel, b, 1, 10));
        Waits.until(() -> ticks.get() > 2, "b waits for a");
        a.abort();
        tb.join();
        b.commit();
        assertEquals(10, valueOf(1), "even REPEATABLE READ goes on when the other aborted");
    }

    @Test
    void repeatableReadFailsWith40001() throws Exception {
        List<String> expected = golden("repeatable-read.txt");
        Transaction b = f.begin(IsolationLevel.REPEATABLE_READ, 20);
        assertEquals(2, f.scan(rel, b).size()); // the snapshot is taken
        Transaction a = f.begin(IsolationLevel.READ_COMMITTED, 10);
        assertEquals(1, updateAdd(f, rel, a, 1, 1));
        assertTrue(f.heap.delete(rel, a, row2).ok());
        a.commit();
        PgException e = assertThrows(PgException.class, () -> f.heap.update(rel, b, row1, new Object[] {1, 2}));
        assertSame(SqlState.T_R_SERIALIZATION_FAILURE, e.sqlState());
        assertEquals(expected.get(0), "ERROR:  " + e.getMessage());
        PgException d = assertThrows(PgException.class, () -> f.heap.delete(rel, b, row2));
        assertEquals(expected.get(1), "ERROR:  " + d.getMessage());
        b.abort();
    }

    @Test
    void repeatableReadWaitsThenFails() throws Exception {
        Transaction a = f.begin(IsolationLevel.READ_COMMITTED, 10);
        Transaction b = f.begin(IsolationLevel.REPEATABLE_READ, 20, new AtomicInteger(), 1000, 0);
        b.statementSnapshot();
        assertEquals(1, updateAdd(f, rel, a, 1, 1));
        AtomicReference<PgException> failure = new AtomicReference<>();
        Thread tb = Thread.ofVirtual().start(() -> {
            try {
                f.heap.update(rel, b, row1, new Object[] {1, 2});
            } catch (PgException e) {
                failure.set(e);
            }
        });
        Waits.until(() -> tb.getState() == Thread.State.TIMED_WAITING || !tb.isAlive(), "b waits");
        a.commit();
        tb.join();
        assertNotNull(failure.get());
        assertSame(SqlState.T_R_SERIALIZATION_FAILURE, failure.get().sqlState());
        b.abort();
    }

    /** record-deadlock.sh's scenario: A updates row 1 then 2, B updates 2 then 1; B waits last and fails. */
    @Test
    void twoRowDeadlockFailsExactlyOne() throws Exception {
        List<String> expected = golden("deadlock.txt");
        AtomicInteger ticksA = new AtomicInteger();
        AtomicInteger ticksB = new AtomicInteger();
        Transaction a = f.begin(IsolationLevel.READ_COMMITTED, 1001, ticksA, 200, 0);
        Transaction b = f.begin(IsolationLevel.READ_COMMITTED, 1002, ticksB, 200, 0);
        assertEquals(1, updateAdd(f, rel, a, 1, 1));
        assertEquals(1, updateAdd(f, rel, b, 2, 1));
        List<PgException> errors = Collections.synchronizedList(new ArrayList<>());
        Thread ta = Thread.ofVirtual().start(() -> {
            try {
                updateAdd(f, rel, a, 2, 1);
                a.commit();
            } catch (PgException e) {
                errors.add(e);
                a.abort();
            }
        });
        Waits.until(() -> ticksA.get() > 30, "a has waited past its deadlock_timeout (no cycle yet)");
        Thread tb = Thread.ofVirtual().start(() -> {
            try {
                updateAdd(f, rel, b, 1, 1);
                b.commit();
            } catch (PgException e) {
                errors.add(e);
                b.abort();
            }
        });
        tb.join(20_000);
        ta.join(20_000);
        assertFalse(ta.isAlive() || tb.isAlive());
        assertEquals(1, errors.size(), "exactly one 40P01");
        PgException e = errors.get(0);
        assertSame(SqlState.T_R_DEADLOCK_DETECTED, e.sqlState());
        assertEquals(Transaction.State.COMMITTED, a.state(), "A goes on once B is gone");
        assertEquals(Transaction.State.ABORTED, b.state());
        List<String> actual = new ArrayList<>();
        actual.add("ERROR:  " + e.getMessage());
        String[] detail = e.detail().split("\n");
        actual.add("DETAIL:  " + detail[0]);
        actual.addAll(List.of(detail).subList(1, detail.length));
        actual.add("HINT:  " + e.hint());
        List<String> golden = expected.stream().filter(l -> !l.startsWith("CONTEXT:")).map(l -> l
                .replace("PID_A", "1001").replace("PID_B", "1002")
                .replace("XID_A", Integer.toUnsignedString(a.xid())).replace("XID_B", Integer.toUnsignedString(b.xid()))).toList();
        assertEquals(golden, actual);
        assertEquals(1, valueOf(1), "A's increment; B's was rolled back");
        assertEquals(1, valueOf(2), "A's increment over B's rolled-back one");
    }

    @Test
    void lockTimeoutAndNowait() throws Exception {
        Relation lockwait = f.relation("osgres_lockwait", 16390, DESC);
        f.heap.createStorage(lockwait);
        Transaction ins = f.begin(IsolationLevel.READ_COMMITTED, 1);
        ItemPointer tid = f.heap.insert(lockwait, ins, new Object[] {1, 0});
        ins.commit();
        Transaction a = f.begin(IsolationLevel.READ_COMMITTED, 10);
        a.statementSnapshot();
        assertTrue(f.heap.update(lockwait, a, tid, new Object[] {1, 1}).ok());

        Transaction b = f.begin(IsolationLevel.READ_COMMITTED, 20, new AtomicInteger(), 1000, 100);
        b.statementSnapshot();
        PgException e = assertThrows(PgException.class, () -> f.heap.update(lockwait, b, tid, new Object[] {1, 2}));
        assertSame(SqlState.LOCK_NOT_AVAILABLE, e.sqlState());
        assertEquals(golden("lock-timeout.txt").get(0), "ERROR:  " + e.getMessage());
        b.abort();

        Transaction c = f.begin(IsolationLevel.READ_COMMITTED, 30);
        c.statementSnapshot();
        PgException n = assertThrows(PgException.class,
                () -> f.heap.lockTuple(lockwait, c, tid, RowLockMode.FOR_UPDATE, LockWaitPolicy.ERROR));
        assertSame(SqlState.LOCK_NOT_AVAILABLE, n.sqlState());
        assertEquals(golden("nowait.txt").get(0), "ERROR:  " + n.getMessage());
        assertSame(TmResult.WOULD_BLOCK, f.heap.lockTuple(lockwait, c, tid, RowLockMode.FOR_UPDATE, LockWaitPolicy.SKIP).result());
        c.abort();
        a.commit();
    }

    @Test
    void selectForUpdateBlocksUpdatersUntilCommit() throws Exception {
        Transaction a = f.begin(IsolationLevel.READ_COMMITTED, 10);
        a.statementSnapshot();
        assertTrue(f.heap.lockTuple(rel, a, row1, RowLockMode.FOR_UPDATE, LockWaitPolicy.BLOCK).ok());
        assertTrue(f.heap.lockTuple(rel, a, row1, RowLockMode.FOR_UPDATE, LockWaitPolicy.BLOCK).ok(), "again: already ours");
        AtomicInteger ticks = new AtomicInteger();
        Transaction b = f.begin(IsolationLevel.READ_COMMITTED, 20, ticks, 1000, 0);
        AtomicInteger updated = new AtomicInteger(-1);
        Thread tb = Thread.ofVirtual().start(() -> updated.set(updateAdd(f, rel, b, 1, 5)));
        Waits.until(() -> ticks.get() > 2, "b waits for a's row lock");
        a.abort();
        tb.join();
        assertEquals(1, updated.get());
        b.commit();
        assertEquals(5, valueOf(1));
        // and the locker can update its own locked row
        Transaction c = f.begin(IsolationLevel.READ_COMMITTED, 30);
        c.statementSnapshot();
        HeapTuple t = f.scan(rel, c).get(1);
        assertTrue(f.heap.lockTuple(rel, c, t.tid(), RowLockMode.FOR_NO_KEY_UPDATE, LockWaitPolicy.BLOCK).ok());
        assertTrue(f.heap.update(rel, c, t.tid(), new Object[] {1, 6}).ok());
        c.commit();
        assertEquals(6, valueOf(1));
    }
}
