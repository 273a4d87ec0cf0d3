package org.osgres.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgres.api.catalog.SystemCatalog;
import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.config.Settings;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.HeapAccess;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.index.IndexAccess;
import org.osgres.api.index.IndexRelation;
import org.osgres.api.index.IndexScan;
import org.osgres.api.index.ScanKey;
import org.osgres.api.xact.IsolationLevel;
import org.osgres.api.xact.Transaction;
import org.osgres.api.xact.TransactionManager;
import org.osgres.api.xact.WaitContext;

/**
 * The btree access method in Felix: the IndexAccess service over the real heap, buffer pool and
 * transactions, building, inserting with a unique check, and scanning a range.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class IndexInFrameworkIT {
    /** The catalog bootstrap recreates base/5 as it starts: wait for it before writing files there. */
    @Inject
    SystemCatalog catalog;

    @Inject
    Settings settings;

    @Inject
    TransactionManager xacts;

    @Inject
    HeapAccess heap;

    @Inject
    IndexAccess btree;

    @Configuration
    public Option[] config() throws IOException {
        Path data = OsgresExam.dataDirectory("osgres-index-itest-", OsgresExam.freePort(), "shared_buffers = 1MB");
        return options(OsgresExam.frameworkOptions(data).toArray(new Option[0]));
    }

    @Test
    public void buildInsertAndScan() throws Exception {
        TupleDesc desc = TupleDesc.of(Attribute.of("aid", Attribute.INT4), Attribute.of("v", Attribute.TEXT));
        Relation rel = Relation.of(RelFileLocator.of(5, 16600), 16600, "itest_accounts", desc);
        heap.createStorage(rel);
        Transaction t = xacts.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(1));
        for (int i = 0; i < 3000; i++) {
            heap.insert(rel, t, new Object[] {i, "row " + i});
        }
        t.commit();
        IndexRelation pkey = new IndexRelation(RelFileLocator.of(5, 16601), 16601, "itest_accounts_pkey", rel,
                List.of(1), TupleDesc.of(desc.get(0)), true, IndexRelation.DEFAULT_FILLFACTOR);
        btree.createStorage(pkey);
        Transaction b = xacts.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(2));
        assertEquals(3000, btree.build(pkey, b));
        b.commit();

        Transaction w = xacts.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(3));
        ItemPointer tid = heap.insert(rel, w, new Object[] {3000, "new"});
        btree.insert(pkey, w, new Object[] {3000}, tid);
        ItemPointer dup = heap.insert(rel, w, new Object[] {5, "dup"});
        PgException e = assertThrows(PgException.class, () -> btree.insert(pkey, w, new Object[] {5}, dup));
        assertEquals(SqlState.UNIQUE_VIOLATION, e.sqlState());
        assertEquals("Key (aid)=(5) already exists.", e.detail());
        w.abort();

        Transaction r = xacts.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(4));
        int n = 0;
        int last = -1;
        try (IndexScan scan = btree.beginScan(pkey, r, r.statementSnapshot(),
                List.of(new ScanKey(1, ScanKey.Strategy.GREATER_EQUAL, 100), new ScanKey(1, ScanKey.Strategy.LESS, 200)))) {
            for (HeapTuple h = scan.next(); h != null; h = scan.next()) {
                int aid = (int) h.values()[0];
                assertEquals(last < 0 ? 100 : last + 1, aid);
                last = aid;
                n++;
            }
        }
        r.commit();
        assertEquals(100, n);
        assertEquals(btree.nblocks(pkey) * 8192, Files.size(settings.dataDirectory().resolve("base/5/16601")));
    }
}
