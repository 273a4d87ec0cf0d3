package org.osgres.api.lifecycle;

import org.osgi.annotation.versioning.ConsumerType;
import org.osgres.api.session.BackendStatus;

/**
 * A long-lived server process other than a client backend (PostgreSQL: bgworker.h and the
 * auxiliary processes: logger, checkpointer, walwriter, ...). A bundle registers one as a
 * service; the postmaster runs {@link #run} on a thread of its own with a pg_stat_activity entry
 * of the worker's {@link #backendType}. When run() throws, the postmaster logs
 * {@code background worker "NAME" (PID n) exited with exit code 1} and starts it again after
 * {@link #restartDelaySeconds}; the server stays up. When run() returns the worker is done and
 * is not restarted (PostgreSQL: exit code 0 of a worker with BGW_NEVER_RESTART).
 *
 * @since 1.1
 */
@ConsumerType
public interface BackgroundWorker {

    /** Service property that may also carry the name; {@link #name()} wins. */
    String NAME_PROPERTY = "osgres.worker.name";

    /** The worker's name, as log messages print it ("logger", "test worker"). */
    String name();

    /** pg_stat_activity.backend_type: "logger", "checkpointer", "background worker"... */
    String backendType();

    /**
     * Seconds between a failure and the restart (PostgreSQL: bgw_restart_time).
     */
    default int restartDelaySeconds() {
        return 1;
    }

    /**
     * The worker's main loop. It runs until the postmaster interrupts the thread at shutdown
     * (then it returns or throws InterruptedException), or until it fails.
     *
     * @param status the worker's pg_stat_activity entry; it may set its state and wait event
     */
    void run(BackendStatus status) throws Exception;
}
