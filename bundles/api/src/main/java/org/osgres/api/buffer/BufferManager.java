package org.osgres.api.buffer;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;
import org.osgres.api.error.PgException;

/**
 * The shared buffer pool (PostgreSQL: storage/buffer/bufmgr.c with smgr.c and md.c under it).
 * Every page a backend reads or changes is in one of shared_buffers' 8 KB buffers; a buffer is
 * named by an int handle, 1 to {@link #bufferCount()} (PostgreSQL's Buffer; 0 is InvalidBuffer).
 *
 * <p>Rules, as in PostgreSQL: a page may be looked at only while pinned, read only under a shared
 * or exclusive content lock, changed only under the exclusive lock, followed by
 * {@link #markDirty}. A dirty page is written out (on eviction, flushDirty, flushRelation) only
 * after {@code WalFlush.flush(pageLsn)}: stamp the page's LSN ({@link Page#setLsn}) with the WAL
 * record that covers the change. When every buffer is pinned, pin fails with ERROR XX000 "no
 * unpinned buffers available"; it never waits for a pin to go away.
 *
 * <p>Relation files are {@code base/<db>/<relfilenode>[_fsm|_vm|_init][.N]} in 1 GB segments.
 */
@ProviderType
public interface BufferManager {

    /**
     * Pins a page, reading it into a shared buffer on a miss (PostgreSQL: ReadBufferExtended).
     *
     * @return the buffer, pinned once more; release it with {@link #unpin}
     * @throws PgException XX001 "could not read block %u in file ..." for a block past the end of
     *         the file (mode NORMAL); XX000 "no unpinned buffers available"; 58030 on I/O errors
     */
    int pin(RelFileLocator rel, ForkNumber fork, long block, ReadMode mode);

    /** {@link #pin} with {@link ReadMode#NORMAL}. */
    default int pin(RelFileLocator rel, ForkNumber fork, long block) {
        return pin(rel, fork, block, ReadMode.NORMAL);
    }

    /** Drops one pin (PostgreSQL: ReleaseBuffer). The caller must not hold its content lock. */
    void unpin(int buffer);

    /**
     * Gives back every pin the calling backend (thread) still holds (PostgreSQL: the resource
     * owner's release of buffer pins at abort, AtEOXact_Buffers). Returns how many there were:
     * after a commit, more than 0 is a leak to report.
     *
     * @since 1.1
     */
    int releaseAllPins();

    /** Takes the content lock in share mode, waiting for an exclusive holder (LockBuffer(BUFFER_LOCK_SHARE)). */
    void lockShared(int buffer);

    /** Takes the content lock in exclusive mode, waiting for every holder (LockBuffer(BUFFER_LOCK_EXCLUSIVE)). */
    void lockExclusive(int buffer);

    /** Takes the exclusive content lock only if free now (PostgreSQL: ConditionalLockBuffer). */
    boolean tryLockExclusive(int buffer);

    /** Releases the content lock this thread holds on the buffer (LockBuffer(BUFFER_LOCK_UNLOCK)). */
    void unlock(int buffer);

    /** Marks the pinned, exclusively locked buffer dirty (PostgreSQL: MarkBufferDirty). */
    void markDirty(int buffer);

    /**
     * Marks the pinned buffer dirty for a change that is only a hint (PostgreSQL:
     * MarkBufferDirtyHint without data checksums): hint bits, LP_DEAD marks of index entries.
     * The caller may hold the content lock in share mode only and writes no WAL: a crash may lose
     * the change, and a torn write may keep part of it, which is fine for a hint (every mix of
     * old and new bytes is a valid page). A buffer being written meanwhile stays dirty.
     *
     * @since 1.3
     */
    void markDirtyHint(int buffer);

    /**
     * The buffer's 8 KB page: a new little-endian ByteBuffer (position 0, limit 8192) over the
     * page in shared memory, valid while the buffer stays pinned (PostgreSQL: BufferGetPage).
     */
    ByteBuffer page(int buffer);

    /** The block number the pinned buffer holds (PostgreSQL: BufferGetBlockNumber). */
    long blockNumber(int buffer);

    /**
     * Adds a zeroed block at the end of the fork and returns it pinned (PostgreSQL: ReadBuffer
     * with P_NEW). The file grows at once; concurrent extenders get distinct blocks.
     */
    int extend(RelFileLocator rel, ForkNumber fork);

    /** The number of blocks in the fork's files (PostgreSQL: smgrnblocks); 0 when there are none. */
    long nblocks(RelFileLocator rel, ForkNumber fork);

    /** Whether the fork has a file (PostgreSQL: smgrexists). */
    boolean exists(RelFileLocator rel, ForkNumber fork);

    /** Creates the fork's first, empty file, if missing (PostgreSQL: smgrcreate). */
    void create(RelFileLocator rel, ForkNumber fork);

