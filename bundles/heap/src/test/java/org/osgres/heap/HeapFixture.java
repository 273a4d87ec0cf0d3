package org.osgres.heap;

import org.osgres.testing.NoWal;
import org.osgres.testing.TestSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.heap.HeapScan;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.wal.WalFlush;
import org.osgres.api.xact.IsolationLevel;
import org.osgres.api.xact.Transaction;
import org.osgres.api.xact.WaitContext;
import org.osgres.buffer.SharedBufferPool;
import org.osgres.clog.Clog;
import org.osgres.shmem.SharedMemoryArea;
import org.osgres.shmem.ShmemSizing;
import org.osgres.transam.XactManager;

/** The storage stack over a data directory, built as the server builds it: shmem, clog, buffers, transactions, heap. */
final class HeapFixture {
    static final WalFlush NO_WAL = NoWal.FLUSH;
    static final int DB = 5;

    final Path dir;
    final Clog clog;
    final SharedBufferPool buffers;
    final XactManager xacts;
    final HeapAccessMethod heap;

    private HeapFixture(Path dir, int sharedBuffers) {
        this.dir = dir;
        TestSettings settings = TestSettings.of(dir, sharedBuffers);
        SharedMemoryArea shm = new SharedMemoryArea(ShmemSizing.of(sharedBuffers, -1, 10).total(),
                SharedMemoryArea.DEFAULT_CHUNK_SIZE);
        this.clog = new Clog(settings, shm, NO_WAL);
        this.buffers = new SharedBufferPool(settings, shm, NO_WAL);
        this.xacts = new XactManager(dir, clog);
        this.heap = new HeapAccessMethod(buffers, xacts);
    }

    static HeapFixture start(Path dir, int sharedBuffers) {
        return new HeapFixture(dir, sharedBuffers);
    }

    /** Clean shutdown, in the order DS deactivates: transactions, then the checkpoint's writes. */
    void stop() {
        xacts.shutdown();
        buffers.flushDirty();
        clog.checkpoint();
    }

    /** A crash after a checkpoint: pages and commit log on disk, the transactions never told. */
    void crashAfterCheckpoint() {
        buffers.flushDirty();
        clog.checkpoint();
    }

    Transaction begin(IsolationLevel level, int pid) {
        return xacts.begin(level, WaitContext.of(pid));
    }

    /** A transaction whose waits count their interrupt checks (one per 10 ms of waiting) into {@code waitTicks}. */
    Transaction begin(IsolationLevel level, int pid, AtomicInteger waitTicks, int deadlockMs, int lockTimeoutMs) {
        return xacts.begin(level, new WaitContext() {
            @Override
            public int pid() {
                return pid;
            }

            @Override
            public void checkInterrupts() {
                waitTicks.incrementAndGet();
            }

            @Override
            public int lockTimeoutMs() {
                return lockTimeoutMs;
            }

            @Override
            public int deadlockTimeoutMs() {
                return deadlockMs;
            }
        });
    }

    Relation relation(String name, int relNumber, TupleDesc desc) {
        return Relation.of(RelFileLocator.of(DB, relNumber), relNumber, name, desc);
    }

    /** Every tuple the transaction's next statement sees. */
    List<HeapTuple> scan(Relation rel, Transaction tx) {
        List<HeapTuple> rows = new ArrayList<>();
        try (HeapScan scan = heap.beginScan(rel, tx, tx.statementSnapshot())) {
            for (HeapTuple t = scan.next(); t != null; t = scan.next()) {
                rows.add(t);
            }
        }
        return rows;
    }
}
