package org.osgres.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;

import org.osgres.api.buffer.BufferManager;
import org.osgres.api.config.Settings;
import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.error.SqlState;
import org.osgres.api.protocol.ClientChannel;
import org.osgres.api.protocol.ErrorResponses;
import org.osgres.api.protocol.MessageBuilder;
import org.osgres.api.session.BackendKey;
import org.osgres.api.session.BackendStatus;
import org.osgres.api.session.DatabaseStatistics;
import org.osgres.api.session.Interrupts;
import org.osgres.api.sql.SessionContext;
import org.osgres.api.sql.TransactionStatus;
import org.osgres.api.xact.IsolationLevel;
import org.osgres.api.xact.LockTag;
import org.osgres.api.xact.Transaction;
import org.osgres.api.xact.TransactionManager;
import org.osgres.api.xact.WaitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one session that statements see (PostgreSQL: the backend's globals, MyProcPid,
 * the transaction block state of xact.c and the session's GUCs): identity, settings,
 * transaction block, the current transaction, and notices to the client.
 *
 * <p>The transaction (xact.c's StartTransactionCommand / CommitTransactionCommand): a statement
 * that needs one calls {@link #transaction()}, which begins it with the isolation level of
 * BEGIN ISOLATION LEVEL / SET TRANSACTION, else default_transaction_isolation. Outside a block
 * it ends with the statement (simple protocol) or at Sync (extended); inside one at COMMIT or
 * ROLLBACK. An error aborts it at once, releasing its locks, and a block stays failed until
 * ROLLBACK, as PostgreSQL's TBLOCK_ABORT.
 */
final class Session implements SessionContext {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    /** pg_stat_activity's wait event of a session waiting for its client (PostgreSQL: WAIT_EVENT_CLIENT_READ). */
    static final String WAIT_CLIENT = "Client";
    static final String WAIT_CLIENT_READ = "ClientRead";
    private static final String TRANSACTION_ISOLATION = "transaction_isolation";
    /** pg_stat_activity's wait_event_type of a heavyweight lock wait (PG_WAIT_LOCK). */
    static final String WAIT_LOCK = "Lock";

    private final ClientChannel channel;
    private final BackendKey key;
    private final Interrupts interrupts;
    private final BackendStatus status;
    private final String user;
    private final String database;
    private final SessionSettings settings;
    /** The transaction manager, or null for a session without storage. */
    private final TransactionManager transactions;
    private final WaitContext waits;
    private final int databaseOid;
    private TransactionStatus transaction = TransactionStatus.IDLE;
    /** The running transaction, begun on first use; null between transactions. */
    private Transaction current;
    /** The buffer manager whose pins an abort releases, or null. */
    private final BufferManager buffers;
    /** COPY's sub-protocol, set by the QueryProtocol that owns the output buffer. */
    private CopyProtocol copy;
    private OffsetDateTime statementStart = OffsetDateTime.now();
    private OffsetDateTime blockStart;
    /** An implicit (single-statement) transaction runs and has not been counted yet. */
    private boolean implicitOpen;
    private DatabaseStatistics statistics;
    /** pg_stat_database's active_time and idle_in_transaction_time of this session, and since when the state holds. */
    private long activeNanos;
    private long idleInTransactionNanos;
    private long stateSince = System.nanoTime();
    private boolean active;

    Session(ClientChannel channel, BackendKey key, Interrupts interrupts, BackendStatus status, String user,
            String database, int databaseOid, SessionSettings settings, TransactionManager transactions,
            BufferManager buffers) {
        this.channel = channel;
        this.buffers = buffers;
        this.databaseOid = databaseOid;
        this.transactions = transactions;
        this.waits = new SessionWaits();
        this.key = key;
        this.interrupts = interrupts;
        this.status = status;
        this.user = user;
        this.database = database;
        this.settings = settings;
    }

    /** Adds the time since the last state change to active or idle-in-transaction time. */
    private void accountState() {
        long now = System.nanoTime();
        if (active) {
            activeNanos += now - stateSince;
        } else if (transaction != TransactionStatus.IDLE) {
            idleInTransactionNanos += now - stateSince;
        }
        stateSince = now;
    }

    /** The session ends: its times and end cause go to pg_stat_database (PostgreSQL: pgstat_report_disconnect). */
    void reportDisconnect(DatabaseStatistics.SessionEnd end) {
        accountState();
        DatabaseStatistics s = statistics;
        if (s != null) {
            long sessionMicros = java.time.Duration.between(status.backendStart(), OffsetDateTime.now()).toNanos() / 1000;
            s.sessionEnded(database, sessionMicros, activeNanos / 1000, idleInTransactionNanos / 1000, end);
        }
    }

    /** Where transaction ends are counted (pg_stat_database); null counts nothing. */
    void setStatistics(DatabaseStatistics statistics) {
        this.statistics = statistics;
    }

    private void countTransaction(boolean committed) {
        DatabaseStatistics s = statistics;
        if (s != null) {
            s.transactionEnded(database, committed);
        }
    }

    SessionSettings sessionSettings() {
        return settings;
    }

    @Override
    public int backendPid() {
        return key.pid();
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String database() {
        return database;
    }

    @Override
    public Settings settings() {
        return settings.server();
    }

    @Override
    public String getSetting(String name) {
        return settings.get(name);
    }

    /** What a lock wait of this session needs: its pid, interrupts, timeouts and pg_stat_activity entry. */
    private final class SessionWaits implements WaitContext {
        @Override
        public int pid() {
            return key.pid();
        }

        @Override
        public void checkInterrupts() {
            interrupts.check();
        }

        @Override
        public int lockTimeoutMs() {
            return millisSetting("lock_timeout");
        }

        @Override
        public int deadlockTimeoutMs() {
            return millisSetting("deadlock_timeout");
        }

        @Override
        public void waitStarted(LockTag tag) {
            status.setWait(WAIT_LOCK, tag.waitEventName());
        }

        @Override
        public void waitEnded() {
            status.setWait(null, null);
        }
    }

    /** A time setting in milliseconds, 0 when unreadable. */
    private int millisSetting(String name) {
        try {
            return Integer.parseInt(settings.get(name));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    @Override
    public int databaseOid() {
        return databaseOid;
    }

    @Override
    public Transaction transaction() {
        if (current == null && transactions != null) {
            current = transactions.begin(isolationLevel(), waits);
        }
        return current;
    }

    /** XactIsoLevel for a new transaction: SET TRANSACTION / BEGIN ISOLATION LEVEL, else the default. */
    private IsolationLevel isolationLevel() {
        String level = settings.localValue(TRANSACTION_ISOLATION);
        if (level == null) {
            level = settings.get("default_transaction_isolation");
        }
        // SERIALIZABLE runs as REPEATABLE READ: osgres has no predicate locks (SSI) yet
        return "repeatable read".equals(level) || "serializable".equals(level)
                ? IsolationLevel.REPEATABLE_READ : IsolationLevel.READ_COMMITTED;
    }

    /** The end of a statement whose transaction goes on: later statements see what it wrote (CommandCounterIncrement). */
    void statementDone() {
        if (current != null) {
            current.commandCounterIncrement();
        }
    }

    /** Commits or aborts the running transaction, if one began; a failed commit aborts and throws. */
    private void finishTransaction(boolean commit) {
        Transaction tx = current;
        current = null;
        if (tx == null) {
            return;
        }
        if (!commit) {
            abort(tx);
            return;
        }
        try {
            tx.commit();
        } catch (RuntimeException e) {
            abort(tx);
            throw e;
        }
    }

    /**
     * AbortTransaction: the buffer pins an interrupted statement left behind go back first (the
     * resource owner's release), then the transaction aborts and its locks go.
     */
    private void abort(Transaction tx) {
        BufferManager b = buffers;
        if (b != null) {
            int leaked = b.releaseAllPins();
            if (leaked > 0) {
                LOG.debug("released {} buffer pins at abort of {}", leaked, tx);
            }
        }
        tx.abort();
    }

    /** The session ends: a transaction still open is aborted (ShutdownPostgres' AbortOutOfAnyTransaction). */
    void abortAnyTransaction() {
        finishTransaction(false);
    }

    @Override
    public void setSetting(String name, String internalValue, boolean local) {
        if (TRANSACTION_ISOLATION.equals(name)) {
            if (transaction == TransactionStatus.IDLE) {
                notice(new PgException(SqlState.NO_ACTIVE_SQL_TRANSACTION,
                        "SET TRANSACTION can only be used in transaction blocks").withSeverity(Severity.WARNING));
                return;
            }
            if (current != null) { // a statement of this transaction already ran with the level it began with
                throw new PgException(SqlState.ACTIVE_SQL_TRANSACTION,
                        "SET TRANSACTION ISOLATION LEVEL must be called before any query");
            }
            settings.set(name, internalValue, true, true);
            return;
        }
        if (local && transaction == TransactionStatus.IDLE) {
            notice(new PgException(SqlState.NO_ACTIVE_SQL_TRANSACTION,
                    "SET LOCAL can only be used in transaction blocks").withSeverity(Severity.WARNING));
        }
        settings.set(name, internalValue, local, transaction != TransactionStatus.IDLE);
    }

    @Override
    public void resetSetting(String name) {
        settings.reset(name);
    }

    @Override
    public void resetAllSettings() {
        settings.resetAll();
    }

    @Override
    public TransactionStatus transactionStatus() {
        return transaction;
    }

    @Override
    public void beginBlock() {
        if (transaction != TransactionStatus.IDLE) {
            notice(new PgException(SqlState.ACTIVE_SQL_TRANSACTION, "there is already a transaction in progress")
                    .withSeverity(Severity.WARNING));
            return;
        }
        transaction = TransactionStatus.IN_BLOCK;
        implicitOpen = false; // the block takes the statement's transaction over
        if (current != null && current.xid() == 0) {
            // nothing written yet: let the block's first statement begin it, with BEGIN's isolation level
            finishTransaction(false);
        }
        blockStart = statementStart;
        status.setXactStart(blockStart);
        settings.blockStarted();
    }

    @Override
    public String commitBlock() {
        switch (transaction) {
            case IDLE -> {
                notice(new PgException(SqlState.NO_ACTIVE_SQL_TRANSACTION, "there is no transaction in progress")
                        .withSeverity(Severity.WARNING));
                return "COMMIT";
            }
            case FAILED -> {
                endBlock(false);
                return "ROLLBACK";
            }
            default -> {
                endBlock(true);
                return "COMMIT";
            }
        }
    }

    @Override
    public void rollbackBlock() {
        if (transaction == TransactionStatus.IDLE) {
            notice(new PgException(SqlState.NO_ACTIVE_SQL_TRANSACTION, "there is no transaction in progress")
                    .withSeverity(Severity.WARNING));
            return;
        }
        endBlock(false);
    }

    /**
     * An error: the transaction aborts now, releasing its locks (AbortCurrentTransaction); inside
     * a block the block stays failed until ROLLBACK.
     */
    void markFailedIfInBlock() {
        finishTransaction(false);
        if (transaction == TransactionStatus.IN_BLOCK) {
            transaction = TransactionStatus.FAILED;
        }
    }

    /** Ends the implicit transaction of a statement run outside a block. */
    void endImplicitTransaction(boolean committed) {
        if (transaction == TransactionStatus.IDLE) {
            try {
                finishTransaction(committed);
            } catch (RuntimeException e) {
                settings.transactionEnded(false);
                if (implicitOpen) {
                    implicitOpen = false;
                    countTransaction(false);
                }
                throw e;
            }
            settings.transactionEnded(committed);
            if (implicitOpen) {
                implicitOpen = false;
                countTransaction(committed);
            }
        }
    }

    private void endBlock(boolean committed) {
        transaction = TransactionStatus.IDLE;
        try {
            finishTransaction(committed);
        } catch (RuntimeException e) {
            blockStart = null;
            status.setXactStart(null);
            settings.transactionEnded(false);
            countTransaction(false);
            throw e;
        }
        blockStart = null;
        status.setXactStart(null);
        settings.transactionEnded(committed);
        countTransaction(committed);
    }

    @Override
    public OffsetDateTime transactionStartTime() {
        return blockStart != null ? blockStart : statementStart;
    }

    @Override
    public OffsetDateTime statementStartTime() {
        return statementStart;
    }

    /** A statement starts: its start time, and pg_stat_activity's query and state. */
    void reportActive(String query) {
        accountState();
        active = true;
        statementStart = OffsetDateTime.now();
        status.startQuery(query, statementStart);
        status.setWait(null, null);
        if (transaction == TransactionStatus.IDLE) {
            implicitOpen = true;
        }
        if (blockStart == null) {
            status.setXactStart(statementStart);
        }
    }

    /** pg_stat_activity: the session waits for the client (before ReadyForQuery). */
    void reportIdle() {
        if (blockStart == null) {
            status.setXactStart(null);
        }
        String applicationName = settings.get("application_name");
        status.setApplicationName(applicationName);
        org.slf4j.MDC.put(org.osgres.api.session.LogContext.APPLICATION_NAME, applicationName == null ? "" : applicationName);
        accountState();
        active = false;
        status.setWait(WAIT_CLIENT, WAIT_CLIENT_READ); // waiting for the client's next message
        status.setState(switch (transaction) {
            case IDLE -> BackendStatus.STATE_IDLE;
            case IN_BLOCK -> BackendStatus.STATE_IDLE_IN_TRANSACTION;
            case FAILED -> BackendStatus.STATE_IDLE_IN_TRANSACTION_ABORTED;
        }, OffsetDateTime.now());
    }

    @Override
    public void notice(PgException notice) {
        MessageBuilder m = new MessageBuilder();
        ErrorResponses.write(m, notice);
        try {
            channel.write(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void setCopyProtocol(CopyProtocol copy) {
        this.copy = copy;
    }

    @Override
    public java.io.InputStream copyIn(int columns) {
        try {
            return copy.copyIn(columns);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public java.io.OutputStream copyOut(int columns) {
        try {
            return copy.copyOut(columns);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Interrupts interrupts() {
        return interrupts;
    }
}
