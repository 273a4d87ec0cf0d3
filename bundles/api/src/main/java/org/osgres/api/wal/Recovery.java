package org.osgres.api.wal;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Startup recovery is over (PostgreSQL: the startup process has finished StartupXLOG). The wal
 * bundle registers this service only when the WAL has been replayed (or found clean) and WAL
 * may be inserted; the postmaster references it, so it opens no listen socket before.
 */
@ProviderType
public interface Recovery {

    /** What startup found and did. */
    Result result();

    /**
     * @param ran             whether records were replayed (crash recovery)
     * @param startLsn        where redo started (the checkpoint's redo point), 0 when it did not run
     * @param endLsn          the end of valid WAL: inserting continues here
     * @param recordsReplayed records replayed
     * @param previousState   the state pg_control had at startup
     */
    record Result(boolean ran, long startLsn, long endLsn, long recordsReplayed, ControlFileData.DbState previousState) {
    }
}
