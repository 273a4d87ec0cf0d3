package org.osgres.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgres.api.catalog.SystemCatalog;
import org.osgres.api.clog.CommitLog;
import org.osgres.api.clog.XidStatus;
import org.osgres.api.config.Settings;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.HeapAccess;
import org.osgres.api.heap.HeapScan;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.ModifyResult;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.TmResult;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.heap.VacuumResult;
import org.osgres.api.xact.IsolationLevel;
import org.osgres.api.xact.Transaction;
import org.osgres.api.xact.TransactionManager;
import org.osgres.api.xact.WaitContext;

/**
 * The transaction manager and the heap access method in Felix: injected as services over the
 * real buffer pool and commit log, storing, updating, scanning and vacuuming a table in the
 * data directory's files.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HeapInFrameworkIT {
    /** The catalog bootstrap recreates base/5 as it starts: wait for it before writing files there. */
    @Inject
    SystemCatalog catalog;

    @Inject
    BundleContext context;

    @Inject
    Settings settings;

    @Inject
    TransactionManager xacts;

    @Inject
    HeapAccess heap;

    @Inject
    CommitLog clog;

    @Configuration
    public Option[] config() throws IOException {
        Path data = OsgresExam.dataDirectory("osgres-heap-itest-", OsgresExam.freePort(), "shared_buffers = 1MB");
        return options(OsgresExam.frameworkOptions(data).toArray(new Option[0]));
    }

    @Test
    public void transamAndHeapBundlesAreActive() {
        for (String name : List.of("org.osgres.transam", "org.osgres.heap")) {
            Bundle b = Arrays.stream(context.getBundles()).filter(x -> name.equals(x.getSymbolicName())).findFirst()
                    .orElseThrow(() -> new AssertionError("bundle " + name + " is not installed"));
            assertEquals(name + " state", Bundle.ACTIVE, b.getState());
        }
    }

    @Test
    public void rowsAreStoredUpdatedScannedAndVacuumed() throws Exception {
        Relation rel = Relation.of(org.osgres.api.buffer.RelFileLocator.of(5, 16500), 16500, "itest",
                TupleDesc.of(Attribute.of("id", Attribute.INT4), Attribute.of("v", Attribute.TEXT)));
        heap.createStorage(rel);
        Transaction t = xacts.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(1));
        ItemPointer first = null;
        for (int i = 0; i < 5000; i++) {
            ItemPointer tid = heap.insert(rel, t, new Object[] {i, "row " + i});
            first = first == null ? tid : first;
        }
        t.commit();
        assertEquals(XidStatus.COMMITTED, clog.status(t.xid()));

        // a concurrent update: b waits for a, then updates the version a made (READ COMMITTED)
        Transaction a = xacts.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(2));
        a.statementSnapshot();
        ModifyResult ra = heap.update(rel, a, first, new Object[] {0, "by a"});
        assertEquals(TmResult.OK, ra.result());
        Transaction b = xacts.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(3));
        b.statementSnapshot();
        ItemPointer old = first;
        ModifyResult[] rb = new ModifyResult[1];
        Thread tb = Thread.ofVirtual().start(() -> rb[0] = heap.update(rel, b, old, new Object[] {0, "by b"}));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (tb.getState() != Thread.State.TIMED_WAITING && tb.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        a.commit();
        tb.join(10_000);
        assertEquals(TmResult.UPDATED, rb[0].result());
        assertEquals("by a", rb[0].latest().values()[1]);
        assertEquals(TmResult.OK, heap.update(rel, b, rb[0].latest().tid(), new Object[] {0, "by b after a"}).result());
        b.commit();

        Transaction r = xacts.begin(IsolationLevel.REPEATABLE_READ, WaitContext.of(4));
        int n = 0;
        String v0 = null;
        try (HeapScan scan = heap.beginScan(rel, r, r.statementSnapshot())) {
            for (HeapTuple tuple = scan.next(); tuple != null; tuple = scan.next()) {
                n++;
                if ((int) tuple.values()[0] == 0) {
                    v0 = (String) tuple.values()[1];
                }
            }
        }
        r.commit();
        assertEquals(5000, n);
        assertEquals("by b after a", v0);

        Transaction v = xacts.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(5));
        VacuumResult result = heap.vacuum(rel, v);
        v.commit();
        assertEquals(2, result.tuplesRemoved());
        assertEquals(5000, result.tuplesRemaining());
        assertTrue(Files.size(settings.dataDirectory().resolve("base/5/16500")) > 0);
        assertTrue(Files.exists(settings.dataDirectory().resolve("global/osgres_xid")));
    }
}
