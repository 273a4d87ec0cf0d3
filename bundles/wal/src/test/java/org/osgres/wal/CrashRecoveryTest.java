package org.osgres.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.buffer.Page;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.TmResult;
import org.osgres.api.index.IndexRelation;
import org.osgres.api.xact.Transaction;

/**
 * kill -9 at the unit level: the storage stack is abandoned with dirty buffers, an unwritten
 * commit log and unflushed WAL, and a new one recovers over the same directory. Every committed
 * change must be there, nothing uncommitted, and the unique index must agree with the heap.
 */
class CrashRecoveryTest {
    @TempDir
    Path dir;

    /** The rows, their unique index, and what committed: aid -> balance. */
    private static final class Bank {
        final Relation rel = CrashStack.accounts(16384);
        final IndexRelation pkey = CrashStack.pkey(rel, 16385);
        final Map<Integer, ItemPointer> tids = new HashMap<>();
        final Map<Integer, Integer> committed = new TreeMap<>();

        void create(CrashStack s) {
            s.heap.createStorage(rel);
            s.btree.createStorage(pkey);
        }

        void insert(CrashStack s, Transaction tx, int aid, int balance) {
            Object[] row = CrashStack.row(aid, balance);
            ItemPointer tid = s.heap.insert(rel, tx, row);
            s.btree.insert(pkey, tx, new Object[] {aid}, tid);
            tids.put(aid, tid);
        }

        void update(CrashStack s, Transaction tx, int aid, int balance) {
            var r = s.heap.update(rel, tx, tids.get(aid), CrashStack.row(aid, balance));
            assertEquals(TmResult.OK, r.result());
            s.btree.insert(pkey, tx, new Object[] {aid}, r.tid());
            tids.put(aid, r.tid());
        }

        void delete(CrashStack s, Transaction tx, int aid) {
            assertEquals(TmResult.OK, s.heap.delete(rel, tx, tids.get(aid)).result());
        }

        /** The heap holds exactly the committed rows, and the index finds each, once, with its balance. */
        void check(CrashStack s) {
            Map<Integer, Integer> found = new TreeMap<>(s.rows(rel));
            if (!committed.equals(found)) {
                List<String> diff = new ArrayList<>();
                committed.forEach((k, v) -> {
                    if (!v.equals(found.get(k))) {
                        diff.add(k + ": " + v + " != " + found.get(k));
                    }
                });
                found.forEach((k, v) -> {
                    if (!committed.containsKey(k)) {
                        diff.add(k + ": extra " + v);
                    }
                });
                throw new AssertionError("the heap after recovery differs in " + diff.size() + " rows, first: "
                        + diff.subList(0, Math.min(20, diff.size())));
            }
            for (var e : committed.entrySet()) {
                List<Object[]> hits = s.lookup(pkey, e.getKey());
                assertEquals(1, hits.size(), "index entries for aid " + e.getKey());
                assertEquals(e.getValue(), hits.get(0)[1], "balance of aid " + e.getKey() + " through the index");
            }
            assertEquals(new ArrayList<>(committed.keySet()), s.indexOrder(pkey), "a full index scan");
        }
    }

