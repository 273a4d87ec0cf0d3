/*
 * NoWalFlush: the WAL-before-data hook while there is no WAL (PostgreSQL: XLogFlush, which this
 * stands in for).
 *
 * The buffer manager and the commit log call WalFlush.flush(pageLsn) before writing a page out.
 * Until the WAL bundle registers the real service (with a higher service.ranking, which DS
 * prefers), this one answers at once: there is no WAL to wait for.
 *
 * Entry points: flush(), flushedUpTo().
 * See also: org.osgres.api.wal.WalFlush -- the contract; SharedBufferPool.flushBuffer -- the caller.
 */
package org.osgres.buffer;

import org.osgi.service.component.annotations.Component;
import org.osgres.api.wal.WalFlush;

@Component(service = WalFlush.class, property = WalFlush.RANKING + ":Integer=-2147483648")
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
