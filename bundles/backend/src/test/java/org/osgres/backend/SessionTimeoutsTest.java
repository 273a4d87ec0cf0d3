package org.osgres.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.error.SqlState;
import org.osgres.api.session.Interrupts;

class SessionTimeoutsTest {
    final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    final Interrupts interrupts = new Interrupts();
    final SessionTimeouts timeouts = new SessionTimeouts(scheduler, interrupts);

    SessionTimeoutsTest() {
        scheduler.setRemoveOnCancelPolicy(true); // as PostgresMain's timer thread
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    /** Waits until the scheduler has run everything due by now plus the given delay. */
    void drain(long millis) throws Exception {
        scheduler.schedule(() -> { }, millis, TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS);
    }

    @Test
    void statementTimeoutCancelsWith57014() throws Exception {
        timeouts.startStatement(20);
        drain(20);
        PgException e = assertThrows(PgException.class, interrupts::check);
        assertEquals(SqlState.QUERY_CANCELED, e.sqlState());
        assertEquals("canceling statement due to statement timeout", e.getMessage());
    }

    @Test
    void aStoppedOrZeroTimeoutDoesNothing() throws Exception {
        // a long timeout, so a loaded machine cannot let it fire before stopStatement(); the
        // queue check below shows the stop cancelled it
        timeouts.startStatement(60_000);
        timeouts.stopStatement();
        timeouts.startStatement(0);
        timeouts.startIdleSession(0);
        drain(60);
        interrupts.check();
        assertNull(interrupts.terminateReason());
        assertEquals(0, scheduler.getQueue().size(), "cancelled timers leave the shared queue");
    }

    @Test
    void idleTimeoutsTerminateWithPostgresErrors() throws Exception {
        timeouts.startIdleInTransaction(10);
        drain(10);
        PgException e = interrupts.terminateReason();
        assertEquals(SqlState.IDLE_IN_TRANSACTION_SESSION_TIMEOUT, e.sqlState());
        assertEquals(Severity.FATAL, e.severity());
        assertEquals("terminating connection due to idle-in-transaction timeout", e.getMessage());

        Interrupts other = new Interrupts();
        SessionTimeouts t2 = new SessionTimeouts(scheduler, other);
        t2.startIdleSession(10);
        drain(10);
        assertEquals(SqlState.IDLE_SESSION_TIMEOUT, other.terminateReason().sqlState());
        assertEquals("terminating connection due to idle-session timeout", other.terminateReason().getMessage());
    }

    @Test
    void aMessageStopsTheIdleTimer() throws Exception {
        timeouts.startIdleSession(30);
        timeouts.stopIdle();
        drain(60);
        assertNull(interrupts.terminateReason());
    }
}
