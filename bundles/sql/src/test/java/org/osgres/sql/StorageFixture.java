package org.osgres.sql;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgres.api.error.PgException;
import org.osgres.api.index.IndexAccess;
import org.osgres.api.sql.ExecutionResult;
import org.osgres.api.sql.ParsedStatement;
import org.osgres.api.sql.Portal;
import org.osgres.api.sql.PreparedStatement;
import org.osgres.api.wal.WalFlush;
import org.osgres.buffer.SharedBufferPool;
import org.osgres.catalog.SystemCatalogImpl;
import org.osgres.clog.Clog;
import org.osgres.heap.HeapAccessMethod;
import org.osgres.shmem.SharedMemoryArea;
import org.osgres.shmem.ShmemSizing;
import org.osgres.testing.NoWal;
import org.osgres.transam.XactManager;

/**
 * The server's storage under the SQL engine, built as the server builds it over a temporary data
 * directory: shared memory, clog, buffer pool, transactions, heap, the catalog (bootstrapped on
 * first use) and, when given, the index access method. Sessions get transactions as the backend
 * gives them (TestSession.transaction / endStatement).
 */
final class StorageFixture {
    static final WalFlush NO_WAL = NoWal.FLUSH;

    final Path dir;
    final Clog clog;
    final SharedBufferPool buffers;
    final XactManager xacts;
    final HeapAccessMethod heap;
    final SystemCatalogImpl catalog;
    final PgSqlEngine engine;

    StorageFixture(Path dir, int sharedBuffers, boolean withIndexes) {
        this.dir = dir;
        org.osgres.testing.TestSettings settings = org.osgres.testing.TestSettings.of(dir, sharedBuffers);
        SharedMemoryArea shm = new SharedMemoryArea(ShmemSizing.of(sharedBuffers, -1, 10).total(),
                SharedMemoryArea.DEFAULT_CHUNK_SIZE);
        this.clog = new Clog(settings, shm, NO_WAL);
        this.buffers = new SharedBufferPool(settings, shm, NO_WAL);
        this.xacts = new XactManager(dir, clog);
        this.heap = new HeapAccessMethod(buffers, xacts);
        this.catalog = new SystemCatalogImpl(dir, buffers, xacts, heap);
        this.engine = SessionGoldenTest.engineWithRoles();
        engine.services().setHeap(heap);
        engine.services().setCatalog(catalog);
        IndexAccess indexes = withIndexes ? TestIndexes.create(buffers, heap) : null;
        if (indexes != null) {
            catalog.setIndexAccess(indexes);
            engine.services().setIndexAccess(indexes);
        }
    }

    TestSession session(int pid) {
        TestSession s = new TestSession();
        s.pid = pid;
        s.xacts = xacts;
        return s;
    }

    void stop() {
        catalog.shutdown();
        xacts.shutdown();
        buffers.flushDirty();
        clog.checkpoint();
    }

    /** The outcome of one query string, as the golden files write it (SessionGoldenTest's format). */
    List<String> run(TestSession session, String sql) {
        List<String> out = new ArrayList<>();
        session.notices.clear();
        boolean ok = true;
        try {
            for (ParsedStatement st : engine.parse(sql)) {
                if (session.transactionStatus() == org.osgres.api.sql.TransactionStatus.FAILED
                        && !st.isTransactionExit()) {
                    throw new PgException(org.osgres.api.error.SqlState.IN_FAILED_SQL_TRANSACTION,
                            "current transaction is aborted, commands ignored until end of transaction block");
                }
                PreparedStatement ps = engine.prepare(st, new int[0], session);
                Portal portal = ps.bind(List.of(), new short[0], new short[0], session);
                List<String> result = new ArrayList<>();
                for (var cd : portal.columns()) {
                    result.add("C " + GoldenTest.escape(cd.name()) + "\t" + cd.typeOid());
                }
                ExecutionResult res;
                try {
                    res = portal.execute(0, row -> {
                        StringBuilder sb = new StringBuilder("R ");
                        for (int i = 0; i < row.length; i++) {
                            if (i > 0) {
                                sb.append('\t');
                            }
                            sb.append(GoldenTest.escape(row[i] == null ? null
                                    : new String(row[i], java.nio.charset.StandardCharsets.UTF_8)));
                        }
                        result.add(sb.toString());
                    }, session);
                } finally {
                    portal.close();
                }
                result.add("T " + res.commandTag());
                out.clear();
                out.addAll(notices(session));
                out.addAll(result);
            }
        } catch (PgException e) {
            ok = false;
            out.clear();
            out.addAll(notices(session));
            out.add("E " + e.sqlState().code() + "\t" + GoldenTest.escape(e.getMessage()) + "\t" + e.position() + "\t"
                    + GoldenTest.escape(e.hint() == null ? "" : e.hint()) + "\t"
                    + GoldenTest.escape(e.detail() == null ? "" : e.detail()));
        } catch (RuntimeException | java.io.IOException e) {
            ok = false;
            out.clear();
            out.add("X " + e);
            e.printStackTrace();
        } finally {
            session.endStatement(ok);
        }
        return out;
    }

    private static List<String> notices(TestSession session) {
        List<String> out = new ArrayList<>();
        for (PgException n : session.notices) {
            out.add("N " + n.severity().wireName() + "\t" + GoldenTest.escape(n.getMessage()));
        }
        return out;
    }
}
