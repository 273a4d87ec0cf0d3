package org.osgres.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.heap.Relation;
import org.osgres.api.index.IndexRelation;
import org.osgres.api.xact.Transaction;

/**
 * Relation files removed at a transaction's end stay removed after a crash: the commit record of
 * a DROP, and the abort record of a CREATE, list the relations (xl_xact_relfilenodes), and their
 * redo removes the files that the earlier WAL (XLOG_SMGR_CREATE, inserts) made again. This is
 * what the catalog does for DROP TABLE, TRUNCATE and an aborted CREATE TABLE, at the API level.
 */
class StorageDropRecoveryTest {
    @TempDir
    Path dir;

    private final Relation table = CrashStack.accounts(16384);
    private final IndexRelation pkey = CrashStack.pkey(table, 16385);

    private Path file(Relation r) {
        return dir.resolve("base/" + r.locator().dbOid() + "/" + r.locator().relNumber());
    }

    private Path file(IndexRelation r) {
        return dir.resolve("base/" + r.locator().dbOid() + "/" + r.locator().relNumber());
    }

    private void fill(CrashStack s, Transaction tx, int first) {
        for (int aid = first; aid < first + 500; aid++) {
            s.btree.insert(pkey, tx, new Object[] {aid}, s.heap.insert(table, tx, CrashStack.row(aid, aid)));
        }
    }

    @Test
    void aCommittedDropIsRedoneAfterACrash() throws Exception {
        CrashStack s = new CrashStack(dir, 32);
        Transaction create = s.begin();
        s.heap.createStorage(table);
        s.btree.createStorage(pkey);
        fill(s, create, 1);
        create.commit();
        s.checkpoint(); // the files are on disk, as a table created long ago
        Transaction more = s.begin();
        fill(s, more, 1001); // WAL after the checkpoint that writes to the table
        more.abort();

        Transaction drop = s.begin();
        drop.assignXid();
        drop.logStorageDrop(table.locator(), true);
        drop.logStorageDrop(pkey.locator(), true);
        drop.commit();
        s.buffers.dropRelation(table.locator()); // the catalog's end-of-transaction work
        s.buffers.dropRelation(pkey.locator());
        assertFalse(Files.exists(file(table)));
        // crash: the table's WAL since the checkpoint is replayed, and would make its file again

        CrashStack r = new CrashStack(dir, 32);
        assertTrue(r.recovery.ran(), "crash recovery ran");
        assertFalse(Files.exists(file(table)), "the dropped table's file stays removed");
        assertFalse(Files.exists(file(pkey)), "the dropped index's file stays removed");
    }

    @Test
    void anAbortedCreateIsRemovedAgainAfterACrash() throws Exception {
        CrashStack s = new CrashStack(dir, 32);
        s.checkpoint();
        Transaction create = s.begin();
        create.assignXid();
        s.heap.createStorage(table);
        s.btree.createStorage(pkey);
        create.logStorageDrop(table.locator(), false);
        create.logStorageDrop(pkey.locator(), false);
        fill(s, create, 1);
        create.abort();
        s.buffers.dropRelation(table.locator());
        s.buffers.dropRelation(pkey.locator());
        Transaction flush = s.begin(); // a later commit flushes the abort record with it
        flush.assignXid();
        flush.commit();

        CrashStack r = new CrashStack(dir, 32);
        assertTrue(r.recovery.ran(), "crash recovery ran");
        assertFalse(Files.exists(file(table)), "the aborted CREATE's file stays removed");
        assertFalse(Files.exists(file(pkey)));
    }

    @Test
    void aTableThatIsKeptIsNotTouched() throws Exception {
        CrashStack s = new CrashStack(dir, 32);
        s.checkpoint();
        Transaction create = s.begin();
        s.heap.createStorage(table);
        s.btree.createStorage(pkey);
        create.logStorageDrop(table.locator(), false);
        create.logStorageDrop(pkey.locator(), false);
        fill(s, create, 1);
        create.commit();

        CrashStack r = new CrashStack(dir, 32);
        assertTrue(Files.exists(file(table)), "a committed CREATE keeps its file: the list is the abort record's");
        assertEquals(500, r.rows(table).size());
    }
}
