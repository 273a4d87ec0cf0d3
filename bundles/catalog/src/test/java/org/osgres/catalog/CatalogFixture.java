package org.osgres.catalog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.heap.HeapScan;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.Relation;
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

/** The storage stack and the catalogs over a data directory, built as the server builds them. */
final class CatalogFixture {
    static final WalFlush NO_WAL = NoWal.FLUSH;

    final Path dir;
    final Clog clog;
    final SharedBufferPool buffers;
    final XactManager xacts;
    final HeapAccessMethod heap;
    final SystemCatalogImpl catalog;
    final TestIndexAccess indexes;

    private CatalogFixture(Path dir) {
        this.dir = dir;
        TestSettings settings = TestSettings.of(dir, 128);
        SharedMemoryArea shm = new SharedMemoryArea(ShmemSizing.of(128, -1, 10).total(),
                SharedMemoryArea.DEFAULT_CHUNK_SIZE);
        this.clog = new Clog(settings, shm, NO_WAL);
        this.buffers = new SharedBufferPool(settings, shm, NO_WAL);
        this.xacts = new XactManager(dir, clog);
        this.heap = new HeapAccessMethod(buffers, xacts);
        this.catalog = new SystemCatalogImpl(dir, buffers, xacts, heap);
        this.indexes = new TestIndexAccess(buffers, heap);
        catalog.setIndexAccess(indexes);
    }

    static CatalogFixture start(Path dir) {
        return new CatalogFixture(dir);
    }

    /** Clean shutdown, in the order DS deactivates. */
    void stop() {
        catalog.shutdown();
        xacts.shutdown();
        buffers.flushDirty();
        clog.checkpoint();
    }

    Transaction begin(int pid) {
        return xacts.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(pid));
    }

    /** Every row of a relation the transaction's next statement sees. */
    List<Object[]> scan(Relation rel, Transaction tx) {
        List<Object[]> rows = new ArrayList<>();
        try (HeapScan scan = heap.beginScan(rel, tx, tx.statementSnapshot())) {
            for (HeapTuple t = scan.next(); t != null; t = scan.next()) {
                rows.add(t.values());
            }
        }
        return rows;
    }

    boolean fileExists(RelFileLocator loc) {
        return buffers.exists(loc, ForkNumber.MAIN);
    }
}
