package org.osgres.api.index;

import java.util.List;
import java.util.function.Predicate;

import org.osgi.annotation.versioning.ProviderType;
import org.osgres.api.error.PgException;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.xact.Snapshot;
import org.osgres.api.xact.Transaction;

/**
 * The B-tree access method (PostgreSQL: access/nbtree, behind amapi's ambuild, aminsert,
 * ambeginscan/amgettuple, ambulkdelete). Keys compare as PostgreSQL's default btree operator
 * classes do: integers numerically (int2, int4 and int8 with each other), text, varchar and
 * bpchar by the database's C collation (code point order), numeric, float8, date, timestamp
 * and bool by value; NULLs sort last. Keys of several columns compare column by column.
 */
@ProviderType
public interface IndexAccess {
    /** Creates the index's main fork with an empty tree (btbuildempty). */
    void createStorage(IndexRelation index);

    /**
     * Builds the index from every heap tuple that is not dead to all transactions (btbuild over
     * table_index_build_scan), in the caller's transaction, which holds a lock that keeps
     * writers out. Returns the number of index tuples.
     *
     * @throws PgException 23505 "could not create unique index \"%s\"" with detail
     *         "Key (%s)=(%s) is duplicated." when a unique index would have two live equal keys
     */
    long build(IndexRelation index, Transaction tx);

    /**
     * Inserts the key of a new heap tuple (btinsert). For a unique index with no NULL in the
     * key, first checks the heap for a row with an equal key that is live or being changed
     * (_bt_check_unique with SnapshotDirty): it waits for a transaction still inserting or
     * deleting such a row and looks again.
     *
     * @throws PgException 23505 "duplicate key value violates unique constraint \"%s\"" with
     *         detail "Key (%s)=(%s) already exists."
     */
    void insert(IndexRelation index, Transaction tx, Object[] key, ItemPointer heapTid);

    /** Scans with the keys (all must hold), fetching heap tuples with the snapshot. */
    IndexScan beginScan(IndexRelation index, Transaction tx, Snapshot snapshot, List<ScanKey> keys);

    /**
     * Removes the index tuples pointing at heap tuples VACUUM found dead (btbulkdelete).
     * Returns the number removed.
     */
    long bulkDelete(IndexRelation index, Predicate<ItemPointer> isDead);

    /** The number of pages. */
    long nblocks(IndexRelation index);
}
