/*
 * SharedBufferPool: the shared buffer pool (PostgreSQL: storage/buffer/bufmgr.c).
 *
 * shared_buffers pages of 8 KB live in the "Buffer Blocks" region of shared memory, one
 * descriptor each in "Buffer Descriptors". Backends pin pages through BufferManager: a hit in
 * the buffer table pins the buffer and bumps its usage count; a miss takes a victim from
 * ClockSweep, writes it out if dirty, re-tags it and reads the page through RelationStorage.
 * Pages are looked at under content locks (share or exclusive, one read-write lock per buffer).
 * Reads and writes of one buffer are serialised by BM_IO_IN_PROGRESS and an I/O lock, on which
 * other backends wanting the same page wait (PostgreSQL: StartBufferIO, TerminateBufferIO).
 *
 * WAL rule: a dirty page is written only after wal.flush(pageLsn) (FlushBuffer). The
 * checkpointer marks the dirty buffers (beginCheckpoint: BufferSync's BM_CHECKPOINT_NEEDED pass),
 * writes them paced (writeIfCheckpointNeeded) and fsyncs the files written (syncPendingFiles);
 * the background writer cleans buffers ahead of the clock hand (syncOneBuffer, clockPosition).
 * flushDirty() writes everything at once (end of recovery; deactivation as a last resort).
 * Once the postmaster discards the shared memory after a crash (SharedMemory.discarded), the pool
 * writes nothing more: no page, no extension, truncation, creation or removal of a file, and its
 * deactivation only closes the files -- the pages are rebuilt from WAL by crash recovery.
 *
 * Entry points: pin() (ReadBufferExtended), unpin() (ReleaseBuffer), lockShared/lockExclusive/
 * unlock (LockBuffer), markDirty() (MarkBufferDirty), markDirtyHint() (MarkBufferDirtyHint),
 * extend(), flushDirty() (BufferSync),
 * flushRelation(), dropRelation(), truncate(); for the checkpointer and background writer
 * beginCheckpoint(), writeIfCheckpointNeeded(), syncOneBuffer(), syncPendingFiles(), clockPosition().
 * See also: ClockSweep -- victim choice; BufferTable -- tag to buffer lookup; BufferDescriptors
 * -- headers, pins, header lock; RelationStorage -- the files.
 */
package org.osgres.buffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.buffer.BufferManager;
import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.Page;
import org.osgres.api.buffer.ReadMode;
import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.config.Settings;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.shmem.CrashShutdown;
import org.osgres.api.shmem.SharedMemory;
import org.osgres.api.shmem.SharedRegion;
import org.osgres.api.wal.WalFlush;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.osgres.buffer.BufferDescriptors.BM_CHECKPOINT_NEEDED;
import static org.osgres.buffer.BufferDescriptors.BM_DIRTY;
import static org.osgres.buffer.BufferDescriptors.BM_IO_ERROR;
import static org.osgres.buffer.BufferDescriptors.BM_IO_IN_PROGRESS;
import static org.osgres.buffer.BufferDescriptors.BM_JUST_DIRTIED;
import static org.osgres.buffer.BufferDescriptors.BM_TAG_VALID;
import static org.osgres.buffer.BufferDescriptors.BM_VALID;
import static org.osgres.buffer.BufferDescriptors.BUF_USAGECOUNT_MASK;
import static org.osgres.buffer.BufferDescriptors.BUF_USAGECOUNT_ONE;
import static org.osgres.buffer.BufferDescriptors.refcount;

@Component(service = BufferManager.class, immediate = true)
public final class SharedBufferPool implements BufferManager {
    private static final Logger LOG = LoggerFactory.getLogger(SharedBufferPool.class);
    /** I/O locks are striped: a backend holds at most one, so stripes cannot deadlock. */
    private static final int IO_LOCK_STRIPES = 1024;
    private static final ByteBuffer ZERO_PAGE = ByteBuffer.allocateDirect(Page.SIZE);

