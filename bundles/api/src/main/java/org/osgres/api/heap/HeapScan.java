package org.osgres.api.heap;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A sequential scan (PostgreSQL: HeapScanDesc with heap_getnext): the tuples its snapshot sees,
 * page by page, in block and line pointer order. The relation's blocks are counted when the scan
 * starts, as PostgreSQL does.
 */
@ProviderType
public interface HeapScan extends AutoCloseable {
    /** The next visible tuple, or null at the end. */
    HeapTuple next();

    /** Ends the scan, releasing what it holds. */
    @Override
    void close();
}
