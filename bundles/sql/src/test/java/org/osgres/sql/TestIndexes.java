package org.osgres.sql;

import org.osgres.api.index.IndexAccess;

/** The index access method the table tests run with: the btree bundle's over the fixture's buffers and heap. */
final class TestIndexes {
    private TestIndexes() {
    }

    static IndexAccess create(org.osgres.api.buffer.BufferManager buffers, org.osgres.api.heap.HeapAccess heap) {
        return new org.osgres.btree.BtreeAccessMethod(buffers, heap);
    }
}
