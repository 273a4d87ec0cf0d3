/*
 * CatalogContext: the services the catalog code works through, and the catalog-row helpers
 * every DDL command uses (PostgreSQL: catalog/indexing.c CatalogTupleInsert, CatalogTupleUpdate,
 * CatalogTupleDelete, and snapmgr.c GetCatalogSnapshot).
 *
 * Entry points: insert(), update(), delete(), catalogSnapshot(), indexAccess().
 * See also: SystemCatalogImpl -- builds it; DatabaseCatalog.
 */
package org.osgres.catalog;

import java.util.function.Supplier;

import org.osgres.api.buffer.BufferManager;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.heap.HeapAccess;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.ModifyResult;
import org.osgres.api.heap.Relation;
import org.osgres.api.index.IndexAccess;
import org.osgres.api.session.BackendRegistry;
import org.osgres.api.xact.Snapshot;
import org.osgres.api.xact.Transaction;
import org.osgres.api.xact.TransactionManager;
import org.osgres.catalog.CatalogRows.Row;

record CatalogContext(HeapAccess heap, BufferManager buffers, TransactionManager xacts, OidGenerator oids,
        java.nio.file.Path dataDirectory, Supplier<IndexAccess> indexes, Supplier<BackendRegistry> backends) {

    /**
     * The catalog snapshot (GetCatalogSnapshot): a fresh snapshot that sees every committed
     * change and the transaction's own changes made by earlier commands.
     */
    Snapshot catalogSnapshot(Transaction tx) {
        return xacts.snapshot().withCommandId(tx.commandId());
    }

    /** The B-tree access method. */
    IndexAccess indexAccess() {
        IndexAccess ia = indexes.get();
        if (ia == null) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "access method \"btree\" is not installed");
        }
        return ia;
    }

    /** CatalogTupleInsert. */
    ItemPointer insert(Relation catalog, Transaction tx, Object[] values) {
        return heap.insert(catalog, tx, values);
    }

    /** CatalogTupleUpdate: the row with changed values. */
    void update(Relation catalog, Transaction tx, Row row, Object[] values) {
        check(heap.update(catalog, tx, row.tid(), values), "updated");
    }

    /** CatalogTupleDelete. */
    void delete(Relation catalog, Transaction tx, Row row) {
        check(heap.delete(catalog, tx, row.tid()), "deleted");
    }

    private static void check(ModifyResult r, String what) {
        if (!r.ok()) {
            // simple_heap_update / simple_heap_delete: DDL holds the object's lock, so only a bug gets here
            throw new PgException(SqlState.INTERNAL_ERROR, "tuple concurrently " + what);
        }
    }
}
