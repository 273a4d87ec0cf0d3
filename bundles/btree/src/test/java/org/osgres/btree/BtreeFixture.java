package org.osgres.btree;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.index.IndexRelation;
import org.osgres.api.index.IndexScan;
import org.osgres.api.index.ScanKey;
import org.osgres.api.wal.WalFlush;
import org.osgres.api.xact.IsolationLevel;
import org.osgres.api.xact.Transaction;
import org.osgres.api.xact.WaitContext;
import org.osgres.buffer.SharedBufferPool;
import org.osgres.clog.Clog;
import org.osgres.heap.HeapAccessMethod;
import org.osgres.shmem.SharedMemoryArea;
import org.osgres.shmem.ShmemSizing;
import org.osgres.testing.NoWal;
import org.osgres.testing.TestSettings;
import org.osgres.transam.XactManager;

/**
 * The storage stack over a temp data directory, built as the server builds it (shmem, clog,
 * buffers, transactions, heap) with the btree on top; small shared_buffers force eviction.
 */
final class BtreeFixture {
    static final WalFlush NO_WAL = NoWal.FLUSH;
    static final int DB = 5;

    final Clog clog;
    final SharedBufferPool buffers;
    final XactManager xacts;
    final HeapAccessMethod heap;
    final BtreeAccessMethod btree;
    private final AtomicInteger pids = new AtomicInteger(100);

    BtreeFixture(Path dir, int sharedBuffers) {
        TestSettings settings = TestSettings.of(dir, sharedBuffers);
        SharedMemoryArea shm = new SharedMemoryArea(ShmemSizing.of(sharedBuffers, -1, 10).total(),
                SharedMemoryArea.DEFAULT_CHUNK_SIZE);
        this.clog = new Clog(settings, shm, NO_WAL);
        this.buffers = new SharedBufferPool(settings, shm, NO_WAL);
        this.xacts = new XactManager(dir, clog);
        this.heap = new HeapAccessMethod(buffers, xacts);
        this.btree = new BtreeAccessMethod(buffers, heap);
    }

    void stop() {
        xacts.shutdown();
        buffers.flushDirty();
        clog.checkpoint();
    }

    Transaction begin() {
        return xacts.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(pids.incrementAndGet()));
    }

    /** A transaction whose waits count their interrupt checks (one per 10 ms of waiting). */
    Transaction begin(AtomicInteger waitTicks) {
        int pid = pids.incrementAndGet();
        return xacts.begin(IsolationLevel.READ_COMMITTED, new WaitContext() {
            @Override
            public int pid() {
                return pid;
            }

            @Override
            public void checkInterrupts() {
                waitTicks.incrementAndGet();
            }
        });
    }

    Relation table(String name, int relNumber, TupleDesc desc) {
        Relation rel = Relation.of(RelFileLocator.of(DB, relNumber), relNumber, name, desc);
        heap.createStorage(rel);
        return rel;
    }

    IndexRelation index(String name, int relNumber, Relation heapRel, List<Integer> attnums, boolean unique) {
        return index(name, relNumber, heapRel, attnums, unique, IndexRelation.DEFAULT_FILLFACTOR);
    }

    IndexRelation index(String name, int relNumber, Relation heapRel, List<Integer> attnums, boolean unique, int fillfactor) {
        List<org.osgres.api.heap.Attribute> atts = new ArrayList<>();
        for (int a : attnums) {
            atts.add(heapRel.desc().get(a - 1));
        }
        return new IndexRelation(RelFileLocator.of(DB, relNumber), relNumber, name, heapRel, attnums,
                new TupleDesc(atts), unique, fillfactor);
    }

    /** INSERT: the heap row, then its index entries (as the executor's ExecInsertIndexTuples). */
    ItemPointer insert(Transaction tx, Relation rel, Object[] row, IndexRelation... indexes) {
        ItemPointer tid = heap.insert(rel, tx, row);
        for (IndexRelation index : indexes) {
            btree.insert(index, tx, index.keyOf(row), tid);
        }
        return tid;
    }

    /** The rows an index scan returns, in order. */
    List<Object[]> scan(IndexRelation index, Transaction tx, ScanKey... keys) {
        List<Object[]> rows = new ArrayList<>();
        try (IndexScan scan = btree.beginScan(index, tx, tx.statementSnapshot(), List.of(keys))) {
            for (HeapTuple t = scan.next(); t != null; t = scan.next()) {
                rows.add(t.values());
            }
        }
        return rows;
    }

    static void until(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(2);
        }
    }
}
