package org.osgres.backend;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.osgres.api.config.Settings;
import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.error.SqlState;
import org.osgres.api.protocol.ClientChannel;
import org.osgres.api.protocol.ErrorResponses;
import org.osgres.api.protocol.MessageBuilder;
import org.osgres.api.session.BackendKey;
import org.osgres.api.session.Interrupts;
import org.osgres.api.sql.SessionContext;
import org.osgres.api.sql.TransactionStatus;

/**
 * The state of one session that statements see (PostgreSQL: the backend's globals, MyProcPid,
 * the transaction block state of xact.c and the session's GUCs): identity, settings,
 * transaction block, and notices to the client.
 */
final class Session implements SessionContext {
    private final ClientChannel channel;
    private final BackendKey key;
    private final Interrupts interrupts;
    private final String user;
    private final String database;
    private final SessionSettings settings;
    private TransactionStatus status = TransactionStatus.IDLE;

    Session(ClientChannel channel, BackendKey key, Interrupts interrupts, String user, String database,
            SessionSettings settings) {
        this.channel = channel;
        this.key = key;
        this.interrupts = interrupts;
        this.user = user;
        this.database = database;
        this.settings = settings;
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

    @Override
    public void setSetting(String name, String internalValue, boolean local) {
        if (local && status == TransactionStatus.IDLE) {
            notice(new PgException(SqlState.NO_ACTIVE_SQL_TRANSACTION,
                    "SET LOCAL can only be used in transaction blocks").withSeverity(Severity.WARNING));
        }
        settings.set(name, internalValue, local, status != TransactionStatus.IDLE);
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
        return status;
    }

    @Override
    public void beginBlock() {
        if (status != TransactionStatus.IDLE) {
            notice(new PgException(SqlState.ACTIVE_SQL_TRANSACTION, "there is already a transaction in progress")
                    .withSeverity(Severity.WARNING));
            return;
        }
        status = TransactionStatus.IN_BLOCK;
        settings.blockStarted();
    }

    @Override
    public String commitBlock() {
        switch (status) {
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
        if (status == TransactionStatus.IDLE) {
            notice(new PgException(SqlState.NO_ACTIVE_SQL_TRANSACTION, "there is no transaction in progress")
                    .withSeverity(Severity.WARNING));
            return;
        }
        endBlock(false);
    }

    /** An error inside a transaction block leaves it failed until ROLLBACK. */
    void markFailedIfInBlock() {
        if (status == TransactionStatus.IN_BLOCK) {
            status = TransactionStatus.FAILED;
        }
    }

    /** Ends the implicit transaction of a statement run outside a block. */
    void endImplicitTransaction(boolean committed) {
        if (status == TransactionStatus.IDLE) {
            settings.transactionEnded(committed);
        }
    }

    private void endBlock(boolean committed) {
        status = TransactionStatus.IDLE;
        settings.transactionEnded(committed);
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

    @Override
    public Interrupts interrupts() {
        return interrupts;
    }
}
