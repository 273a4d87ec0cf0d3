package org.osgres.api.shmem;

import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.error.SqlState;

/**
 * quickdie's message (PostgreSQL: tcop/postgres.c): what a session hears when another backend
 * crashed -- a WARNING before the postmaster closes it -- and the FATAL error of any write that a
 * thread still holding a {@link SharedMemory#discarded() discarded} area attempts.
 */
public final class CrashShutdown {
    private CrashShutdown() {
    }

    /** 57P02 "terminating connection because of crash of another server process", with its detail and hint. */
    public static PgException error(Severity severity) {
        return new PgException(SqlState.CRASH_SHUTDOWN, "terminating connection because of crash of another server process")
                .withSeverity(severity)
                .withDetail("The postmaster has commanded this server process to roll back the current transaction and "
                        + "exit, because another server process exited abnormally and possibly corrupted shared memory.")
                .withHint("In a moment you should be able to reconnect to the database and repeat your command.");
    }

    /** Throws the FATAL error when the area was discarded after a crash: nothing more may be written from it. */
    public static void check(SharedMemory shmem) {
        if (shmem.discarded()) {
            throw error(Severity.FATAL);
        }
    }
}
