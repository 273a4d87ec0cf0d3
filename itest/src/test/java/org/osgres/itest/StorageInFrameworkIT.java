package org.osgres.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

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
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgres.api.catalog.SystemCatalog;
import org.osgres.api.buffer.BufferManager;
import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.Page;
import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.clog.CommitLog;
import org.osgres.api.clog.XidStatus;
import org.osgres.api.config.Settings;
import org.osgres.api.shmem.SharedMemory;
import org.osgres.api.wal.Recovery;
import org.osgres.api.xact.TransactionManager;

/**
 * The storage foundation in Felix: shared memory sized from the settings, the buffer pool and
 * the commit log as services, doing real work on the data directory's files.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StorageInFrameworkIT {
    /** The catalog bootstrap recreates base/5 as it starts: wait for it before writing files there. */
    @Inject
    SystemCatalog catalog;

    @Inject
    BundleContext context;

    @Inject
    Settings settings;

    @Inject
    SharedMemory shmem;

    @Inject
    BufferManager buffers;

    @Inject
    CommitLog clog;

    @Configuration
    public Option[] config() throws IOException {
        Path data = OsgresExam.dataDirectory("osgres-storage-itest-", OsgresExam.freePort(), "shared_buffers = 1MB");
        return options(OsgresExam.frameworkOptions(data).toArray(new Option[0]));
    }

    @Test
    public void storageBundlesAreActive() {
        for (String name : List.of("org.osgres.shmem", "org.osgres.buffer", "org.osgres.clog")) {
            Bundle b = Arrays.stream(context.getBundles()).filter(x -> name.equals(x.getSymbolicName())).findFirst()
                    .orElseThrow(() -> new AssertionError("bundle " + name + " is not installed"));
            assertEquals(name + " state", Bundle.ACTIVE, b.getState());
        }
    }

    @Test
    public void sharedMemoryIsSizedFromTheSettings() {
        assertEquals("128", settings.get("shared_buffers"));
        assertEquals(128, buffers.bufferCount());
        Set<String> names = shmem.allocations().stream().map(SharedMemory.Allocation::name).collect(Collectors.toSet());
        assertTrue(names.toString(), names.containsAll(Set.of("Buffer Descriptors", "Buffer Blocks", "Buffer Strategy Status", "Xact")));
        assertTrue(shmem.size() > 128 * 8192);
        assertTrue(shmem.size() < 8 * 1024 * 1024);
    }

    @Test
    public void pagesGoThroughTheBufferPoolToRelationFiles() throws IOException {
        RelFileLocator rel = RelFileLocator.of(5, 16384);
        buffers.create(rel, ForkNumber.MAIN);
        int blocks = 3 * buffers.bufferCount(); // more than the pool holds
        for (int i = 0; i < blocks; i++) {
            int b = buffers.extend(rel, ForkNumber.MAIN);
            buffers.lockExclusive(b);
            ByteBuffer page = buffers.page(b);
            Page.init(page, 0);
            page.putInt(Page.HEADER_SIZE, i);
            buffers.markDirty(b);
            buffers.unlock(b);
            buffers.unpin(b);
        }
        buffers.flushRelation(rel);
        Path file = settings.dataDirectory().resolve("base/5/16384");
        assertEquals((long) blocks * 8192, Files.size(file));
        for (int i = 0; i < blocks; i += 7) {
            int b = buffers.pin(rel, ForkNumber.MAIN, i);
            buffers.lockShared(b);
            assertEquals(i, buffers.page(b).getInt(Page.HEADER_SIZE));
            buffers.unlock(b);
            buffers.unpin(b);
        }
        assertTrue(buffers.stats().toString(), buffers.stats().reads() > 0);
    }

    @Test
    public void commitLogWritesPgXact() {
        clog.extend(3);
        clog.setStatus(3, XidStatus.COMMITTED, 0);
        clog.setStatus(4, XidStatus.ABORTED, 0);
        clog.checkpoint();
        assertEquals(XidStatus.COMMITTED, clog.status(3));
        assertEquals(XidStatus.ABORTED, clog.status(4));
        assertEquals(XidStatus.IN_PROGRESS, clog.status(5));
        assertTrue(Files.exists(settings.dataDirectory().resolve("pg_xact/0000")));
    }

    /**
     * Startup order: the transaction manager comes only after crash recovery (its start marks the
     * last run's unfinished xids aborted, which must not race with the commit records redo sets).
     * A DS service is registered once its references are satisfied, and service ids grow with
     * registration, so the order shows in them.
     */
    @Test
    public void theTransactionManagerIsRegisteredAfterRecovery() {
        ServiceReference<Recovery> recovery = context.getServiceReference(Recovery.class);
        ServiceReference<TransactionManager> xacts = context.getServiceReference(TransactionManager.class);
        assertTrue("Recovery is registered", recovery != null);
        assertTrue("TransactionManager is registered", xacts != null);
        long recoveryId = (Long) recovery.getProperty(Constants.SERVICE_ID);
        long xactsId = (Long) xacts.getProperty(Constants.SERVICE_ID);
        assertTrue("TransactionManager (service " + xactsId + ") after Recovery (service " + recoveryId + ")",
                xactsId > recoveryId);
    }
}