    @Test
    void committedChangesSurviveACrashAndUncommittedOnesAreGone() {
        Bank bank = new Bank();
        CrashStack s = new CrashStack(dir, 64);
        bank.create(s);
        Transaction t1 = s.begin();
        for (int aid = 1; aid <= 2000; aid++) {
            bank.insert(s, t1, aid, aid * 10);
            bank.committed.put(aid, aid * 10);
        }
        t1.commit();
        Transaction t2 = s.begin();
        for (int aid = 1; aid <= 2000; aid += 7) {
            bank.update(s, t2, aid, -aid);
            bank.committed.put(aid, -aid);
        }
        t2.commit();
        Transaction t3 = s.begin();
        for (int aid = 3; aid <= 2000; aid += 11) {
            bank.delete(s, t3, aid);
            bank.committed.remove(aid);
        }
        t3.commit();
        Transaction aborted = s.begin();
        for (int aid = 5000; aid < 5100; aid++) {
            bank.insert(s, aborted, aid, 1);
        }
        aborted.abort();
        // in progress at the crash: an insert, updates, deletes
        Transaction open = s.begin();
        for (int aid = 6000; aid < 6100; aid++) {
            bank.insert(s, open, aid, 1);
        }
        for (int aid = 2; aid <= 2000; aid += 13) {
            if (bank.committed.containsKey(aid)) {
                bank.update(s, open, aid, 999_999);
            }
        }
        open.commandCounterIncrement();
        for (int aid = 4; aid <= 2000; aid += 17) {
            if (bank.committed.containsKey(aid)) {
                bank.delete(s, open, aid);
            }
        }
        // crash: nothing written, the open transaction never ends

        CrashStack r = new CrashStack(dir, 64);
        assertTrue(r.recovery.ran(), "crash recovery ran");
        assertTrue(r.recovery.recordsReplayed() > 2000, "records replayed: " + r.recovery.recordsReplayed());
        bank.check(r);
        // the unique index still rejects a committed key and accepts the keys of what did not commit
        Transaction dup = r.begin();
        PgException e = assertThrows(PgException.class, () -> bank.insert(r, dup, 1, 0));
        assertEquals(SqlState.UNIQUE_VIOLATION, e.sqlState());
        dup.abort();
        Transaction again = r.begin();
        bank.insert(r, again, 6000, 42);
        bank.insert(r, again, 5000, 43);
        again.commit();
        bank.committed.put(6000, 42);
        bank.committed.put(5000, 43);
        bank.check(r);
        assertTrue(Integer.compareUnsigned(r.xacts.nextXid(), open.xid()) > 0, "no xid is handed out twice");
    }

    @Test
    void changesAfterACheckpointAreRedoneOverTheWrittenPages() {
        Bank bank = new Bank();
        CrashStack s = new CrashStack(dir, 32);
        bank.create(s);
        Transaction t1 = s.begin();
        for (int aid = 1; aid <= 1500; aid++) {
            bank.insert(s, t1, aid, aid);
            bank.committed.put(aid, aid);
        }
        t1.commit();
        s.checkpoint();
        Transaction t2 = s.begin();
        for (int aid = 1; aid <= 1500; aid += 3) {
            bank.update(s, t2, aid, aid + 1);
            bank.committed.put(aid, aid + 1);
        }
        for (int aid = 1501; aid <= 2500; aid++) {
            bank.insert(s, t2, aid, aid);
            bank.committed.put(aid, aid);
        }
        t2.commit();
        Transaction open = s.begin();
        bank.update(s, open, 2, 0);

        CrashStack r = new CrashStack(dir, 32);
        assertTrue(r.recovery.ran());
        bank.check(r);
        // a second crash right after recovery (its end-of-recovery checkpoint) loses nothing either
        CrashStack r2 = new CrashStack(dir, 32);
        bank.check(r2);
    }

    @Test
    void vacuumAndTruncationAreRedone() {
        Bank bank = new Bank();
        CrashStack s = new CrashStack(dir, 64);
        bank.create(s);
        Transaction t1 = s.begin();
        for (int aid = 1; aid <= 1200; aid++) {
            bank.insert(s, t1, aid, aid);
            bank.committed.put(aid, aid);
        }
        t1.commit();
        s.checkpoint();
        Transaction t2 = s.begin();
        for (int aid = 1; aid <= 1200; aid++) {
            if (aid % 2 == 0 || aid > 600) {
                bank.delete(s, t2, aid);
                bank.committed.remove(aid);
            }
        }
        t2.commit();
        long before = s.heap.nblocks(bank.rel);
        Transaction v = s.begin();
        var result = s.heap.vacuum(bank.rel, v, dead -> s.btree.bulkDelete(bank.pkey, dead));
        v.commit();
        assertTrue(result.pagesTruncated() > 0, "vacuum truncated pages: " + result);
        assertTrue(s.heap.nblocks(bank.rel) < before);
        Transaction t3 = s.begin();
        for (int aid = 3000; aid < 3400; aid++) {
            bank.insert(s, t3, aid, aid);
            bank.committed.put(aid, aid);
        }
        t3.commit();

        CrashStack r = new CrashStack(dir, 64);
        bank.check(r);
    }