    private final int nBuffers;
    private final SharedMemory shmem;
    private final SharedRegion blocks;
    private final BufferDescriptors descriptors;
    private final ClockSweep strategy;
    private final BufferTable table;
    private final RelationStorage smgr;
    private final WalFlush wal;
    /** Content locks (PostgreSQL: BufferDescriptorGetContentLock), made on first use. */
    private final AtomicReferenceArray<ReentrantReadWriteLock> contentLocks;
    /** Held while a buffer's I/O is in progress; waiters queue on it (PostgreSQL: the I/O condition variables). */
    private final ReentrantLock[] ioLocks;
    /** Relation extension locks (PostgreSQL: LockRelationForExtension). */
    private final ConcurrentHashMap<RelationStorage.RelFork, ReentrantLock> extensionLocks = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder reads = new LongAdder();
    private final LongAdder writes = new LongAdder();
    /** Writes by backends themselves: victims and relation flushes (pg_stat_bgwriter.buffers_backend). */
    private final LongAdder backendWrites = new LongAdder();
    /** Checkpoint order (PostgreSQL: ckpt_buforder_comparator): tablespace, database, relation, fork, block. */
    private static final Comparator<BufferTag> CHECKPOINT_ORDER = Comparator
            .comparing((BufferTag t) -> Integer.toUnsignedLong(t.rel().spcOid()))
            .thenComparing(t -> Integer.toUnsignedLong(t.rel().dbOid()))
            .thenComparing(t -> Integer.toUnsignedLong(t.rel().relNumber()))
            .thenComparing(BufferTag::fork)
            .thenComparing(BufferTag::blockNumber);

    /** The pool for the server: shared_buffers buffers over the data directory's files. */
    @Activate
    public SharedBufferPool(@Reference Settings settings, @Reference SharedMemory shmem, @Reference WalFlush wal) {
        this(shmem, settings.getInt("shared_buffers"), new RelationStorage(settings.dataDirectory()), wal);
        LOG.debug("shared buffer pool: {} buffers of {} bytes", nBuffers, Page.SIZE);
    }

    SharedBufferPool(SharedMemory shmem, int nBuffers, RelationStorage smgr, WalFlush wal) {
        this.nBuffers = nBuffers;
        this.shmem = shmem;
        this.descriptors = new BufferDescriptors(shmem, nBuffers);
        this.blocks = shmem.region("Buffer Blocks", (long) nBuffers * Page.SIZE);
        this.strategy = new ClockSweep(shmem, descriptors);
        this.table = new BufferTable(nBuffers);
        this.smgr = smgr;
        this.wal = wal;
        this.contentLocks = new AtomicReferenceArray<>(nBuffers);
        this.ioLocks = new ReentrantLock[Math.min(IO_LOCK_STRIPES, nBuffers)];
        for (int i = 0; i < ioLocks.length; i++) {
            ioLocks[i] = new ReentrantLock();
        }
    }

    /** Test and server constructor over a data directory. */
    static SharedBufferPool create(SharedMemory shmem, int nBuffers, Path dataDirectory, int blocksPerSegment, WalFlush wal) {
        return new SharedBufferPool(shmem, nBuffers, new RelationStorage(dataDirectory, blocksPerSegment), wal);
    }

    /**
     * Shutdown: writes what is dirty (the shutdown checkpoint's part until the checkpointer
     * exists); after a crash (the shared memory discarded) nothing: the files are only closed.
     */
    @Deactivate
    void deactivate() {
        try {
            if (!shmem.discarded()) {
                flushDirty();
            }
        } finally {
            smgr.close();
        }
    }

    /**
     * Refuses a write once the shared memory was discarded after a crash: whatever a backend
     * still holding this pool changes must not reach disk (PostgreSQL's backends are killed).
     */
    private void checkNotDiscarded() {
        CrashShutdown.check(shmem);
    }

    // ---- pin and unpin ----

