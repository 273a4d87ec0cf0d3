package org.osgres.api.wal;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The WAL-before-data rule (PostgreSQL: XLogFlush() in access/transam/xlog.c). Before a dirty data
 * page or commit-log page leaves shared memory, WAL must be durable up to the LSN stamped on it;
 * the buffer manager and the commit log call {@link #flush} with that LSN first.
 *
 * <p>The wal bundle's Xlog is the one WalFlush service (also a {@link WalInsert}). The
 * buffer-manager bundle's {@code NoWalFlush} is no longer registered: the buffer pool and the
 * commit log bind WalFlush statically and reluctantly, so a no-op next to the real service could
 * be bound first and would never be replaced.
 */
@ProviderType
public interface WalFlush {
    /** The service property that ranks implementations (Xlog registers with 100). */
    String RANKING = "service.ranking";

    /**
     * Makes WAL durable up to and including {@code lsn} (an XLogRecPtr: byte position in the WAL
     * stream). Returns at once when it already is; 0 (InvalidXLogRecPtr) needs nothing.
     */
    void flush(long lsn);

    /** How far WAL is known durable: every LSN at or below this is on disk. */
    long flushedUpTo();
}
