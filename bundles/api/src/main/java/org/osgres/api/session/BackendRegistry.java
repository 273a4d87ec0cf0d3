package org.osgres.api.session;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The live backends and background workers (PostgreSQL: the PGPROC array and the backend
 * status array). The postmaster provides it; pg_stat_activity, pg_cancel_backend() and
 * pg_terminate_backend() use it.
 */
@ProviderType
public interface BackendRegistry {

    /** A snapshot of every backend's and worker's status. */
    List<BackendStatus> backends();

    /**
     * Cancels the running statement of the backend with this pid (PostgreSQL: pg_cancel_backend).
     *
     * @return false when no such backend exists
     */
    boolean cancel(int pid);

    /**
     * Ends the backend with FATAL 57P01 "terminating connection due to administrator command"
     * (PostgreSQL: pg_terminate_backend).
     *
     * @return false when no such backend exists
     */
    boolean terminate(int pid);
}
