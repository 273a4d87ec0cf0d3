package org.osgres.wal;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.HeapScan;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.index.IndexRelation;
import org.osgres.api.index.IndexScan;
import org.osgres.api.index.ScanKey;
import org.osgres.api.wal.Recovery;
import org.osgres.api.xact.IsolationLevel;
import org.osgres.api.xact.Transaction;
import org.osgres.api.xact.WaitContext;
import org.osgres.btree.BtreeAccessMethod;
import org.osgres.btree.BtreeRedo;
import org.osgres.buffer.SharedBufferPool;
import org.osgres.buffer.SmgrRedo;
import org.osgres.clog.Clog;
import org.osgres.heap.HeapAccessMethod;
import org.osgres.heap.HeapRedo;
import org.osgres.shmem.SharedMemoryArea;
import org.osgres.shmem.ShmemSizing;
import org.osgres.testing.TestSettings;
import org.osgres.transam.XactManager;
import org.osgres.transam.XactRedo;

/**
 * The whole storage stack over the WAL in a data directory, started as the server starts it:
 * WAL, buffer pool, commit log, recovery with every resource manager's redo, then transactions,
 * heap and btree. A crash is simply walking away from an instance (no buffer, commit-log or WAL
 * buffer is written: kill -9) and starting a new one over the same directory.
 */
final class CrashStack {
    static final int DB = 5;
    static final TupleDesc ACCOUNTS = TupleDesc.of(Attribute.of("aid", Attribute.INT4),
            Attribute.of("abalance", Attribute.INT4), Attribute.of("filler", Attribute.TEXT));

    final Path dir;
    final TestSettings settings;
    final Xlog xlog;
    final SharedBufferPool buffers;
    final Clog clog;
    final Recovery.Result recovery;
    final XactManager xacts;
    final HeapAccessMethod heap;
    final BtreeAccessMethod btree;
    private final AtomicInteger pids = new AtomicInteger(100);

    CrashStack(Path dir, int sharedBuffers, String... overrides) {
        this.dir = dir;
        Map<String, String> v = new HashMap<>(WalTests.settings(dir, overrides).values());
        v.put("shared_buffers", Integer.toString(sharedBuffers));
        this.settings = new TestSettings(dir, Map.copyOf(v));
        SharedMemoryArea shm = new SharedMemoryArea(ShmemSizing.of(sharedBuffers, -1, 10).total() + (16L << 20),
                SharedMemoryArea.DEFAULT_CHUNK_SIZE);
        this.xlog = new Xlog(settings, shm, dir);
        this.buffers = new SharedBufferPool(settings, shm, xlog);
        this.clog = new Clog(settings, shm, xlog);
        RedoBufferManager rb = new RedoBufferManager(buffers);
        StartupXLog startup = new StartupXLog(xlog, buffers, clog, ZoneId.of("UTC"));
        startup.addRedo(new HeapRedo(rb));
        startup.addRedo(new HeapRedo.Heap2Redo(rb));
        startup.addRedo(new BtreeRedo(rb));
        startup.addRedo(new XactRedo(clog, buffers));
        startup.addRedo(clog);
        startup.addRedo(new SmgrRedo(buffers));
        this.recovery = startup.recover();
        this.xacts = XactManager.withWal(dir, clog, xlog);
        this.heap = new HeapAccessMethod(buffers, xacts, xlog);
        this.btree = new BtreeAccessMethod(buffers, heap, xlog);
    }

    /** What the checkpointer does: redo pointer, commit log and dirty pages out, checkpoint record. */
    void checkpoint() {
        long redo = xlog.startCheckpoint();
        clog.checkpoint();
        buffers.flushDirty();
        xlog.writeCheckpointRecord(redo, xacts.nextXid(), 20000, false);
    }

    Transaction begin() {
        return xacts.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(pids.incrementAndGet()));
    }

    Transaction beginAsync() {
        int pid = pids.incrementAndGet();
        return xacts.begin(IsolationLevel.READ_COMMITTED, new WaitContext() {
            @Override
            public int pid() {
                return pid;
            }

            @Override
            public boolean synchronousCommit() {
                return false;
            }
        });
    }

    static Relation accounts(int relNumber) {
        return Relation.of(RelFileLocator.of(DB, relNumber), relNumber, "accounts", ACCOUNTS);
    }

    static IndexRelation pkey(Relation heapRel, int relNumber) {
        return new IndexRelation(RelFileLocator.of(DB, relNumber), relNumber, "accounts_pkey", heapRel, List.of(1),
                TupleDesc.of(ACCOUNTS.get(0)), true, IndexRelation.DEFAULT_FILLFACTOR);
    }

    /** aid -> abalance of every row a new snapshot sees (a sequential scan). */
    Map<Integer, Integer> rows(Relation rel) {
        Transaction tx = begin();
        Map<Integer, Integer> rows = new HashMap<>();
        HeapScan scan = heap.beginScan(rel, tx, tx.statementSnapshot());
        try {
            for (HeapTuple t = scan.next(); t != null; t = scan.next()) {
                Object[] v = t.values();
                if (rows.put((Integer) v[0], (Integer) v[1]) != null) {
                    throw new AssertionError("aid " + v[0] + " seen twice");
                }
            }
        } finally {
            scan.close();
            tx.commit();
        }
        return rows;
    }

    /** The rows the index finds for one key. */
    List<Object[]> lookup(IndexRelation index, int aid) {
        Transaction tx = begin();
        List<Object[]> rows = new ArrayList<>();
        try (IndexScan scan = btree.beginScan(index, tx, tx.statementSnapshot(),
                List.of(new ScanKey(1, ScanKey.Strategy.EQUAL, aid)))) {
            for (HeapTuple t = scan.next(); t != null; t = scan.next()) {
                rows.add(t.values());
            }
        } finally {
            tx.commit();
        }
        return rows;
    }

    /** Every row in index order (a full index scan). */
    List<Integer> indexOrder(IndexRelation index) {
        Transaction tx = begin();
        List<Integer> aids = new ArrayList<>();
        try (IndexScan scan = btree.beginScan(index, tx, tx.statementSnapshot(),
                List.of(new ScanKey(1, ScanKey.Strategy.GREATER_EQUAL, Integer.MIN_VALUE)))) {
            for (HeapTuple t = scan.next(); t != null; t = scan.next()) {
                aids.add((Integer) t.values()[0]);
            }
        } finally {
            tx.commit();
        }
        return aids;
    }

    static Object[] row(int aid, int balance) {
        return new Object[] {aid, balance, "filler of account " + aid + " ".repeat(aid % 40)};
    }
}