    @Test
    void aRelationFileLostBeforeItsCreationWasDurableIsRebuiltFromWal() throws Exception {
        Bank bank = new Bank();
        CrashStack s = new CrashStack(dir, 64);
        bank.create(s);
        Transaction t1 = s.begin();
        for (int aid = 1; aid <= 800; aid++) {
            bank.insert(s, t1, aid, aid);
            bank.committed.put(aid, aid);
        }
        t1.commit();
        Files.delete(dir.resolve("base/5/16384"));
        Files.delete(dir.resolve("base/5/16385"));

        CrashStack r = new CrashStack(dir, 64);
        assertTrue(Files.exists(dir.resolve("base/5/16384")), "XLOG_SMGR_CREATE made the file again");
        bank.check(r);
    }

    @Test
    void aTornPageIsRepairedByItsFullPageImage() throws Exception {
        Bank bank = new Bank();
        CrashStack s = new CrashStack(dir, 64);
        bank.create(s);
        Transaction t1 = s.begin();
        for (int aid = 1; aid <= 100; aid++) {
            bank.insert(s, t1, aid, aid);
            bank.committed.put(aid, aid);
        }
        t1.commit();
        s.checkpoint(); // block 0 is on disk, and the next change to it logs a full-page image
        Path file = dir.resolve("base/5/16384");
        byte[] old = block(file, 0);

        Transaction t2 = s.begin();
        for (int aid = 1; aid <= 10; aid++) {
            bank.update(s, t2, aid, 7000 + aid);
            bank.committed.put(aid, 7000 + aid);
        }
        Transaction t3 = s.begin();
        bank.delete(s, t3, 20);
        bank.committed.remove(20);
        t3.commit();
        t2.commit();
        s.buffers.flushDirty();
        byte[] written = block(file, 0);
        assertFalse(Arrays.equals(old, written));
        // the crash tore the write: the kernel had the first half of the new page, the second half is the old one
        byte[] torn = old.clone();
        System.arraycopy(written, 0, torn, 0, Page.SIZE / 2);
        assertFalse(Arrays.equals(torn, written));
        assertFalse(Arrays.equals(torn, old));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(torn), 0);
            ch.force(true);
        }

        CrashStack r = new CrashStack(dir, 64);
        assertTrue(r.recovery.ran());
        // the end-of-recovery checkpoint wrote the page: byte for byte the one the crash tore,
        // pd_lsn included (redo stamps each page with the LSN of the last record it applied)
        assertTrue(Arrays.equals(written, block(file, 0)), "redo rebuilt block 0 byte for byte");
        bank.check(r);
    }

    @Test
    void anAsynchronousCommitIsAllOrNothingAndASynchronousOneAfterItKeepsIt() {
        Bank bank = new Bank();
        CrashStack s = new CrashStack(dir, 64);
        bank.create(s);
        Transaction async = s.beginAsync();
        for (int aid = 1; aid <= 300; aid++) {
            bank.insert(s, async, aid, aid);
        }
        async.commit();
        // the WAL writer has not run: the commit record may be anywhere; a later synchronous
        // commit flushes everything before it, the asynchronous commit included
        Transaction sync = s.begin();
        bank.insert(s, sync, 1000, 1);
        sync.commit();
        for (int aid = 1; aid <= 300; aid++) {
            bank.committed.put(aid, aid);
        }
        bank.committed.put(1000, 1);

        CrashStack r = new CrashStack(dir, 64);
        bank.check(r);
    }

    /**
     * SetHintBits' rule for asynchronous commits. With full-page writes, redo would restore an
     * image taken before the hint anyway; without them (or for a page not changed again) the
     * page on disk is what redo starts from, hint bits included.
     */
    @Test
    void aHintBitNeverOutlivesAnAsynchronousCommitTheCrashLost() {
        Bank bank = new Bank();
        CrashStack s = new CrashStack(dir, 64, "full_page_writes", "off");
        bank.create(s);
        Transaction sync = s.begin();
        bank.insert(s, sync, 1, 1);
        sync.commit();
        bank.committed.put(1, 1);
        s.checkpoint(); // redo starts from the pages on disk
        Transaction async = s.beginAsync();
        bank.insert(s, async, 2, 2);
        // a synchronous commit flushes WAL past the asynchronous transaction's row (its page's
        // LSN), but not past its commit record, which comes after
        Transaction other = s.begin();
        bank.insert(s, other, 3, 3);
        other.commit();
        bank.committed.put(3, 3);
        async.commit();
        long commitEnd = s.xlog.insertLsn();
        assertTrue(Long.compareUnsigned(s.xlog.flushedUpTo(), commitEnd) < 0, "the WAL writer is not running");
        assertEquals(Map.of(1, 1, 2, 2, 3, 3), s.rows(bank.rel), "the asynchronous commit is visible at once");
        // the scan looked at row 2: a hint bit would say committed; the page goes to disk, its
        // LSN already flushed, so writing it flushes no more WAL
        s.buffers.flushDirty();
        assertTrue(Long.compareUnsigned(s.xlog.flushedUpTo(), commitEnd) < 0, "the commit is still not durable");

        CrashStack r = new CrashStack(dir, 64, "full_page_writes", "off");
        bank.check(r); // row 2 is gone: no hint bit on disk claims its transaction committed
    }

    /**
     * A crash between a leaf split's record and the insert of its downlink: the WAL is cut just
     * after the split (the parent's record never reached disk). Redo leaves the left half marked
     * BTP_INCOMPLETE_SPLIT; scans find the right half through the right-link, and the next
     * inserts finish the split before the right half splits in turn.
     */
    @Test
    void aSplitWhoseDownlinkWasLostIsFinishedByTheNextInserter() throws Exception {
        Bank bank = new Bank();
        CrashStack s = new CrashStack(dir, 1024); // nothing is evicted: the pages come from WAL alone
        bank.create(s);
        Transaction t1 = s.begin();
        for (int aid = 1; aid <= 3000; aid++) {
            bank.insert(s, t1, aid * 10, aid);
            bank.committed.put(aid * 10, aid);
        }
        t1.commit();
        Transaction t2 = s.begin();
        for (int aid = 1; aid <= 400; aid++) {
            bank.insert(s, t2, aid * 10 + 5, aid); // splits leaves in the middle of the key range
        }
        t2.commit();
        s.xlog.flush(s.xlog.insertLsn());
        // the last leaf split of t2, and the end of WAL cut right after it
        long splitEnd = -1;
        try (XLogReader reader = new XLogReader(s.xlog.segments(), s.xlog.timeline())) {
            reader.begin(ControlFile.read(dir).checkPoint(), -1);
            for (XLogReader.Read r = reader.next(); r != null; r = reader.next()) {
                if (r.record().rmgrId() == org.osgres.api.wal.WalRecord.RM_BTREE_ID && r.record().rmgrInfo() == 0x30) {
                    splitEnd = r.endLsn();
                }
            }
        }
        assertTrue(splitEnd > 0, "t2 split a leaf");
        Path segment = dir.resolve("pg_wal").resolve(s.xlog.walFileName(splitEnd));
        long segStart = splitEnd - splitEnd % (16L << 20);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate((int) ((16L << 20) - (splitEnd - segStart))), splitEnd - segStart);
            ch.force(true);
        }

        CrashStack r = new CrashStack(dir, 1024);
        assertEquals(splitEnd, r.recovery.endLsn(), "redo ended after the split");
        bank.check(r); // t2 is lost whole (its commit record was cut off); the index still finds every row
        Transaction t3 = r.begin();
        for (int aid = 1; aid <= 500; aid++) {
            for (int k : new int[] {1, 2, 3, 7, 8, 9}) { // where t2 split: the cut page's right half splits again
                bank.insert(r, t3, aid * 10 + k, -aid);
                bank.committed.put(aid * 10 + k, -aid);
            }
        }
        t3.commit();
        bank.check(r);
        CrashStack again = new CrashStack(dir, 1024);
        bank.check(again);
    }

    /**
     * A hot row updated over and over: unique checks and lookups mark its old entries LP_DEAD (not
     * logged), and the leaf, once full, loses them (XLOG_BTREE_DELETE) instead of splitting. Redo
     * rebuilds the same leaf from WAL: the same items at the same places, line pointer flags and
     * BTP_HAS_GARBAGE aside (hints, which redo does not set).
     */
    @Test
    void deadEntriesRemovedInsteadOfASplitAreRemovedByRedoToo() throws Exception {
        Bank bank = new Bank();
        CrashStack s = new CrashStack(dir, 1024); // nothing is evicted: the pages come from WAL alone
        bank.create(s);
        Transaction t1 = s.begin();
        for (int aid = 1; aid <= 20; aid++) {
            bank.insert(s, t1, aid, 0);
            bank.committed.put(aid, 0);
        }
        t1.commit();
        s.checkpoint();
        for (int i = 1; i <= 1500; i++) {
            Transaction t = s.begin();
            bank.update(s, t, 7, i);
            t.commit();
            bank.committed.put(7, i);
            if (i % 100 == 0) {
                assertEquals(1, s.lookup(bank.pkey, 7).size());
            }
        }
        assertEquals(2, s.btree.nblocks(bank.pkey), "the metapage and one leaf");
        s.xlog.flush(s.xlog.insertLsn());
        int deletes = 0;
        try (XLogReader reader = new XLogReader(s.xlog.segments(), s.xlog.timeline())) {
            reader.begin(ControlFile.read(dir).checkPoint(), -1);
            for (XLogReader.Read r = reader.next(); r != null; r = reader.next()) {
                if (r.record().rmgrId() == org.osgres.api.wal.WalRecord.RM_BTREE_ID && r.record().rmgrInfo() == 0xD0) {
                    deletes++;
                }
            }
        }
        assertTrue(deletes > 0, "XLOG_BTREE_DELETE records: " + deletes);
        byte[] leaf = withoutHints(leafImage(s, bank.pkey));

        CrashStack r = new CrashStack(dir, 1024);
        assertTrue(r.recovery.ran());
        assertArrayEquals(leaf, withoutHints(leafImage(r, bank.pkey)), "the leaf after redo");
        bank.check(r);
    }

    private static byte[] leafImage(CrashStack s, IndexRelation index) {
        int buffer = s.buffers.pin(index.locator(), org.osgres.api.buffer.ForkNumber.MAIN, 1);
        try {
            s.buffers.lockShared(buffer);
            byte[] b = new byte[Page.SIZE];
            s.buffers.page(buffer).get(0, b);
            s.buffers.unlock(buffer);
            return b;
        } finally {
            s.buffers.unpin(buffer);
        }
    }

    /** The page with every LP_DEAD line pointer made LP_NORMAL and BTP_HAS_GARBAGE (1 << 6) cleared. */
    private static byte[] withoutHints(byte[] image) {
        ByteBuffer p = ByteBuffer.wrap(image.clone()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int off = 1; off <= Page.maxOffsetNumber(p); off++) {
            int id = Page.itemId(p, off);
            if (Page.itemFlags(id) == Page.LP_DEAD) {
                Page.setItemId(p, off, Page.itemOffset(id), Page.LP_NORMAL, Page.itemLength(id));
            }
        }
        int flagsAt = Page.special(p) + 12;
        p.putShort(flagsAt, (short) (p.getShort(flagsAt) & ~(1 << 6)));
        return p.array();
    }

    private static byte[] block(Path file, long blkno) throws Exception {
        byte[] b = new byte[Page.SIZE];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.read(ByteBuffer.wrap(b), blkno * Page.SIZE);
        }
        return b;
    }
}
