package org.osgres.testing;

import org.osgres.api.wal.WalFlush;

/**
 * The WAL-before-data hook of a test that runs storage without a WAL: every LSN counts as
 * flushed. Tests of the WAL itself use the real one.
 */
public final class NoWal {
    /** Flushes nothing; everything is durable as far as the caller can tell. */
    public static final WalFlush FLUSH = new WalFlush() {
        @Override
        public void flush(long lsn) {
        }

        @Override
        public long flushedUpTo() {
            return Long.MAX_VALUE;
        }
    };

    private NoWal() {
    }
}