    @Override
    public int pin(RelFileLocator rel, ForkNumber fork, long block, ReadMode mode) {
        if (block < 0 || block > BufferTag.MAX_BLOCK_NUMBER) {
            throw new PgException(SqlState.PROGRAM_LIMIT_EXCEEDED, "cannot extend relation " + rel + " beyond "
                    + BufferTag.MAX_BLOCK_NUMBER + " blocks");
        }
        BufferTag tag = new BufferTag(rel, fork, (int) block);
        int spins = 0;
        for (;;) {
            int buffer = table.lookup(tag);
            if (buffer != 0) {
                int state = descriptors.pin(buffer, true);
                if (!descriptors.tagEquals(buffer, tag) || (state & BM_TAG_VALID) == 0) {
                    // re-tagged under us: the backend re-tagging it has yet to update the buffer
                    // table, so let it run before looking again
                    descriptors.unpin(buffer);
                    spins = BufferDescriptors.spinDelay(spins);
                    continue;
                }
                if ((state & BM_VALID) != 0) {
                    hits.increment();
                    PrivateRefCounts.mine().pinned(buffer);
                    return buffer;
                }
                return tracked(completeRead(buffer, tag, mode));
            }
            buffer = allocate(tag);
            if (buffer != 0) {
                return tracked(completeRead(buffer, tag, mode));
            }
            spins = BufferDescriptors.spinDelay(spins); // lost a race in allocate(): let the winner finish
        }
    }

    /**
     * Takes a victim buffer and maps the tag to it (PostgreSQL: BufferAlloc). Returns the buffer
     * pinned and tagged but not valid, or 0 when the caller must look again (another backend
     * mapped the tag first, or the victim got pinned or dirtied meanwhile).
     */
    private int allocate(BufferTag tag) {
        int[] locked = new int[1];
        int victim = strategy.getBuffer(locked);
        int state = descriptors.pinLocked(victim, locked[0]);
        if ((state & BM_DIRTY) != 0) {
            ReentrantReadWriteLock lock = contentLock(victim);
            if (!lock.readLock().tryLock()) {
                descriptors.unpin(victim); // someone is changing it: choose another
                return 0;
            }
            try {
                if (flushBuffer(victim)) {
                    backendWrites.increment();
                }
            } catch (RuntimeException e) {
                descriptors.unpin(victim);
                throw e;
            } finally {
                lock.readLock().unlock();
            }
        }
        state = descriptors.lockHeader(victim);
        if (refcount(state) != 1 || (state & (BM_DIRTY | BM_IO_IN_PROGRESS)) != 0) {
            descriptors.unlockHeader(victim, state);
            descriptors.unpin(victim);
            return 0;
        }
        BufferTag old = (state & BM_TAG_VALID) != 0 ? descriptors.tag(victim) : null;
        descriptors.setTag(victim, tag);
        state &= ~(BM_VALID | BM_DIRTY | BM_JUST_DIRTIED | BM_CHECKPOINT_NEEDED | BM_IO_ERROR | BUF_USAGECOUNT_MASK);
        state |= BM_TAG_VALID | BUF_USAGECOUNT_ONE;
        descriptors.unlockHeader(victim, state);
        if (old != null) {
            table.delete(old, victim);
        }
        if (table.insert(tag, victim) != 0) {
            // lost the race to map this page: give the victim back as a free buffer
            state = descriptors.lockHeader(victim);
            descriptors.unlockHeader(victim, state & ~(BM_TAG_VALID | BUF_USAGECOUNT_MASK));
            descriptors.unpin(victim);
            return 0;
        }
        return victim;
    }

