package org.osgres.api.shmem;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A named region of the shared memory area. Its memory is shared by every backend and worker:
 * callers synchronise access themselves (atomics through VarHandles on the slices, or locks).
 *
 * <p>Regions start on an 8 KB boundary of the area, and the area is made of chunks whose size is
 * a multiple of 8 KB, so a slice that stays inside one 8 KB-aligned block of the region always
 * works. A region of up to {@link #MAX_SLICE} bytes can be taken whole with {@link #buffer()}.
 */
@ProviderType
public interface SharedRegion {
    /** The largest window one slice can be: regions up to this size never cross a chunk. */
    long MAX_SLICE = 1L << 30;

    /** The region's name. */
    String name();

    /** The region's size in bytes. */
    long size();

    /**
     * A window of the region: a new ByteBuffer (position 0, limit {@code length}, big-endian, as
     * every new ByteBuffer) over shared memory.
     *
     * @throws IndexOutOfBoundsException if the window is outside the region
     * @throws IllegalArgumentException if the window crosses a chunk boundary of the area (only
     *         possible in regions larger than {@link #MAX_SLICE}, for windows not inside one 8 KB block)
     */
    ByteBuffer slice(long offset, int length);

    /** The whole region as one buffer; only for regions of at most {@link #MAX_SLICE} bytes. */
    default ByteBuffer buffer() {
        if (size() > MAX_SLICE) {
            throw new IllegalStateException("region \"" + name() + "\" is too large for one buffer");
        }
        return slice(0, (int) size());
    }
}
