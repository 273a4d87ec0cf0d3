package org.osgres.api.session;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The per-database counters behind pg_stat_database (PostgreSQL: the database entries of the
 * cumulative statistics system, pgstat_database.c). Backends report what only they know: the
 * end of each transaction. The postmaster counts sessions itself.
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
}
