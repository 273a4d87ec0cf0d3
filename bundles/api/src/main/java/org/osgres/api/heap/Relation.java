package org.osgres.api.heap;

import org.osgres.api.buffer.RelFileLocator;

/**
 * A heap relation as the access method needs it (PostgreSQL: the parts of RelationData heapam
 * reads): its files, its oid and name for locks and messages, its row type and fillfactor
 * (10 to 100; 100 fills pages, as PostgreSQL's default for heaps).
 */
public record Relation(RelFileLocator locator, int relOid, String name, TupleDesc desc, int fillfactor) {
    /** HEAP_DEFAULT_FILLFACTOR. */
    public static final int DEFAULT_FILLFACTOR = 100;

    public Relation {
        if (fillfactor < 10 || fillfactor > 100) {
            throw new IllegalArgumentException("fillfactor " + fillfactor + " is outside 10..100");
        }
    }

    /** A relation with the default fillfactor. */
    public static Relation of(RelFileLocator locator, int relOid, String name, TupleDesc desc) {
        return new Relation(locator, relOid, name, desc, DEFAULT_FILLFACTOR);
    }
}