    /** Reads a pinned, tagged buffer that is not valid yet, or waits for the backend reading it. */
    private int completeRead(int buffer, BufferTag tag, ReadMode mode) {
        if (!startBufferIO(buffer, true)) {
            hits.increment();
            return buffer; // another backend read it while we waited
        }
        try {
            ByteBuffer page = blockOf(buffer);
            if (mode == ReadMode.ZERO) {
                page.put(0, ZERO_PAGE, 0, Page.SIZE);
            } else {
                smgr.read(tag.rel(), tag.fork(), tag.blockNumber(), page);
                reads.increment();
            }
        } catch (RuntimeException e) {
            abortBufferIO(buffer);
            descriptors.unpin(buffer);
            throw e;
        }
        terminateBufferIO(buffer, false, BM_VALID);
        return buffer;
    }

    private static int tracked(int buffer) {
        PrivateRefCounts.mine().pinned(buffer);
        return buffer;
    }

    @Override
    public void unpin(int buffer) {
        check(buffer);
        if (!PrivateRefCounts.mine().unpinned(buffer)) {
            if (refcount(descriptors.state(buffer)) == 0) {
                descriptors.unpin(buffer); // reports "buffer %d is not pinned"
            }
            throw new PgException(SqlState.INTERNAL_ERROR, "buffer " + buffer + " is not owned by resource owner");
        }
        descriptors.unpin(buffer);
    }

    @Override
    public int releaseAllPins() {
        int released = 0;
        for (int[] held : PrivateRefCounts.mine().takeAll()) {
            for (int i = 0; i < held[1]; i++) {
                descriptors.unpin(held[0]);
            }
            released += held[1];
        }
        return released;
    }

    // ---- I/O state (PostgreSQL: StartBufferIO, TerminateBufferIO, AbortBufferIO) ----

    private ReentrantLock ioLock(int buffer) {
        return ioLocks[(buffer - 1) % ioLocks.length];
    }

    /**
     * Begins a read (forInput) or write of a pinned buffer; waits while another backend's I/O on
     * it is in progress. Returns false when there is nothing to do any more: the page became
     * valid (read) or clean (write).
     */
    private boolean startBufferIO(int buffer, boolean forInput) {
        ReentrantLock io = ioLock(buffer);
        io.lock();
        int state = descriptors.lockHeader(buffer);
        if (forInput ? (state & BM_VALID) != 0 : (state & BM_DIRTY) == 0) {
            descriptors.unlockHeader(buffer, state);
            io.unlock();
            return false;
        }
        state |= BM_IO_IN_PROGRESS;
        if (!forInput) {
            state &= ~BM_JUST_DIRTIED;
        }
        descriptors.unlockHeader(buffer, state);
        return true;
    }

    private void terminateBufferIO(int buffer, boolean clearDirty, int setFlags) {
        int state = descriptors.lockHeader(buffer);
        state &= ~(BM_IO_IN_PROGRESS | BM_IO_ERROR);
        if (clearDirty && (state & BM_JUST_DIRTIED) == 0) {
            state &= ~(BM_DIRTY | BM_CHECKPOINT_NEEDED);
        }
        state |= setFlags;
        descriptors.unlockHeader(buffer, state);
        ioLock(buffer).unlock();
    }

    private void abortBufferIO(int buffer) {
        int state = descriptors.lockHeader(buffer);
        descriptors.unlockHeader(buffer, (state & ~BM_IO_IN_PROGRESS) | BM_IO_ERROR);
        ioLock(buffer).unlock();
    }

    /**
     * Writes a pinned, share-locked dirty buffer out, WAL first (PostgreSQL: FlushBuffer). A
     * change made during the write sets BM_JUST_DIRTIED again, which keeps the buffer dirty.
     */
    private boolean flushBuffer(int buffer) {
        if (!startBufferIO(buffer, false)) {
            return false;
        }
        try {
            BufferTag tag = descriptors.tag(buffer);
            ByteBuffer page = blockOf(buffer);
            wal.flush(Page.lsn(page));
            checkNotDiscarded(); // under the I/O lock: a write that passed this finishes before a new pool reads the page
            smgr.write(tag.rel(), tag.fork(), tag.blockNumber(), page);
            writes.increment();
        } catch (RuntimeException e) {
            abortBufferIO(buffer);
            throw e;
        }
        terminateBufferIO(buffer, true, 0);
        return true;
    }

