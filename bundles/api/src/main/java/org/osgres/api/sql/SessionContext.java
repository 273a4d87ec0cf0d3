package org.osgres.api.sql;

import java.time.OffsetDateTime;

import org.osgi.annotation.versioning.ConsumerType;
import org.osgres.api.config.Settings;
import org.osgres.api.error.PgException;
import org.osgres.api.session.Interrupts;
import org.osgres.api.xact.Transaction;

/**
 * The session state a statement runs in, kept by the backend: who and where, the session's
 * settings, the transaction block, and a way to send notices.
 */
@ConsumerType
public interface SessionContext {

    /** The BackendKeyData pid (pg_backend_pid()). */
    int backendPid();

    /** The session user. */
    String user();

    /** The database connected to. */
    String database();

    /** The server-wide settings: definitions, parsing and display. */
    Settings settings();

    /**
     * The session's value of a setting, in internal form (SET, then the startup packet, then the
     * server's value).
     *
     * @throws PgException 42704 for an unknown setting
     */
    String getSetting(String name);

    /**
     * SET name = value (already parsed to internal form); SET LOCAL when local is true.
     *
     * @throws PgException 55P02 for a setting that cannot change in a session, 42704 if unknown
     */
    void setSetting(String name, String internalValue, boolean local);

    /** RESET name: back to the value the session started with. */
    void resetSetting(String name);

    /** RESET ALL. */
    void resetAllSettings();

    /** When the current transaction started (now(), transaction_timestamp()). */
    OffsetDateTime transactionStartTime();

    /** When the current statement started (statement_timestamp()). */
    OffsetDateTime statementStartTime();

    /** The current transaction block state. */
    TransactionStatus transactionStatus();

    /** BEGIN / START TRANSACTION. Outside a block it opens one; inside one it only warns, as PostgreSQL does. */
    void beginBlock();

    /** COMMIT / END. Returns the tag to report: "COMMIT", or "ROLLBACK" for a failed block. */
    String commitBlock();

    /** ROLLBACK / ABORT. */
    void rollbackBlock();

    /** Sends a NoticeResponse (WARNING, NOTICE, ...) now, before the statement's result. */
    void notice(PgException notice);

    /** The session's interrupt flags; long-running statements call check() on them. */
    Interrupts interrupts();

    /**
     * The transaction the current statement runs in (PostgreSQL: the current TransactionState
     * after StartTransactionCommand). The backend starts it before the statement: one per
     * statement outside a block (per Sync in the extended protocol), one for the whole block
     * inside BEGIN ... COMMIT; it commits or aborts it. Null when no transaction manager is
     * installed (a session without storage).
     *
     * @since 1.2
     */
    default Transaction transaction() {
        return null;
    }

    /**
     * COPY FROM STDIN (PostgreSQL: ReceiveCopyBegin and CopyGetData): tells the client to send
     * text-format data for {@code columns} columns (CopyInResponse) and returns what it sends in
     * CopyData messages; the stream ends at CopyDone. Reading throws PgException 57014 "COPY from
     * stdin failed: ..." when the client sends CopyFail, and 08P01 for another message.
     *
     * @since 1.2
     */
    default java.io.InputStream copyIn(int columns) {
        throw new PgException(org.osgres.api.error.SqlState.FEATURE_NOT_SUPPORTED,
                "COPY FROM STDIN is not supported by this session");
    }

    /**
     * COPY TO STDOUT (PostgreSQL: SendCopyBegin, CopySendEndOfRow, SendCopyEnd): tells the client
     * text-format data for {@code columns} columns follows (CopyOutResponse); each write sends one
     * CopyData message, close() sends CopyDone.
     *
     * @since 1.2
     */
    default java.io.OutputStream copyOut(int columns) {
        throw new PgException(org.osgres.api.error.SqlState.FEATURE_NOT_SUPPORTED,
                "COPY TO STDOUT is not supported by this session");
    }

    /** The oid of the database connected to (MyDatabaseId); 0 when no catalog is installed. @since 1.2 */
    default int databaseOid() {
        return 0;
    }
}
