package org.osgres.api.heap;

import org.osgi.annotation.versioning.ProviderType;
import org.osgres.api.xact.Snapshot;

/**
 * Heap fetches by the TIDs an index gives, for one index scan or one unique check (PostgreSQL:
 * tableam.h IndexFetchTableData, table_index_fetch_tuple; heapam.c heap_hot_search_buffer's
 * {@code all_dead}). Made by {@link HeapAccess#beginIndexFetch}; used by one backend at a time.
 *
 * <p>A tuple the snapshot does not see may be dead to every transaction: its inserter aborted,
 * or its deleter (not a mere locker) committed before the snapshot horizon of every running
 * transaction. The fetch then says so through {@code allDead}, and the index may mark its entry
 * LP_DEAD so later scans skip it (kill_prior_tuple). The horizon is computed at the first fetch
 * that needs it and kept for the life of this object: horizons only move forward, so a kept one
 * is never wrong, only more cautious.
 *
 * @since 1.2
 */
@ProviderType
public interface IndexFetch {
    /**
     * The tuple at tid if the snapshot sees it, else null (index_fetch_tuple with an MVCC
     * snapshot), as {@link HeapAccess#fetch}, whose relation lock it takes.
     *
     * @param allDead when not null, [0] is set: true when the result is null and the tuple is
     *                dead to every transaction (or only its dead line pointer is left)
     */
    HeapTuple fetch(ItemPointer tid, Snapshot snapshot, boolean[] allDead);

    /**
     * The tuple at tid as a dirty snapshot sees it, as {@link HeapAccess#fetchDirty}, for a unique
     * check (table_index_fetch_tuple_check). Takes no relation lock.
     *
     * @param allDead when not null, [0] is set: true when the result is {@link DirtyTuple.Kind#GONE}
     *                and the tuple is dead to every transaction
     */
    DirtyTuple fetchDirty(ItemPointer tid, boolean[] allDead);
}