    // ---- content locks ----

    private ReentrantReadWriteLock contentLock(int buffer) {
        ReentrantReadWriteLock lock = contentLocks.get(buffer - 1);
        if (lock == null) {
            contentLocks.compareAndSet(buffer - 1, null, new ReentrantReadWriteLock());
            lock = contentLocks.get(buffer - 1);
        }
        return lock;
    }

    private void checkPinned(int buffer) {
        check(buffer);
        if (refcount(descriptors.state(buffer)) == 0) {
            throw new PgException(SqlState.INTERNAL_ERROR, "buffer " + buffer + " is not pinned");
        }
    }

    @Override
    public void lockShared(int buffer) {
        checkPinned(buffer);
        contentLock(buffer).readLock().lock();
    }

    @Override
    public void lockExclusive(int buffer) {
        checkPinned(buffer);
        contentLock(buffer).writeLock().lock();
    }

    @Override
    public boolean tryLockExclusive(int buffer) {
        checkPinned(buffer);
        return contentLock(buffer).writeLock().tryLock();
    }

    @Override
    public void unlock(int buffer) {
        check(buffer);
        ReentrantReadWriteLock lock = contentLock(buffer);
        if (lock.isWriteLockedByCurrentThread()) {
            lock.writeLock().unlock();
        } else if (lock.getReadHoldCount() > 0) {
            lock.readLock().unlock();
        } else {
            throw new PgException(SqlState.INTERNAL_ERROR, "content lock of buffer " + buffer + " is not held");
        }
    }

    @Override
    public void markDirty(int buffer) {
        checkPinned(buffer);
        descriptors.setFlags(buffer, BM_DIRTY | BM_JUST_DIRTIED);
    }

    /**
     * MarkBufferDirtyHint without checksums: the same flags as markDirty. Under a share lock a
     * concurrent FlushBuffer may be writing the page: BM_JUST_DIRTIED, which its start cleared,
     * keeps the buffer dirty after that write.
     */
    @Override
    public void markDirtyHint(int buffer) {
        checkPinned(buffer);
        descriptors.setFlags(buffer, BM_DIRTY | BM_JUST_DIRTIED);
    }

    // ---- page access ----

