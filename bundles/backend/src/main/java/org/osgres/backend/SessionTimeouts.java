package org.osgres.backend;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.session.Interrupts;

/**
 * The timeouts of one session (PostgreSQL: utils/misc/timeout.c and their handlers in
 * tcop/postgres.c, StatementTimeoutHandler, IdleInTransactionSessionTimeoutHandler,
 * IdleSessionTimeoutHandler). Every session's timers run on one scheduler thread shared by the
 * whole backend bundle, not a thread per session; a timer that fires only sets the session's
 * interrupt flags, as PostgreSQL's SIGALRM handler does, and the session acts at its next check.
 *
 * <ul>
 *   <li>statement_timeout: the running statement is cancelled with 57014 "canceling statement
 *       due to statement timeout".</li>
 *   <li>idle_in_transaction_session_timeout: a session idle inside a transaction block ends with
 *       FATAL 25P03.</li>
 *   <li>idle_session_timeout: a session idle outside a transaction ends with FATAL 57P05.</li>
 * </ul>
 * lock_timeout has nothing to time yet: no lock exists.
 */
final class SessionTimeouts {
    private final ScheduledExecutorService scheduler;
    private final Interrupts interrupts;
    private ScheduledFuture<?> statement;
    private ScheduledFuture<?> idle;

    SessionTimeouts(ScheduledExecutorService scheduler, Interrupts interrupts) {
        this.scheduler = scheduler;
        this.interrupts = interrupts;
    }

    /** A statement starts; timeoutMillis 0 means no limit (PostgreSQL: enable_statement_timeout). */
    void startStatement(long timeoutMillis) {
        stopStatement();
        if (timeoutMillis > 0) {
            statement = scheduler.schedule(() -> interrupts.requestCancel(
                    new PgException(SqlState.QUERY_CANCELED, "canceling statement due to statement timeout")),
                    timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** The statement ended (PostgreSQL: disable_statement_timeout). */
    void stopStatement() {
        if (statement != null) {
            statement.cancel(false);
            statement = null;
        }
    }

    /** The session waits for the client inside a transaction block. */
    void startIdleInTransaction(long timeoutMillis) {
        startIdle(timeoutMillis, SqlState.IDLE_IN_TRANSACTION_SESSION_TIMEOUT,
                "terminating connection due to idle-in-transaction timeout");
    }

    /** The session waits for the client outside a transaction. */
    void startIdleSession(long timeoutMillis) {
        startIdle(timeoutMillis, SqlState.IDLE_SESSION_TIMEOUT, "terminating connection due to idle-session timeout");
    }

    private void startIdle(long timeoutMillis, SqlState state, String message) {
        stopIdle();
        if (timeoutMillis > 0) {
            idle = scheduler.schedule(() -> interrupts.requestTerminate(PgException.fatal(state, message)),
                    timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** A message arrived. */
    void stopIdle() {
        if (idle != null) {
            idle.cancel(false);
            idle = null;
        }
    }

    void stopAll() {
        stopStatement();
        stopIdle();
    }
}
