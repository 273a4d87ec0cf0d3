/*
 * ShmemSizing: how big the shared memory area must be (PostgreSQL: CalculateShmemSize in
 * storage/ipc/ipci.c, which asks every subsystem for its share).
 *
 * The area never grows, so its size is fixed at start from the settings: the shared buffers
 * (pages and descriptors), the CLOG buffers, the WAL buffers, per-backend state for every
 * backend slot, and PostgreSQL's 100000 bytes of slack plus room for region alignment.
 *
 * Entry points: of(Settings), total(); clogBuffers(), walBuffers() -- PostgreSQL's formulas.
 * See also: SharedMemoryArea -- allocates the area and hands out regions.
 */
package org.osgres.shmem;

import org.osgres.api.config.Settings;

/** The shares of the shared memory area, in bytes. */
public record ShmemSizing(long bufferPool, long clog, long walBuffers, long backends, long slack) {
    /** BLCKSZ. */
    public static final int BLCKSZ = 8192;
    /** Bytes reserved per buffer descriptor (PostgreSQL pads BufferDesc to a cache line: 64). */
    public static final int BUFFER_DESCRIPTOR_SIZE = 64;
    /** Bytes reserved per SLRU buffer for its control data (status, page number, LSN...). */
    public static final int SLRU_BUFFER_CONTROL_SIZE = 64;
    /** Bytes reserved per backend slot (PostgreSQL's PGPROC is about 1 KB). */
    public static final int BACKEND_SLOT_SIZE = 1024;
    /** PostgreSQL's slack for small allocations (CalculateShmemSize: size + 100000). */
    public static final int SLACK = 100_000;
    /** Regions start on an 8 KB boundary; this many regions' worth of alignment is reserved. */
    public static final int ALIGNMENT_RESERVE_REGIONS = 64;
    /** The wal_segment_size in 8 KB pages: 16 MB. */
    private static final int WAL_SEGMENT_PAGES = 16 * 1024 * 1024 / BLCKSZ;

    /** The shares for these settings. */
    public static ShmemSizing of(Settings settings) {
        int nBuffers = settings.getInt("shared_buffers");
        int maxBackends = settings.getInt("max_connections") + settings.getInt("autovacuum_max_workers") + 1
                + settings.getInt("max_worker_processes") + settings.getInt("max_wal_senders");
        return of(nBuffers, settings.getInt("wal_buffers"), maxBackends);
    }

    /** The shares for shared_buffers = nBuffers, wal_buffers (-1 = auto) and MaxBackends. */
    public static ShmemSizing of(int nBuffers, int walBuffersSetting, int maxBackends) {
        long pool = (long) nBuffers * (BLCKSZ + BUFFER_DESCRIPTOR_SIZE) + 2 * BLCKSZ;
        long clog = (long) clogBuffers(nBuffers) * (BLCKSZ + SLRU_BUFFER_CONTROL_SIZE) + BLCKSZ;
        long wal = (long) walBuffers(walBuffersSetting, nBuffers) * BLCKSZ + BLCKSZ;
        long backends = (long) maxBackends * BACKEND_SLOT_SIZE;
        long slack = SLACK + (long) ALIGNMENT_RESERVE_REGIONS * BLCKSZ;
        return new ShmemSizing(pool, clog, wal, backends, slack);
    }

    /** The CLOG buffers (PostgreSQL 15: CLOGShmemBuffers = Min(128, Max(4, NBuffers / 512))). */
    public static int clogBuffers(int nBuffers) {
        return Math.min(128, Math.max(4, nBuffers / 512));
    }

    /**
     * The WAL buffers (PostgreSQL: XLOGChooseNumBuffers for wal_buffers = -1: shared_buffers / 32,
     * at most one WAL segment, at least 8 pages).
     */
    public static int walBuffers(int walBuffersSetting, int nBuffers) {
        if (walBuffersSetting > 0) {
            return Math.max(4, walBuffersSetting);
        }
        int xbuffers = nBuffers / 32;
        if (xbuffers > WAL_SEGMENT_PAGES) {
            xbuffers = WAL_SEGMENT_PAGES;
        }
        return Math.max(8, xbuffers);
    }

    /** The whole area, rounded up to 8 KB. */
    public long total() {
        long sum = bufferPool + clog + walBuffers + backends + slack;
        return (sum + BLCKSZ - 1) / BLCKSZ * BLCKSZ;
    }

    /**
     * The whole area when it is made of chunks of {@code chunkSize} bytes: a region that fits in
     * one chunk never crosses into the next, so when there is more than one chunk, every region
     * but the buffer pages may have to skip to a chunk boundary; room for that is added.
     */
    public long total(long chunkSize) {
        long t = total();
        return t <= chunkSize ? t : t + (t - bufferPoolPages());
    }

    private long bufferPoolPages() {
        return (bufferPool - 2 * BLCKSZ) / (BLCKSZ + BUFFER_DESCRIPTOR_SIZE) * BLCKSZ;
    }
}