    private ByteBuffer blockOf(int buffer) {
        return blocks.slice((long) (buffer - 1) * Page.SIZE, Page.SIZE).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public ByteBuffer page(int buffer) {
        checkPinned(buffer);
        return blockOf(buffer);
    }

    @Override
    public long blockNumber(int buffer) {
        checkPinned(buffer);
        return Integer.toUnsignedLong(descriptors.block(buffer));
    }

    private void check(int buffer) {
        if (buffer < 1 || buffer > nBuffers) {
            throw new PgException(SqlState.INTERNAL_ERROR, "bad buffer ID: " + buffer);
        }
    }

    // ---- relations ----

    @Override
    public int extend(RelFileLocator rel, ForkNumber fork) {
        ReentrantLock lock = extensionLocks.computeIfAbsent(new RelationStorage.RelFork(rel, fork), k -> new ReentrantLock());
        lock.lock();
        try {
            long block = smgr.nblocks(rel, fork);
            if (block > BufferTag.MAX_BLOCK_NUMBER) {
                throw new PgException(SqlState.PROGRAM_LIMIT_EXCEEDED, "cannot extend relation "
                        + RelationStorage.relpath(rel, fork) + " beyond " + BufferTag.MAX_BLOCK_NUMBER + " blocks");
            }
            // map the new block first: once the file is longer, another backend may pin it as the
            // last page, and must find this buffer rather than read the block into a second one
            // that the zeroed page here would later overwrite (ReadBuffer_common with P_NEW)
            int buffer = pin(rel, fork, block, ReadMode.ZERO);
            try {
                if (!Page.isNew(blockOf(buffer))) {
                    throw new PgException(SqlState.INTERNAL_ERROR, "unexpected data beyond EOF in block " + block
                            + " of relation " + RelationStorage.relpath(rel, fork))
                            .withHint("This has been seen to occur with buggy kernels; consider updating your system.");
                }
                checkNotDiscarded();
                smgr.extend(rel, fork, block, ZERO_PAGE.duplicate());
            } catch (RuntimeException e) {
                unpin(buffer);
                throw e;
            }
            return buffer;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long nblocks(RelFileLocator rel, ForkNumber fork) {
        return smgr.nblocks(rel, fork);
    }

    @Override
    public boolean exists(RelFileLocator rel, ForkNumber fork) {
        return smgr.exists(rel, fork);
    }

    @Override
    public void create(RelFileLocator rel, ForkNumber fork) {
        checkNotDiscarded();
        smgr.create(rel, fork);
    }

    @Override
    public void flushDirty() {
        for (int buffer = 1; buffer <= nBuffers; buffer++) {
            if ((descriptors.state(buffer) & BM_DIRTY) != 0) {
                flushPinned(buffer, null);
            }
        }
        smgr.sync();
    }

    /** Pins the buffer without bumping its usage, writes it if dirty (and of the relation, if given), unpins. */
    private boolean flushPinned(int buffer, RelFileLocator rel) {
        descriptors.pin(buffer, false);
        try {
            int state = descriptors.state(buffer);
            if ((state & (BM_DIRTY | BM_VALID)) != (BM_DIRTY | BM_VALID)
                    || (rel != null && !descriptors.relEquals(buffer, rel))) {
                return false;
            }
            return writePinned(buffer);
        } finally {
            descriptors.unpin(buffer);
        }
    }

    /** FlushBuffer under a share content lock, on a buffer the caller pinned. */
    private boolean writePinned(int buffer) {
        ReentrantReadWriteLock lock = contentLock(buffer);
        lock.readLock().lock();
        try {
            return flushBuffer(buffer);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void flushRelation(RelFileLocator rel) {
        for (int buffer = 1; buffer <= nBuffers; buffer++) {
            int state = descriptors.state(buffer);
            if ((state & BM_DIRTY) != 0 && (state & BM_TAG_VALID) != 0 && descriptors.relEquals(buffer, rel)) {
                if (flushPinned(buffer, rel)) {
                    backendWrites.increment();
                }
            }
        }
        for (ForkNumber fork : ForkNumber.values()) {
            smgr.immedsync(rel, fork);
        }
    }

    @Override
    public void dropRelation(RelFileLocator rel) {
        checkNotDiscarded();
        invalidateBuffers(rel, null, 0);
        smgr.unlink(rel);
        for (ForkNumber fork : ForkNumber.values()) {
            extensionLocks.remove(new RelationStorage.RelFork(rel, fork));
        }
    }

    @Override
    public void truncate(RelFileLocator rel, ForkNumber fork, long nblocks) {
        checkNotDiscarded();
        invalidateBuffers(rel, fork, nblocks);
        smgr.truncate(rel, fork, nblocks);
    }

    /**
     * Forgets the buffers of the relation (one fork from {@code firstBlock} on, or every fork)
     * without writing them (PostgreSQL: DropRelFileNodeBuffers, InvalidateBuffer).
     */
    private void invalidateBuffers(RelFileLocator rel, ForkNumber fork, long firstBlock) {
        for (int buffer = 1; buffer <= nBuffers; buffer++) {
            if (!descriptors.relEquals(buffer, rel)) {
                continue; // unlocked pre-check, as PostgreSQL's
            }
            int state = descriptors.lockHeader(buffer);
            boolean match = (state & BM_TAG_VALID) != 0 && descriptors.relEquals(buffer, rel)
                    && (fork == null || (descriptors.fork(buffer) == fork.ordinal()
                            && Integer.toUnsignedLong(descriptors.block(buffer)) >= firstBlock));
            if (!match) {
                descriptors.unlockHeader(buffer, state);
                continue;
            }
            if (refcount(state) != 0 || (state & BM_IO_IN_PROGRESS) != 0) {
                descriptors.unlockHeader(buffer, state);
                throw new PgException(SqlState.OBJECT_IN_USE, "cannot drop buffers of relation " + rel
                        + ": buffer " + buffer + " is pinned");
            }
            BufferTag tag = descriptors.tag(buffer);
            table.delete(tag, buffer);
            descriptors.unlockHeader(buffer, state & ~(BM_TAG_VALID | BM_VALID | BM_DIRTY | BM_JUST_DIRTIED
                    | BM_CHECKPOINT_NEEDED | BM_IO_ERROR | BUF_USAGECOUNT_MASK));
        }
    }

    @Override
    public void immedsync(RelFileLocator rel, ForkNumber fork) {
        smgr.immedsync(rel, fork);
    }

    @Override
    public int bufferCount() {
        return nBuffers;
    }

    @Override
    public Stats stats() {
        return new Stats(hits.sum(), reads.sum(), writes.sum());
    }

    // ---- the checkpointer and the background writer ----

    @Override
    public int[] beginCheckpoint() {
        // BufferSync's first loop: mark, under the header lock, every buffer dirty right now
        record Marked(int buffer, BufferTag tag) {
        }
        Marked[] marked = new Marked[nBuffers];
        int n = 0;
        for (int buffer = 1; buffer <= nBuffers; buffer++) {
            int state = descriptors.lockHeader(buffer);
            if ((state & (BM_DIRTY | BM_TAG_VALID)) == (BM_DIRTY | BM_TAG_VALID)) {
                state |= BM_CHECKPOINT_NEEDED;
                marked[n++] = new Marked(buffer, descriptors.tag(buffer));
            }
            descriptors.unlockHeader(buffer, state);
        }
        Marked[] sorted = Arrays.copyOf(marked, n);
        Arrays.sort(sorted, Comparator.comparing(Marked::tag, CHECKPOINT_ORDER));
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = sorted[i].buffer();
        }
        return out;
    }

    @Override
    public boolean writeIfCheckpointNeeded(int buffer) {
        check(buffer);
        if ((descriptors.state(buffer) & BM_CHECKPOINT_NEEDED) == 0) {
            return false; // written (and the flag cleared) by someone else meanwhile
        }
        descriptors.pin(buffer, false);
        try {
            int state = descriptors.state(buffer);
            if ((state & (BM_CHECKPOINT_NEEDED | BM_DIRTY | BM_VALID)) != (BM_CHECKPOINT_NEEDED | BM_DIRTY | BM_VALID)) {
                return false;
            }
            return writePinned(buffer);
        } finally {
            descriptors.unpin(buffer);
        }
    }

    @Override
    public int syncOneBuffer(int buffer, boolean skipRecentlyUsed) {
        check(buffer);
        int result = 0;
        int state = descriptors.lockHeader(buffer);
        if (refcount(state) == 0 && BufferDescriptors.usageCount(state) == 0) {
            result |= BUF_REUSABLE;
        } else if (skipRecentlyUsed) {
            descriptors.unlockHeader(buffer, state);
            return result;
        }
        if ((state & (BM_VALID | BM_DIRTY)) != (BM_VALID | BM_DIRTY)) {
            descriptors.unlockHeader(buffer, state);
            return result;
        }
        descriptors.pinLocked(buffer, state);
        try {
            return writePinned(buffer) ? result | BUF_WRITTEN : result;
        } finally {
            descriptors.unpin(buffer);
        }
    }

    @Override
    public SyncResult syncPendingFiles() {
        return smgr.sync();
    }

    @Override
    public ClockPosition clockPosition() {
        return strategy.position();
    }

    @Override
    public BackendWrites backendWrites() {
        return new BackendWrites(backendWrites.sum(), 0);
    }
}
