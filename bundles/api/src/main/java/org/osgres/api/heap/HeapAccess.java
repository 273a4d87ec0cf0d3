package org.osgres.api.heap;

import org.osgi.annotation.versioning.ProviderType;
import org.osgres.api.error.PgException;
import org.osgres.api.xact.Snapshot;
import org.osgres.api.xact.Transaction;

/**
 * The heap access method (PostgreSQL: access/heap/heapam.c). Tuples are PostgreSQL's
 * HeapTupleHeaderData on PostgreSQL's slotted pages, read and changed through the buffer manager.
 *
 * <p>Locks: like PostgreSQL's executor, each call takes the relation lock for what it does
 * (AccessShareLock to read, RowExclusiveLock to change, ShareUpdateExclusiveLock for VACUUM),
 * held until the transaction ends.
 *
 * <p>Concurrent changes: update, delete and lockTuple wait for a transaction that changed or
 * locked the row (with deadlock detection, lock_timeout and cancel, as {@link Transaction#lock}).
 * When it committed an update or delete, REPEATABLE READ fails with 40001 "could not serialize
 * access due to concurrent update" (or delete); READ COMMITTED gets {@link TmResult#UPDATED}
 * with the newest version locked, or {@link TmResult#DELETED}.
 */
@ProviderType
public interface HeapAccess {
    /** Creates the relation's main fork, empty (heapam_relation_set_new_filenode). */
    void createStorage(Relation rel);

    /**
     * Inserts a row (heap_insert) with the transaction's xid and current command id, on a page
     * with room for it that fillfactor leaves free, extending the relation when none has.
     *
     * @throws PgException 54000 "row is too big: size %zu, maximum size %zu"
     */
    ItemPointer insert(Relation rel, Transaction tx, Object[] values);

    /**
     * Inserts a row as bootstrap does (PostgreSQL: heap_insert with HEAP_INSERT_FROZEN, as
     * initdb's BKI rows end up after its VACUUM FREEZE): xmin FrozenTransactionId, hint bits
     * HEAP_XMIN_FROZEN, command id 0, no transaction and no lock. For initdb's catalog rows only,
     * before any backend runs.
     *
     * @since 1.1
     */
    ItemPointer insertFrozen(Relation rel, Object[] values);

    /**
     * Replaces a row with a new version (heap_update): the old version gets xmax and a ctid
     * pointing at the new one.
     */
    ModifyResult update(Relation rel, Transaction tx, ItemPointer tid, Object[] values);

    /** Deletes a row (heap_delete): sets its xmax. */
    ModifyResult delete(Relation rel, Transaction tx, ItemPointer tid);

    /**
     * Locks a row against concurrent update (heap_lock_tuple), as SELECT FOR UPDATE does.
     *
     * @throws PgException 55P03 "could not obtain lock on row in relation ..." for NOWAIT
     */
    ModifyResult lockTuple(Relation rel, Transaction tx, ItemPointer tid, RowLockMode mode, LockWaitPolicy policy);

    /** Scans the relation with the snapshot (heap_beginscan), for a transaction's statement. */
    HeapScan beginScan(Relation rel, Transaction tx, Snapshot snapshot);

    /** The tuple at tid if the snapshot sees it (heap_fetch), else null. */
    HeapTuple fetch(Relation rel, Transaction tx, Snapshot snapshot, ItemPointer tid);

    /**
     * The tuple at tid as a dirty snapshot sees it (heap_fetch with SnapshotDirty), for unique
     * checks. Does not wait.
     *
     * @since 1.1
     */
    DirtyTuple fetchDirty(Relation rel, Transaction tx, ItemPointer tid);

    /**
     * Begins fetching tuples by TID for an index scan or a unique check (table_index_fetch_begin):
     * fetches that also tell whether a tuple not seen is dead to every transaction.
     *
     * @since 1.2
     */
    IndexFetch beginIndexFetch(Relation rel, Transaction tx);

    /**
     * VACUUM with indexes (heap_vacuum_rel): as {@link #vacuum(Relation, Transaction)}, but the
     * dead tuples' line pointers are kept (LP_DEAD) until {@code indexes} has removed their
     * index entries, then freed (lazy_vacuum_heap_rel).
     *
     * @since 1.1
     */
    VacuumResult vacuum(Relation rel, Transaction tx, IndexCleanup indexes);

    /**
     * The scan CREATE INDEX builds from (table_index_build_scan, heapam_index_build_range_scan):
     * every tuple that is not dead to all transactions, in block and line pointer order, with
     * whether it is alive (committed and not deleted, or this transaction's own insert): a
     * recently dead tuple is given with alive false. A tuple being inserted or deleted by another
     * transaction is waited for first (no page lock held), then looked at again.
     *
     * @since 1.1
     */
    void indexBuildScan(Relation rel, Transaction tx, IndexBuildCallback callback);

    /** What {@link #indexBuildScan} calls for each tuple (IndexBuildCallback). */
    @FunctionalInterface
    interface IndexBuildCallback {
        void tuple(ItemPointer tid, Object[] values, boolean alive);
    }

    /** What VACUUM asks of a relation's indexes (lazy_vacuum_all_indexes). */
    @FunctionalInterface
    interface IndexCleanup {
        /** Removes every index entry that points at a tid for which isDead is true. */
        void removeDead(java.util.function.Predicate<ItemPointer> isDead);
    }

    /**
     * VACUUM of the relation (heap_vacuum_rel without indexes): removes tuples deleted before
     * every snapshot and transaction still running, compacts the pages and cuts empty pages
     * from the end. The transaction (no xid needed) owns the locks VACUUM takes. A table with
     * indexes must use {@link #vacuum(Relation, Transaction, IndexCleanup)} instead: this one frees
     * dead tuples' TIDs at once, and an index entry would then point at whatever row takes the TID.
     */
    VacuumResult vacuum(Relation rel, Transaction tx);

    /** The number of pages (RelationGetNumberOfBlocks). */
    long nblocks(Relation rel);
}
