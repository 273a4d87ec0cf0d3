/*
 * NoWalFlush: a WAL-before-data hook without WAL, for tests of the buffer pool alone
 * (PostgreSQL: XLogFlush, which this stands in for).
 *
 * The buffer manager and the commit log call WalFlush.flush(pageLsn) before writing a page out.
 * In the server the wal bundle's Xlog is the WalFlush service. This class is no longer a
 * component: the buffer pool and the commit log bind WalFlush statically and reluctantly, so a
 * no-op registered next to the real one could be bound first (whichever was there when they
 * activated) and would never be swapped for the higher-ranked real one.
 *
 * Entry points: flush(), flushedUpTo().
 * See also: org.osgres.api.wal.WalFlush -- the contract; SharedBufferPool.flushBuffer -- the caller.
 */
package org.osgres.buffer;

import org.osgres.api.wal.WalFlush;

public final class NoWalFlush implements WalFlush {

    @Override
    public void flush(long lsn) {
        // no WAL yet: every page may be written
    }

    /** Without WAL nothing is ever waited for: every LSN counts as flushed. */
    @Override
    public long flushedUpTo() {
        return Long.MAX_VALUE;
    }
}
