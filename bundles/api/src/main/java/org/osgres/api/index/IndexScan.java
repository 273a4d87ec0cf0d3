package org.osgres.api.index;

import org.osgi.annotation.versioning.ProviderType;
import org.osgres.api.heap.HeapTuple;

/**
 * An index scan with its heap fetches (PostgreSQL: index_getnext_slot): the heap tuples the
 * scan's snapshot sees whose keys satisfy every scan key, in key order.
 */
@ProviderType
public interface IndexScan extends AutoCloseable {
    /** The next visible heap tuple, or null at the end. */
    HeapTuple next();

    /** Ends the scan, releasing its pins. */
    @Override
    void close();
}
