package org.osgres.api.sql;

import org.osgi.annotation.versioning.ProviderType;

/** One statement of a query string, parsed but not yet analyzed (PostgreSQL: a RawStmt). */
@ProviderType
public interface ParsedStatement {

    /** This statement's own text, without the separating semicolon. */
    String text();

    /**
     * The command tag PostgreSQL reports for this kind of statement ("SELECT", "SET", "BEGIN"),
     * known before execution; used in logs and pg_stat_activity.
     */
    String commandName();

    /**
     * True for COMMIT, ROLLBACK and the like, which a session may run while its transaction
     * block is aborted (PostgreSQL: IsTransactionExitStmt).
     */
    boolean isTransactionExit();
}
