package org.osgres.api.heap;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A tuple version copied out of its page (PostgreSQL: HeapTupleData over HeapTupleHeaderData):
 * its address, the header fields as they were when it was read, and the column values.
 */
@ProviderType
public interface HeapTuple {
    /** Where it is (t_self). */
    ItemPointer tid();

    /** t_xmin: the inserting transaction. */
    int xmin();

    /** t_xmax: the deleting, updating or locking transaction, or 0. */
    int xmax();

    /** t_ctid: itself, or the next version after an update. */
    ItemPointer ctid();

    int infomask();

    int infomask2();

    /** The column values (heap_deform_tuple), one per attribute, null for NULL. */
    Object[] values();

    /** The tuple's bytes as on the page (header, null bitmap, data). */
    byte[] bytes();
}
