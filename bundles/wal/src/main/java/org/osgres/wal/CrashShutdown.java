/*
 * CrashShutdown: the refusal of a write after a crash (PostgreSQL: quickdie's message in
 * tcop/postgres.c, sent by a backend the postmaster ends after another one crashed).
 *
 * Once the postmaster discards the shared memory (SharedMemory.discarded), whoever still holds
 * the old Xlog writes nothing from it: check() throws FATAL 57P02 instead.
 *
 * Entry points: check().
 * See also: Xlog -- where WAL and pg_control writes call it.
 */
package org.osgres.wal;

import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.error.SqlState;
import org.osgres.api.shmem.SharedMemory;

final class CrashShutdown {
    private CrashShutdown() {
    }

    /** Throws FATAL 57P02 when the shared memory was discarded after a crash. */
    static void check(SharedMemory shmem) {
        if (shmem.discarded()) {
            throw new PgException(SqlState.CRASH_SHUTDOWN, "terminating connection because of crash of another server process")
                    .withSeverity(Severity.FATAL)
                    .withDetail("The postmaster has commanded this server process to roll back the current transaction and exit, "
                            + "because another server process exited abnormally and possibly corrupted shared memory.")
                    .withHint("In a moment you should be able to reconnect to the database and repeat your command.");
        }
    }
}
