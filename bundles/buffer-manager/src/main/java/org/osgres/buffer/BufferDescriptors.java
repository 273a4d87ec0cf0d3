/*
 * BufferDescriptors: the array of buffer headers in shared memory (PostgreSQL: BufferDesc in
 * storage/buf_internals.h, with LockBufHdr, PinBuffer, UnpinBuffer of bufmgr.c).
 *
 * One 64-byte descriptor per buffer in the "Buffer Descriptors" region:
 *   0  state     refcount (18 bits), usage count (4 bits), flags (10 bits), PostgreSQL's layout
 *   4  spcOid    the tag: tablespace, database, relfilenode, fork, block
 *   8  dbOid
 *  12  relNumber
 *  16  fork
 *  20  block
 * The state word changes only by compare-and-set (VarHandle on the shared ByteBuffer). Setting
 * BM_LOCKED is the buffer header spinlock: the tag and the flags change only under it; a pin
 * (refcount + 1) waits while it is held, so a pinned buffer's tag cannot change.
 *
 * Entry points: lockHeader(), unlockHeader(), pin(), pinLocked(), unpin(), tag(), setTag().
 * See also: SharedBufferPool -- the rules of use; ClockSweep -- usage counts going down.
 */
package org.osgres.buffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.shmem.SharedMemory;

final class BufferDescriptors {
    static final int DESCRIPTOR_SIZE = 64;

    static final int BUF_REFCOUNT_ONE = 1;
    static final int BUF_REFCOUNT_MASK = (1 << 18) - 1;
    static final int BUF_USAGECOUNT_SHIFT = 18;
    static final int BUF_USAGECOUNT_ONE = 1 << BUF_USAGECOUNT_SHIFT;
    static final int BUF_USAGECOUNT_MASK = 0x003C0000;
    static final int BM_MAX_USAGE_COUNT = 5;

    static final int BM_LOCKED = 1 << 22;
    static final int BM_DIRTY = 1 << 23;
    static final int BM_VALID = 1 << 24;
    static final int BM_TAG_VALID = 1 << 25;
    static final int BM_IO_IN_PROGRESS = 1 << 26;
    static final int BM_IO_ERROR = 1 << 27;
    static final int BM_JUST_DIRTIED = 1 << 28;
    static final int BM_CHECKPOINT_NEEDED = 1 << 30;

    private static final int OFF_STATE = 0;
    private static final int OFF_SPC = 4;
    private static final int OFF_DB = 8;
    private static final int OFF_REL = 12;
    private static final int OFF_FORK = 16;
    private static final int OFF_BLOCK = 20;
    /** Busy spins before a waiter starts to sleep (PostgreSQL: spins_per_delay, roughly). */
    private static final int SPINS_BEFORE_SLEEP = 100;
    /** The first sleep; each further one doubles, up to MIN_DELAY_NANOS << MAX_DELAY_SHIFT (~1 ms). */
    private static final long MIN_DELAY_NANOS = 20_000;
    private static final int MAX_DELAY_SHIFT = 6;

    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final ForkNumber[] FORKS = ForkNumber.values();

    private final int nBuffers;
    private final ByteBuffer descs;

    BufferDescriptors(SharedMemory shmem, int nBuffers) {
        this.nBuffers = nBuffers;
        this.descs = shmem.region("Buffer Descriptors", (long) nBuffers * DESCRIPTOR_SIZE).buffer();
    }

    int count() {
        return nBuffers;
    }

    static int refcount(int state) {
        return state & BUF_REFCOUNT_MASK;
    }

    static int usageCount(int state) {
        return (state & BUF_USAGECOUNT_MASK) >>> BUF_USAGECOUNT_SHIFT;
    }

    private static int at(int buffer) {
        return (buffer - 1) * DESCRIPTOR_SIZE;
    }

    /** The state word, read without the header lock. */
    int state(int buffer) {
        return (int) INT.getVolatile(descs, at(buffer) + OFF_STATE);
    }

    private boolean cas(int buffer, int expected, int value) {
        return INT.compareAndSet(descs, at(buffer) + OFF_STATE, expected, value);
    }

    /** Takes the header spinlock; returns the state with BM_LOCKED set (PostgreSQL: LockBufHdr). */
    int lockHeader(int buffer) {
        int spins = 0;
        for (;;) {
            int old = state(buffer);
            if ((old & BM_LOCKED) == 0 && cas(buffer, old, old | BM_LOCKED)) {
                return old | BM_LOCKED;
            }
            spins = spinDelay(spins);
        }
    }

    /** Releases the header spinlock, storing the new state (PostgreSQL: UnlockBufHdr). */
    void unlockHeader(int buffer, int state) {
        INT.setVolatile(descs, at(buffer) + OFF_STATE, state & ~BM_LOCKED);
    }

    /** Waits out a held header lock (PostgreSQL: WaitBufHdrUnlocked); returns the unlocked state. */
    private int waitUnlocked(int buffer) {
        int spins = 0;
        int s = state(buffer);
        while ((s & BM_LOCKED) != 0) {
            spins = spinDelay(spins);
            s = state(buffer);
        }
        return s;
    }

