package org.osgres.catalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import org.osgres.api.buffer.BufferManager;
import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.heap.HeapAccess;
import org.osgres.api.heap.HeapScan;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.index.IndexAccess;
import org.osgres.api.index.IndexRelation;
import org.osgres.api.index.IndexScan;
import org.osgres.api.index.ScanKey;
import org.osgres.api.xact.Transaction;

/**
 * A stand-in for the btree bundle's IndexAccess: storage is an empty main fork, build checks
 * uniqueness over the visible rows with PostgreSQL's message and counts them. Records what was built.
 */
final class TestIndexAccess implements IndexAccess {
    private final BufferManager buffers;
    private final HeapAccess heap;
    final List<String> built = new ArrayList<>();

    TestIndexAccess(BufferManager buffers, HeapAccess heap) {
        this.buffers = buffers;
        this.heap = heap;
    }

    @Override
    public void createStorage(IndexRelation index) {
        buffers.create(index.locator(), ForkNumber.MAIN);
    }

    @Override
    public long build(IndexRelation index, Transaction tx) {
        Set<List<Object>> keys = new HashSet<>();
        long n = 0;
        try (HeapScan scan = heap.beginScan(index.heap(), tx, tx.statementSnapshot())) {
            for (HeapTuple t = scan.next(); t != null; t = scan.next()) {
                Object[] key = index.keyOf(t.values());
                n++;
                if (index.unique() && !Arrays.asList(key).contains(null) && !keys.add(Arrays.asList(key))) {
                    List<String> cols = new ArrayList<>();
                    index.keyDesc().attributes().forEach(a -> cols.add(a.name()));
                    throw new PgException(SqlState.UNIQUE_VIOLATION, "could not create unique index \"" + index.name()
                            + "\"").withDetail("Key (" + String.join(", ", cols) + ")=(" + joined(key) + ") is duplicated.");
                }
            }
        }
        built.add(index.name());
        return n;
    }

    private static String joined(Object[] key) {
        StringBuilder sb = new StringBuilder();
        for (Object k : key) {
            sb.append(sb.isEmpty() ? "" : ", ").append(k);
        }
        return sb.toString();
    }

    @Override
    public void insert(IndexRelation index, Transaction tx, Object[] key, ItemPointer heapTid) {
        throw new UnsupportedOperationException();
    }

    @Override
    public IndexScan beginScan(IndexRelation index, Transaction tx, org.osgres.api.xact.Snapshot snapshot,
            List<ScanKey> keys) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long bulkDelete(IndexRelation index, Predicate<ItemPointer> isDead) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long nblocks(IndexRelation index) {
        return buffers.nblocks(index.locator(), ForkNumber.MAIN);
    }
}
