package org.osgres.testing;

import java.util.List;

import org.osgres.api.shmem.SharedMemory;
import org.osgres.api.shmem.SharedRegion;

/**
 * A shared memory area whose {@link #discarded()} the test decides: it hands out the regions of
 * the area it wraps, and {@link #discard()} plays the postmaster's reset after a crash
 * (SharedMemoryResetter) for components built on it in a test.
 */
public final class DiscardableSharedMemory implements SharedMemory {
    private final SharedMemory area;
    private volatile boolean discarded;

    public DiscardableSharedMemory(SharedMemory area) {
        this.area = area;
    }

    /** Marks the area thrown away: its holders must write nothing from now on. */
    public void discard() {
        discarded = true;
    }

    @Override
    public boolean discarded() {
        return discarded;
    }

    @Override
    public SharedRegion region(String name, long bytes) {
        return area.region(name, bytes);
    }

    @Override
    public long size() {
        return area.size();
    }

    @Override
    public long freeBytes() {
        return area.freeBytes();
    }

    @Override
    public List<Allocation> allocations() {
        return area.allocations();
    }
}
