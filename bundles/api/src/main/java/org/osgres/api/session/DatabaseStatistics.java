package org.osgres.api.session;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The per-database counters behind pg_stat_database (PostgreSQL: the database entries of the
 * cumulative statistics system, pgstat_database.c). Backends report what only they know: the
 * end of each transaction, and at the end of a session its times and how it ended.
 *
 * @since 2.1
 */
@ProviderType
public interface DatabaseStatistics {

    /**
     * A transaction ended in this database (PostgreSQL: AtEOXact_PgStat_Database): xact_commit
     * or xact_rollback grows by one.
     */
    void transactionEnded(String database, boolean committed);

    /** How a session ended (PostgreSQL: SessionEndType). */
    enum SessionEnd {
        /** The client sent Terminate. */
        NORMAL,
        /** The connection was lost without Terminate: sessions_abandoned. */
        ABANDONED,
        /** A FATAL error ended it (idle timeouts, protocol violations): sessions_fatal. */
        FATAL,
        /** pg_terminate_backend() or a shutdown ended it: sessions_killed. */
        KILLED
    }

    /**
     * A session that reached the message loop ended (PostgreSQL: pgstat_report_disconnect): sessions,
     * session_time, active_time, idle_in_transaction_time and the end counters grow.
     *
     * @param sessionMicros            from the backend's start to its end
     * @param activeMicros             time spent running statements
     * @param idleInTransactionMicros  time spent idle inside a transaction block
     */
    void sessionEnded(String database, long sessionMicros, long activeMicros, long idleInTransactionMicros,
            SessionEnd end);
}
