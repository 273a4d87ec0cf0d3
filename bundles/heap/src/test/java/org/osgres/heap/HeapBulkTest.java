package org.osgres.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.HeapScan;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.xact.IsolationLevel;
import org.osgres.api.xact.Transaction;

/**
 * A million rows through a 1 MB buffer pool (128 buffers): the table is ~40 MB, so inserts and
 * scans evict pages all the time. Prints rows per second (a figure, not a benchmark: bench/ has
 * those).
 */
class HeapBulkTest {
    static final int ROWS = 1_000_000;

    @Test
    void millionRowsThroughASmallPool(@TempDir Path dir) {
        HeapFixture f = HeapFixture.start(dir, 128);
        Relation rel = f.relation("big", 16384, TupleDesc.of(Attribute.of("id", Attribute.INT4),
                Attribute.of("v", Attribute.INT8), Attribute.of("t", Attribute.TEXT)));
        f.heap.createStorage(rel);
        Transaction t = f.begin(IsolationLevel.READ_COMMITTED, 1);
        long start = System.nanoTime();
        for (int i = 0; i < ROWS; i++) {
            f.heap.insert(rel, t, new Object[] {i, (long) i * 3, "row"});
        }
        t.commit();
        long insertNanos = System.nanoTime() - start;
        long pages = f.heap.nblocks(rel);
        assertTrue(pages > 20 * f.buffers.bufferCount(), pages + " pages: much larger than the pool");

        Transaction r = f.begin(IsolationLevel.READ_COMMITTED, 2);
        start = System.nanoTime();
        long count = 0;
        long sum = 0;
        try (HeapScan scan = f.heap.beginScan(rel, r, r.statementSnapshot())) {
            for (HeapTuple tuple = scan.next(); tuple != null; tuple = scan.next()) {
                count++;
                sum += (int) tuple.values()[0];
            }
        }
        long scanNanos = System.nanoTime() - start;
        // a second scan: the hint bits are set now
        start = System.nanoTime();
        long count2 = 0;
        try (HeapScan scan = f.heap.beginScan(rel, r, r.statementSnapshot())) {
            while (scan.next() != null) {
                count2++;
            }
        }
        long scan2Nanos = System.nanoTime() - start;
        r.commit();
        assertEquals(ROWS, count);
        assertEquals(ROWS, count2);
        assertEquals((long) ROWS * (ROWS - 1) / 2, sum);
        System.out.printf("heap: %d rows, %d pages, %d buffers: insert %.0f rows/s, seqscan %.0f rows/s (first, sets hint bits), "
                + "%.0f rows/s (second, count only)%n", ROWS, pages, f.buffers.bufferCount(),
                ROWS / (insertNanos / 1e9), ROWS / (scanNanos / 1e9), ROWS / (scan2Nanos / 1e9));
        System.out.println("heap: buffer pool " + f.buffers.stats());
    }
}
