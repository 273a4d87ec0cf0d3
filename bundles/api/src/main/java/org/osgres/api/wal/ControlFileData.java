package org.osgres.api.wal;

/**
 * The contents of global/pg_control (PostgreSQL: ControlFileData in catalog/pg_control.h), in
 * PostgreSQL's field order. osgres writes the fields it keeps in that order, little-endian, and
 * a CRC-32C over them, in a file padded to 8192 bytes (PG_CONTROL_FILE_SIZE); the layout is
 * not byte-compatible with PostgreSQL's (see the wal bundle's ControlFile for the offsets).
 *
 * @param systemIdentifier the unique id of this cluster, also in every segment's long page header
 * @param controlVersion   PG_CONTROL_VERSION (1300)
 * @param catalogVersion   CATALOG_VERSION_NO (202209061)
 * @param state            the cluster's state
 * @param time             when the file was last written, seconds since 1970
 * @param checkPoint       start of the last checkpoint record
 * @param checkPointCopy   a copy of that checkpoint record's data
 */
public record ControlFileData(long systemIdentifier, int controlVersion, int catalogVersion, DbState state, long time,
        long checkPoint, CheckPoint checkPointCopy) {
    /** PG_CONTROL_VERSION of PostgreSQL 15. */
    public static final int PG_CONTROL_VERSION = 1300;
    /** CATALOG_VERSION_NO of PostgreSQL 15. */
    public static final int CATALOG_VERSION_NO = 202209061;

    /** The same data with another state, time and checkpoint. */
    public ControlFileData with(DbState newState, long newTime, long newCheckPoint, CheckPoint newCopy) {
        return new ControlFileData(systemIdentifier, controlVersion, catalogVersion, newState, newTime, newCheckPoint,
                newCopy);
    }

    /** The same data with another state and time. */
    public ControlFileData with(DbState newState, long newTime) {
        return new ControlFileData(systemIdentifier, controlVersion, catalogVersion, newState, newTime, checkPoint,
                checkPointCopy);
    }

    /** The cluster's state (PostgreSQL: DBState; the numbers are PostgreSQL's). */
    public enum DbState {
        DB_STARTUP("starting up"),
        DB_SHUTDOWNED("shut down"),
        DB_SHUTDOWNED_IN_RECOVERY("shut down in recovery"),
        DB_SHUTDOWNING("shutting down"),
        DB_IN_CRASH_RECOVERY("in crash recovery"),
        DB_IN_ARCHIVE_RECOVERY("in archive recovery"),
        DB_IN_PRODUCTION("in production");

        private final String text;

        DbState(String text) {
            this.text = text;
        }

        /** As pg_controldata prints it ("shut down", "in production"). */
        public String text() {
            return text;
        }
    }

    /**
     * A checkpoint record's data (PostgreSQL: CheckPoint in catalog/pg_control.h), the fields
     * osgres keeps, in PostgreSQL's order.
     *
     * @param redo            where redo starts (the insert position when the checkpoint began)
     * @param timeLineId      ThisTimeLineID
     * @param prevTimeLineId  PrevTimeLineID
     * @param fullPageWrites  full_page_writes when the checkpoint was taken
     * @param nextXid         the next transaction id (epoch 0)
     * @param nextOid         the next OID
     * @param oldestXid       the oldest xid still needing its commit status
     * @param time            when the checkpoint was taken, seconds since 1970
     */
    public record CheckPoint(long redo, int timeLineId, int prevTimeLineId, boolean fullPageWrites, int nextXid,
            int nextOid, int oldestXid, long time) {
    }
}
