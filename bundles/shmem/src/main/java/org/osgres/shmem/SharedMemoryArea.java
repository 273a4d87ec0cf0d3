/*
 * SharedMemoryArea: the server's one shared memory area (PostgreSQL: storage/ipc/shmem.c, with
 * the creation in sysv_shmem.c and the sizing in ipci.c).
 *
 * The postmaster's start creates it, sized by ShmemSizing from the settings, as off-heap memory
 * (direct ByteBuffers of at most 1 GiB each, "chunks", so that a few GB of shared_buffers work).
 * Subsystems take named regions from it with region(name, bytes), as ShmemInitStruct does: the
 * first call allocates (memory comes zeroed), later calls find the same region in the index. The
 * area never grows: when it is used up, the request fails with FATAL 53200. Regions start on an
 * 8 KB boundary; one that fits in a chunk never crosses a chunk boundary, a bigger one (the
 * buffer pages) does, and then only its 8 KB blocks can be sliced across it.
 *
 * After a crash SharedMemoryResetter marks the area discarded (its holders then write nothing)
 * and has DS make a new one.
 *
 * Entry points: the DS activation (CreateSharedMemoryAndSemaphores), region(), allocations().
 * See also: ShmemSizing -- the size; org.osgres.api.shmem.SharedRegion -- what callers get.
 */
package org.osgres.shmem;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.config.Settings;
import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.error.SqlState;
import org.osgres.api.shmem.SharedMemory;
import org.osgres.api.shmem.SharedRegion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Component(service = SharedMemory.class, immediate = true)
public final class SharedMemoryArea implements SharedMemory {
    private static final Logger LOG = LoggerFactory.getLogger(SharedMemoryArea.class);
    /** The largest chunk: 1 GiB, a multiple of 8 KB that a ByteBuffer can address. */
    public static final long DEFAULT_CHUNK_SIZE = SharedRegion.MAX_SLICE;
    private static final int REGION_ALIGNMENT = ShmemSizing.BLCKSZ;

    private final long size;
    private final long chunkSize;
    private final ByteBuffer[] chunks;
    /** The ShmemIndex: name to region, in allocation order. */
    private final Map<String, Region> index = new LinkedHashMap<>();
    private long freeOffset;
    /** Set by SharedMemoryResetter when a crash throws this area away. */
    private volatile boolean discarded;

    /** The area for the server's settings. */
    @Activate
    public SharedMemoryArea(@Reference Settings settings) {
        this(ShmemSizing.of(settings).total(DEFAULT_CHUNK_SIZE), DEFAULT_CHUNK_SIZE);
    }

    /**
     * An area of {@code size} bytes in chunks of {@code chunkSize} (a multiple of 8 KB).
     *
     * @throws PgException FATAL 53200 when the memory cannot be had
     */
    public SharedMemoryArea(long size, long chunkSize) {
        if (chunkSize <= 0 || chunkSize % REGION_ALIGNMENT != 0 || chunkSize > SharedRegion.MAX_SLICE) {
            throw new IllegalArgumentException("chunk size must be a multiple of 8192 up to 1 GiB: " + chunkSize);
        }
        this.size = size;
        this.chunkSize = chunkSize;
        LOG.debug("invoking IpcMemoryCreate(size={})", size);
        int n = (int) ((size + chunkSize - 1) / chunkSize);
        chunks = new ByteBuffer[n];
        try {
            for (int i = 0; i < n; i++) {
                long len = Math.min(chunkSize, size - i * chunkSize);
                chunks[i] = ByteBuffer.allocateDirect((int) len);
            }
        } catch (OutOfMemoryError e) {
            throw new PgException(SqlState.OUT_OF_MEMORY, "could not map anonymous shared memory: " + e.getMessage(), e)
                    .withSeverity(Severity.FATAL)
                    .withHint("This error usually means that PostgreSQL's request for a shared memory segment exceeded "
                            + "available memory, swap space, or huge pages. To reduce the request size (currently "
                            + size + " bytes), reduce PostgreSQL's shared memory usage, perhaps by reducing "
                            + "shared_buffers or max_connections.");
        }
    }

    @Override
    public synchronized SharedRegion region(String name, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size for \"" + name + "\"");
        }
        Region existing = index.get(name);
        if (existing != null) {
            if (existing.size != bytes) {
                throw new PgException(SqlState.INTERNAL_ERROR, "ShmemIndex entry size is wrong for data structure \""
                        + name + "\": expected " + bytes + ", actual " + existing.size);
            }
            return existing;
        }
        long start = align(freeOffset);
        if (bytes <= chunkSize && bytes > 0 && start / chunkSize != (start + bytes - 1) / chunkSize) {
            start = (start / chunkSize + 1) * chunkSize;
        }
        if (start + bytes > size) {
            throw new PgException(SqlState.OUT_OF_MEMORY, "not enough shared memory for data structure \"" + name
                    + "\" (" + bytes + " bytes requested)").withSeverity(Severity.FATAL);
        }
        Region r = new Region(name, start, bytes);
        index.put(name, r);
        freeOffset = start + bytes;
        LOG.debug("shared memory region \"{}\": {} bytes at offset {}", name, bytes, start);
        return r;
    }

    private static long align(long offset) {
        return (offset + REGION_ALIGNMENT - 1) / REGION_ALIGNMENT * REGION_ALIGNMENT;
    }

    @Override
    public boolean discarded() {
        return discarded;
    }

    /** After a crash: from now on no holder of this area may write anything from it. */
    void discard() {
        discarded = true;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public synchronized long freeBytes() {
        return size - freeOffset;
    }

    @Override
    public synchronized List<Allocation> allocations() {
        List<Allocation> out = new ArrayList<>(index.size());
        for (Region r : index.values()) {
            out.add(new Allocation(r.name, r.start, r.size, r.size));
        }
        return out;
    }

    /** One named region: a window [start, start + size) of the area. */
    private final class Region implements SharedRegion {
        private final String name;
        private final long start;
        private final long size;

        Region(String name, long start, long size) {
            this.name = name;
            this.start = start;
            this.size = size;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public ByteBuffer slice(long offset, int length) {
            if (offset < 0 || length < 0 || offset + length > size) {
                throw new IndexOutOfBoundsException("window [" + offset + ", " + (offset + length)
                        + ") outside region \"" + name + "\" of " + size + " bytes");
            }
            if (length == 0) {
                return ByteBuffer.allocateDirect(0);
            }
            long at = start + offset;
            int chunk = (int) (at / chunkSize);
            int within = (int) (at % chunkSize);
            if (within + (long) length > chunks[chunk].capacity()) {
                throw new IllegalArgumentException("window [" + offset + ", " + (offset + length)
                        + ") of region \"" + name + "\" crosses a shared memory chunk boundary");
            }
            return chunks[chunk].slice(within, length);
        }
    }
}
