/*
 * ClockSweep: chooses the victim buffer for a page that is not in shared buffers (PostgreSQL:
 * storage/buffer/freelist.c, StrategyGetBuffer without the free list and access strategies).
 *
 * The clock hand (nextVictimBuffer, in the "Buffer Strategy Status" region) goes round the
 * buffers. An unpinned buffer with a usage count above zero loses one and is passed by; an
 * unpinned one at zero is the victim. Pinned buffers are passed by too; after NBuffers of them
 * in a row without finding a usable one, every buffer is pinned and the request fails with
 * ERROR "no unpinned buffers available" rather than waiting for a pin to go away.
 *
 * Entry points: getBuffer() -- returns the victim with its header lock held.
 * See also: BufferDescriptors -- states and header locks; SharedBufferPool -- the caller.
 */
package org.osgres.buffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.osgres.api.buffer.BufferManager;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.shmem.SharedMemory;

final class ClockSweep {
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final int OFF_NEXT_VICTIM = 0;
    private static final int OFF_ALLOCS = 8;

    private final BufferDescriptors descriptors;
    private final int nBuffers;
    /** BufferStrategyControl: the clock hand and the count of allocations. */
    private final ByteBuffer control;

    ClockSweep(SharedMemory shmem, BufferDescriptors descriptors) {
        this.descriptors = descriptors;
        this.nBuffers = descriptors.count();
        this.control = shmem.region("Buffer Strategy Status", 64).buffer();
    }

    /** The next buffer under the clock hand (PostgreSQL: ClockSweepTick). */
    private int tick() {
        long hand = (long) LONG.getAndAdd(control, OFF_NEXT_VICTIM, 1L);
        return (int) (hand % nBuffers) + 1;
    }

    /**
     * A victim: an unpinned buffer whose usage count reached zero, returned with its header
     * lock held; the caller pins it with pinLocked.
     *
     * @param lockedState receives the victim's state (header locked) in element 0
     * @return the buffer id
     * @throws PgException XX000 "no unpinned buffers available"
     */
    int getBuffer(int[] lockedState) {
        LONG.getAndAdd(control, OFF_ALLOCS, 1L);
        int trycounter = nBuffers;
        for (;;) {
            int buffer = tick();
            int state = descriptors.lockHeader(buffer);
            if (BufferDescriptors.refcount(state) == 0) {
                if (BufferDescriptors.usageCount(state) != 0) {
                    descriptors.unlockHeader(buffer, state - BufferDescriptors.BUF_USAGECOUNT_ONE);
                    trycounter = nBuffers;
                    continue;
                }
                lockedState[0] = state;
                return buffer;
            }
            descriptors.unlockHeader(buffer, state);
            if (--trycounter == 0) {
                throw new PgException(SqlState.INTERNAL_ERROR, "no unpinned buffers available");
            }
        }
    }

    /** StrategySyncStart: the clock hand's next buffer, its complete passes, and the allocations so far. */
    BufferManager.ClockPosition position() {
        long hand = (long) LONG.getVolatile(control, OFF_NEXT_VICTIM);
        return new BufferManager.ClockPosition((int) (hand % nBuffers) + 1, hand / nBuffers,
                allocations());
    }

    /** Buffer allocations so far (PostgreSQL: numBufferAllocs, pg_stat_bgwriter.buffers_alloc). */
    long allocations() {
        return (long) LONG.getVolatile(control, OFF_ALLOCS);
    }
}
