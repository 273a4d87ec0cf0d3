package org.osgres.api.shmem;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.osgres.api.error.PgException;

/**
 * The server's shared memory area (PostgreSQL: storage/ipc/shmem.c). The postmaster creates one
 * area at start, sized from the settings (shared_buffers, wal_buffers, the CLOG buffers, backend
 * slots); it never grows. Subsystems take named regions from it, as ShmemInitStruct does: the
 * first call with a name allocates the region (zeroed), later calls with the same name return the
 * same region. No subsystem keeps shared state outside it.
 *
 * <p>The area is off-heap memory. A region larger than what one Java buffer can address is still
 * one region; {@link SharedRegion#slice} hands out windows of it.
 */
@ProviderType
public interface SharedMemory {

    /**
     * The region with this name, allocating it on first use (PostgreSQL: ShmemInitStruct).
     *
     * @param name  the region's name, as pg_shmem_allocations shows it ("Buffer Blocks")
     * @param bytes its size; a later call with the same name must ask for the same size
     * @throws PgException FATAL 53200 "not enough shared memory for data structure ..." when the
     *         area is exhausted; XX000 when the name exists with another size
     */
    SharedRegion region(String name, long bytes);

    /** The size of the whole area in bytes (PostgreSQL: shared_memory_size). */
    long size();

    /** Bytes not yet given to any region. */
    long freeBytes();

    /** Every region given out so far, in allocation order (PostgreSQL: pg_shmem_allocations). */
    List<Allocation> allocations();

    /**
     * True once the postmaster has thrown this area away after a crash (restart_after_crash): a
     * backend PANICked and the shared state may be half-changed. Whoever still holds the area
     * must then write nothing from it -- no buffer, no WAL, no commit log page, no pg_control,
     * no shutdown checkpoint -- as PostgreSQL's processes, killed by the postmaster, write
     * nothing. A new area replaces it and crash recovery rebuilds the state from WAL.
     */
    boolean discarded();

    /** One allocated region as pg_shmem_allocations reports it. */
    record Allocation(String name, long offset, long size, long allocatedSize) {
    }
}
