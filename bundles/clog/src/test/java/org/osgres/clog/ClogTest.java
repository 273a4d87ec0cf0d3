package org.osgres.clog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.clog.CommitLog;
import org.osgres.api.clog.XidStatus;
import org.osgres.api.error.PgException;
import org.osgres.api.wal.WalFlush;
import org.osgres.shmem.SharedMemoryArea;
import org.osgres.testing.NoWal;

class ClogTest {
    static final int PAGE = CommitLog.XACTS_PER_PAGE;
    static final WalFlush NO_WAL = NoWal.FLUSH;

    static Clog clog(Path dir, int buffers, WalFlush wal) {
        return new Clog(new SharedMemoryArea(1 << 20, 1 << 20), buffers, dir.resolve("pg_xact"), wal);
    }

    @Test
    void twoBitsPerXidAsPostgresStoresThem(@TempDir Path dir) throws Exception {
        Clog clog = clog(dir, 4, NO_WAL);
        clog.extend(3);
        assertEquals(XidStatus.IN_PROGRESS, clog.status(3));
        clog.setStatus(3, XidStatus.COMMITTED, 0);
        clog.setStatus(4, XidStatus.ABORTED, 0);
        clog.setTreeStatus(5, new int[] {6}, XidStatus.COMMITTED, 0);
        assertEquals(XidStatus.COMMITTED, clog.status(3));
        assertEquals(XidStatus.ABORTED, clog.status(4));
        assertEquals(XidStatus.COMMITTED, clog.status(6));
        assertEquals(XidStatus.IN_PROGRESS, clog.status(7));
        clog.checkpoint();
        byte[] seg = Files.readAllBytes(dir.resolve("pg_xact/0000"));
        assertEquals(8192, seg.length, "only the pages written");
        assertEquals(0x40, seg[0] & 0xff, "xid 3: bits 6-7 of byte 0");
        assertEquals(0x01 << 4 | 0x01 << 2 | 0x02, seg[1] & 0xff, "xids 4 to 7 in byte 1: aborted, committed, committed, in progress");
    }

    @Test
    void statusesSurviveRestart(@TempDir Path dir) {
        Clog clog = clog(dir, 4, NO_WAL);
        clog.extend(3);
        for (int xid = 3; xid < 1000; xid++) {
            clog.setStatus(xid, xid % 3 == 0 ? XidStatus.ABORTED : XidStatus.COMMITTED, 0);
        }
        clog.deactivate(); // checkpoint
        Clog again = clog(dir, 4, NO_WAL);
        for (int xid = 3; xid < 1000; xid++) {
            assertEquals(xid % 3 == 0 ? XidStatus.ABORTED : XidStatus.COMMITTED, again.status(xid), "xid " + xid);
        }
        assertEquals(XidStatus.IN_PROGRESS, again.status(1000));
    }

    @Test
    void manyXidsAcrossSegmentsThroughFourBuffers(@TempDir Path dir) throws Exception {
        Clog clog = clog(dir, 4, NO_WAL);
        int pages = 70; // segments 0000, 0001, 0002
        clog.extend(3);
        for (int p = 1; p < pages; p++) {
            clog.extend(p * PAGE);
        }
        List<Integer> xids = sample(pages);
        for (int xid : xids) {
            clog.setStatus(xid, expected(xid), 0);
        }
        for (int xid : xids) {
            assertEquals(expected(xid), clog.status(xid), "xid " + xid);
        }
        clog.checkpoint();
        assertEquals(32 * 8192, Files.size(dir.resolve("pg_xact/0000")));
        assertEquals(32 * 8192, Files.size(dir.resolve("pg_xact/0001")));
        assertEquals(6 * 8192, Files.size(dir.resolve("pg_xact/0002")));
        Clog again = clog(dir, 4, NO_WAL);
        for (int xid : xids) {
            assertEquals(expected(xid), again.status(xid), "after restart, xid " + xid);
        }
        // truncate below page 40: segment 0000 (pages 0-31) goes, 0001 holds page 32 up
        again.truncate(40 * PAGE + 17);
        assertFalse(Files.exists(dir.resolve("pg_xact/0000")));
        assertTrue(Files.exists(dir.resolve("pg_xact/0001")));
        assertEquals(expected(33 * PAGE), again.status(33 * PAGE));
        PgException e = assertThrows(PgException.class, () -> again.status(5 * PAGE + 1));
        assertEquals("58P01", e.sqlState().code());
        assertEquals("could not access status of transaction " + (5 * PAGE + 1), e.getMessage());
        assertEquals("Could not open file \"pg_xact/0000\": No such file or directory.", e.detail());
    }

