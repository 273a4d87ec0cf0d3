package org.osgres.api.wal;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The WAL-before-data rule (PostgreSQL: XLogFlush() in access/transam/xlog.c). Before a dirty data
 * page or commit-log page leaves shared memory, WAL must be durable up to the LSN stamped on it;
 * the buffer manager and the commit log call {@link #flush} with that LSN first.
 *
 * <p>Until the WAL subsystem exists, a no-op implementation is registered with the lowest service
 * ranking (the buffer-manager bundle's {@code NoWalFlush}); the WAL bundle will register the real one.
 */
@ProviderType
public interface WalFlush {
    /** The service property that ranks implementations; the real WAL outranks the no-op. */
    String RANKING = "service.ranking";

    /**
     * Makes WAL durable up to and including {@code lsn} (an XLogRecPtr: byte position in the WAL
     * stream). Returns at once when it already is; 0 (InvalidXLogRecPtr) needs nothing.
     */
    void flush(long lsn);

    /** How far WAL is known durable: every LSN at or below this is on disk. */
    long flushedUpTo();
}