    /**
     * One step of waiting for another backend (PostgreSQL: perform_spin_delay): busy spins
     * first, then short sleeps that grow to a millisecond. Backends are virtual threads, which
     * are never preempted, and Thread.yield() is not enough: spinners that only yield keep
     * re-queueing themselves on the carriers while the backend they wait for (woken from a
     * monitor, say) starves in another queue. Parking unmounts the waiter and frees its carrier.
     *
     * @param spins the count returned by the previous call, 0 at the start of a wait
     */
    static int spinDelay(int spins) {
        if (spins < SPINS_BEFORE_SLEEP) {
            Thread.onSpinWait();
        } else {
            int shift = Math.min(spins - SPINS_BEFORE_SLEEP, MAX_DELAY_SHIFT);
            LockSupport.parkNanos(MIN_DELAY_NANOS << shift);
        }
        return spins + 1;
    }

    /**
     * Pins: refcount + 1, and the usage count + 1 up to BM_MAX_USAGE_COUNT (PostgreSQL:
     * PinBuffer). Returns the new state.
     */
    int pin(int buffer, boolean bumpUsage) {
        for (;;) {
            int old = waitUnlocked(buffer);
            int state = old + BUF_REFCOUNT_ONE;
            if (refcount(old) == BUF_REFCOUNT_MASK) {
                throw new PgException(SqlState.INTERNAL_ERROR, "too many pins on buffer " + buffer);
            }
            if (bumpUsage && usageCount(state) < BM_MAX_USAGE_COUNT) {
                state += BUF_USAGECOUNT_ONE;
            }
            if (cas(buffer, old, state)) {
                return state;
            }
        }
    }

    /** Pins a buffer whose header lock the caller holds, and releases the lock (PostgreSQL: PinBuffer_Locked). */
    int pinLocked(int buffer, int lockedState) {
        int state = lockedState + BUF_REFCOUNT_ONE;
        unlockHeader(buffer, state);
        return state & ~BM_LOCKED;
    }

    /** Drops a pin (PostgreSQL: UnpinBuffer). */
    void unpin(int buffer) {
        for (;;) {
            int old = waitUnlocked(buffer);
            if (refcount(old) == 0) {
                throw new PgException(SqlState.INTERNAL_ERROR, "buffer " + buffer + " is not pinned");
            }
            if (cas(buffer, old, old - BUF_REFCOUNT_ONE)) {
                return;
            }
        }
    }

    /** Sets flag bits without the header lock held by the caller (PostgreSQL: MarkBufferDirty's CAS loop). */
    void setFlags(int buffer, int flags) {
        for (;;) {
            int old = waitUnlocked(buffer);
            if ((old & flags) == flags || cas(buffer, old, old | flags)) {
                return;
            }
        }
    }

    /** The tag; valid while the buffer is pinned or its header locked. */
    BufferTag tag(int buffer) {
        int a = at(buffer);
        RelFileLocator rel = new RelFileLocator(descs.getInt(a + OFF_SPC), descs.getInt(a + OFF_DB), descs.getInt(a + OFF_REL));
        return new BufferTag(rel, FORKS[descs.getInt(a + OFF_FORK)], descs.getInt(a + OFF_BLOCK));
    }

    /** Whether the buffer's tag is this one (no allocation). */
    boolean tagEquals(int buffer, BufferTag tag) {
        int a = at(buffer);
        RelFileLocator rel = tag.rel();
        return descs.getInt(a + OFF_BLOCK) == tag.block() && descs.getInt(a + OFF_REL) == rel.relNumber()
                && descs.getInt(a + OFF_DB) == rel.dbOid() && descs.getInt(a + OFF_SPC) == rel.spcOid()
                && descs.getInt(a + OFF_FORK) == tag.fork().ordinal();
    }

    /** Whether the buffer belongs to the relation (any fork). */
    boolean relEquals(int buffer, RelFileLocator rel) {
        int a = at(buffer);
        return descs.getInt(a + OFF_REL) == rel.relNumber() && descs.getInt(a + OFF_DB) == rel.dbOid()
                && descs.getInt(a + OFF_SPC) == rel.spcOid();
    }

    int fork(int buffer) {
        return descs.getInt(at(buffer) + OFF_FORK);
    }

    int block(int buffer) {
        return descs.getInt(at(buffer) + OFF_BLOCK);
    }

    /** Writes the tag; only under the header lock. */
    void setTag(int buffer, BufferTag tag) {
        int a = at(buffer);
        descs.putInt(a + OFF_SPC, tag.rel().spcOid());
        descs.putInt(a + OFF_DB, tag.rel().dbOid());
        descs.putInt(a + OFF_REL, tag.rel().relNumber());
        descs.putInt(a + OFF_FORK, tag.fork().ordinal());
        descs.putInt(a + OFF_BLOCK, tag.block());
    }
}
