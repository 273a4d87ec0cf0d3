package org.osgres.transam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.clog.XidStatus;
import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.error.SqlState;
import org.osgres.api.wal.WalInsert;
import org.osgres.api.xact.IsolationLevel;
import org.osgres.api.xact.LockMode;
import org.osgres.api.xact.LockTag;
import org.osgres.api.xact.Transaction;
import org.osgres.api.xact.WaitContext;
import org.osgres.clog.Clog;
import org.osgres.shmem.SharedMemoryArea;
import org.osgres.testing.DiscardableSharedMemory;
import org.osgres.testing.TestSettings;

/** After a crash the postmaster discards the shared memory: open transactions are dropped, nothing written. */
class DiscardedXactManagerTest {
    @TempDir
    Path dir;

    /** The WAL calls made, by method name: a WalInsert that only records (LSNs count up). */
    final List<String> walCalls = new CopyOnWriteArrayList<>();
    final WalInsert wal = (WalInsert) Proxy.newProxyInstance(WalInsert.class.getClassLoader(),
            new Class<?>[] {WalInsert.class}, recording());

    InvocationHandler recording() {
        return (proxy, method, args) -> {
            walCalls.add(method.getName());
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            Class<?> type = method.getReturnType();
            if (type == long.class) {
                return (long) walCalls.size() * 100;
            }
            return type == int.class ? 0 : type == boolean.class ? false : null;
        };
    }

    final DiscardableSharedMemory shm = new DiscardableSharedMemory(new SharedMemoryArea(4 << 20, 1 << 20));

    Clog clog() {
        return new Clog(TestSettings.of(dir, 128), shm, wal);
    }

    byte[] file(String name) throws IOException {
        return Files.readAllBytes(dir.resolve(name));
    }

    static void assertCrashShutdown(Executable write) {
        PgException e = assertThrows(PgException.class, write);
        assertEquals(SqlState.CRASH_SHUTDOWN, e.sqlState());
        assertEquals(Severity.FATAL, e.severity());
    }

    @Test
    void shutdownAfterADiscardDropsOpenTransactionsWritingNothing() throws IOException {
        Clog clog = clog();
        XactManager xm = XactManager.withWal(dir, clog, wal, shm);
        Transaction a = xm.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(1));
        Transaction b = xm.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(2));
        int xa = a.assignXid();
        int xb = b.assignXid();
        b.lock(LockTag.relation(5, 16384), LockMode.ROW_EXCLUSIVE);
        clog.checkpoint();
        byte[] pgXact = file("pg_xact/0000");
        byte[] mark = file(VarSup.FILE);
        walCalls.clear();

        shm.discard();
        xm.shutdown();

        assertEquals(List.of(), walCalls, "no abort record");
        assertFalse(xm.isInProgress(xa), "dropped");
        assertFalse(xm.isInProgress(xb));
        assertEquals(XidStatus.IN_PROGRESS, clog.status(xa), "no abort bit: a crashed xid stays in progress");
        assertEquals(XidStatus.IN_PROGRESS, clog.status(xb));
        assertArrayEquals(mark, file(VarSup.FILE), "the xid mark is not moved to the next xid");
        clog.checkpoint(); // no page to write: dropping changed none (a dirty one would be refused)
        assertArrayEquals(pgXact, file("pg_xact/0000"));
        // the locks went with them: a new transaction takes what b held without waiting
        Transaction c = xm.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(3));
        assertTrue(c.tryLock(LockTag.relation(5, 16384), LockMode.ACCESS_EXCLUSIVE));
    }

    @Test
    void aZombieSessionCannotCommitNorTakeAnXid() throws IOException {
        Clog clog = clog();
        XactManager xm = XactManager.withWal(dir, clog, wal, shm);
        Transaction writer = xm.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(1));
        int x = writer.assignXid();
        Transaction reader = xm.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(2));
        Transaction late = xm.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(3));
        byte[] mark = file(VarSup.FILE);
        walCalls.clear();

        shm.discard();

        assertCrashShutdown(writer::commit);
        assertEquals(List.of(), walCalls, "no commit record");
        assertTrue(xm.isInProgress(x), "refused: still in progress until the session's abort");
        writer.abort();
        assertFalse(xm.isInProgress(x));
        assertEquals(List.of(), walCalls, "no abort record");
        assertEquals(XidStatus.IN_PROGRESS, clog.status(x));
        assertCrashShutdown(late::assignXid);
        late.abort();
        reader.commit(); // no xid: nothing to write, nothing refused
        assertArrayEquals(mark, file(VarSup.FILE));
    }
}