    /**
     * Checkpoint work (PostgreSQL: BufferSync, then ProcessSyncRequests): writes every dirty
     * buffer, each after the WAL that covers it, then fsyncs every file written since the last call.
     */
    void flushDirty();

    /** Writes the relation's dirty buffers (all forks) and fsyncs its files (PostgreSQL: FlushRelationBuffers + smgrimmedsync). */
    void flushRelation(RelFileLocator rel);

    /**
     * Forgets the relation: drops its buffers without writing them and removes its files, all
     * forks and segments (PostgreSQL: DropRelationsAllBuffers + smgrdounlinkall). No buffer of it
     * may be pinned.
     */
    void dropRelation(RelFileLocator rel);

    /** Cuts the fork to {@code nblocks} blocks, dropping buffers past the new end (PostgreSQL: smgrtruncate). */
    void truncate(RelFileLocator rel, ForkNumber fork, long nblocks);

    /** Fsyncs the fork's files now (PostgreSQL: smgrimmedsync). */
    void immedsync(RelFileLocator rel, ForkNumber fork);

    /** The number of shared buffers (PostgreSQL: NBuffers). */
    int bufferCount();

    /** Counters since start: hits, reads from files, writes to files. */
    Stats stats();

    /** Buffer pool counters (PostgreSQL: pg_stat_database's blks_hit and blks_read, pg_stat_bgwriter's buffers written). */
    record Stats(long hits, long reads, long writes) {
    }

    // ---- the checkpointer's and the background writer's part (since 1.2) ----

    /** {@link #syncOneBuffer} result bit: the buffer was written (PostgreSQL: BUF_WRITTEN). */
    int BUF_WRITTEN = 0x01;
    /** {@link #syncOneBuffer} result bit: the buffer is unpinned with usage count 0 (PostgreSQL: BUF_REUSABLE). */
    int BUF_REUSABLE = 0x02;

    /**
     * The first pass of a checkpoint's BufferSync: every dirty, valid buffer gets
     * BM_CHECKPOINT_NEEDED; returns those buffers sorted by buffer tag (tablespace, database,
     * relation, fork, block), the order the checkpointer writes them in. A buffer dirtied after
     * this call is not part of the checkpoint.
     *
     * @since 1.2
     */
    int[] beginCheckpoint();

    /**
     * BufferSync's write of one buffer (SyncOneBuffer(buf, false)): when the buffer still has
     * BM_CHECKPOINT_NEEDED and is dirty, it is written, WAL first (WalFlush.flush of the page's
     * LSN), under a share content lock. Returns whether it was written by this call (false when
     * a backend or the background writer wrote or evicted it meanwhile).
     *
     * @since 1.2
     */
    boolean writeIfCheckpointNeeded(int buffer);

    /**
     * The background writer's write of one buffer (PostgreSQL: SyncOneBuffer). With
     * {@code skipRecentlyUsed} a pinned buffer or one with a usage count above zero is left alone.
     * Returns {@link #BUF_WRITTEN} and/or {@link #BUF_REUSABLE}.
     *
     * @since 1.2
     */
    int syncOneBuffer(int buffer, boolean skipRecentlyUsed);

    /**
     * Fsyncs every relation file segment written since the last call, as the checkpoint's sync
     * phase (PostgreSQL: ProcessSyncRequests over the pending-operations table).
     *
     * @since 1.2
     */
    SyncResult syncPendingFiles();

    /**
     * The files a checkpoint's sync phase forced: how many, the longest single fsync and the sum
     * of them, in nanoseconds (PostgreSQL: CheckpointStats' ckpt_sync_rels, ckpt_longest_sync,
     * ckpt_agg_sync_time).
     *
     * @since 1.2
     */
    record SyncResult(int files, long longestNanos, long totalNanos) {
    }

    /**
     * Where the clock sweep is (PostgreSQL: StrategySyncStart): the buffer it looks at next,
     * how many times it went round the pool, and buffer allocations since start.
     *
     * @since 1.2
     */
    ClockPosition clockPosition();

    /**
     * @param nextVictimBuffer the next buffer the clock hand reaches (1-based)
     * @param completePasses   complete passes of the hand over the pool
     * @param allocations      buffers allocated since start (pg_stat_bgwriter.buffers_alloc)
     * @since 1.2
     */
    record ClockPosition(int nextVictimBuffer, long completePasses, long allocations) {
    }

    /**
     * Writes by backends themselves (PostgreSQL: pg_stat_bgwriter's buffers_backend and
     * buffers_backend_fsync): a victim written before reuse, a relation flushed; not the
     * checkpointer's or the background writer's.
     *
     * @since 1.2
     */
    BackendWrites backendWrites();

    /** @since 1.2 */
    record BackendWrites(long writes, long fsyncs) {
    }
}