    private static List<Integer> sample(int pages) {
        List<Integer> xids = new ArrayList<>();
        for (int p = 0; p < pages; p++) {
            xids.add(Math.max(3, p * PAGE));
            xids.add(p * PAGE + 1234);
            xids.add(p * PAGE + PAGE - 1);
        }
        return xids;
    }

    private static XidStatus expected(int xid) {
        return switch (Integer.remainderUnsigned(xid * 31, 3)) {
            case 0 -> XidStatus.COMMITTED;
            case 1 -> XidStatus.ABORTED;
            default -> XidStatus.SUB_COMMITTED;
        };
    }

    @Test
    void concurrentSettersOnOnePage(@TempDir Path dir) throws Exception {
        Clog clog = clog(dir, 4, NO_WAL);
        clog.extend(3);
        int threads = 8;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            ts.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int xid = first; xid < PAGE; xid += threads) {
                        clog.setStatus(xid, xid % 2 == 0 ? XidStatus.COMMITTED : XidStatus.ABORTED, 0);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(null, failure.get());
        for (int xid = 0; xid < PAGE; xid++) {
            assertEquals(xid % 2 == 0 ? XidStatus.COMMITTED : XidStatus.ABORTED, clog.status(xid), "xid " + xid);
        }
    }

    @Test
    void walIsFlushedToThePageLsnBeforeItIsWritten(@TempDir Path dir) {
        List<Long> flushed = new ArrayList<>();
        WalFlush wal = new WalFlush() {
            @Override
            public void flush(long lsn) {
                flushed.add(lsn);
                assertFalse(Files.exists(dir.resolve("pg_xact/0000")), "WAL before the page");
            }

            @Override
            public long flushedUpTo() {
                return 0;
            }
        };
        Clog clog = clog(dir, 4, wal);
        clog.extend(3);
        clog.setStatus(3, XidStatus.COMMITTED, 0x500);
        clog.setStatus(4, XidStatus.COMMITTED, 0x300);
        clog.checkpoint();
        assertEquals(List.of(0x500L), flushed);
    }

    @Test
    void aPageNeverWrittenIsAnError(@TempDir Path dir) {
        Clog clog = clog(dir, 4, NO_WAL);
        PgException e = assertThrows(PgException.class, () -> clog.status(100));
        assertEquals("could not access status of transaction 100", e.getMessage());
        assertEquals("Could not open file \"pg_xact/0000\": No such file or directory.", e.detail());
    }

    @Test
    void treeCommitAcrossPages(@TempDir Path dir) {
        Clog clog = clog(dir, 4, NO_WAL);
        clog.extend(3);
        clog.extend(PAGE);
        clog.extend(2 * PAGE);
        int parent = PAGE + 5;
        int[] subs = {PAGE + 6, 2 * PAGE + 1, PAGE - 1};
        clog.setTreeStatus(parent, subs, XidStatus.COMMITTED, 0);
        assertEquals(XidStatus.COMMITTED, clog.status(parent));
        for (int s : subs) {
            assertEquals(XidStatus.COMMITTED, clog.status(s));
        }
        clog.setTreeStatus(PAGE + 100, new int[] {2 * PAGE + 2}, XidStatus.ABORTED, 0);
        assertEquals(XidStatus.ABORTED, clog.status(2 * PAGE + 2));
        assertThrows(IllegalArgumentException.class, () -> clog.setTreeStatus(9, new int[] {10}, XidStatus.SUB_COMMITTED, 0));
    }

    @Test
    void postgresFormulasAndWraparoundOrder() {
        assertEquals(32, Clog.clogBuffers(16384));
        assertEquals(4, Clog.clogBuffers(1000));
        assertEquals(128, Clog.clogBuffers(1 << 20));
        assertEquals("0000", SimpleLru.segmentName(0));
        assertEquals("001F", SimpleLru.segmentName(31));
        assertEquals(131071, Clog.pageOf(-1), "xid 2^32 - 1 is on the last page");
        assertTrue(Clog.xidPrecedes(3, 4));
        assertTrue(Clog.xidPrecedes(-5, 10), "wraparound: 2^32 - 5 precedes 10");
        assertFalse(Clog.xidPrecedes(10, -5));
        assertTrue(Clog.xidPrecedes(2, 3), "special xids compare plainly");
        assertTrue(Clog.pagePrecedes(0, 32));
        assertFalse(Clog.pagePrecedes(32, 32));
    }
}
