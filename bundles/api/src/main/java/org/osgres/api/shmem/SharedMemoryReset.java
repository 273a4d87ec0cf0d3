package org.osgres.api.shmem;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reinitialising shared memory after a crash (PostgreSQL: the postmaster's "all server processes
 * terminated; reinitializing", then CreateSharedMemoryAndSemaphores again). The postmaster calls
 * it once every session has ended: the current area becomes {@link SharedMemory#discarded()},
 * every subsystem built on it stops without writing, and a new area brings them up again, crash
 * recovery first, as at server start.
 */
@ProviderType
public interface SharedMemoryReset {

    /**
     * Discards the current area and creates a new one. Returns once the subsystems built on the
     * old area are stopped and the new area exists; recovery then runs in the background and the
     * wal bundle registers Recovery again when it is done.
     */
    void reinitialize();
}
