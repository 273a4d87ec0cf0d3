package org.osgres.api.session;

import java.util.concurrent.atomic.AtomicReference;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

/**
 * The interrupt flags of one session (PostgreSQL: InterruptPending, QueryCancelPending,
 * ProcDiePending and CHECK_FOR_INTERRUPTS()). The postmaster sets them from other threads, on a
 * CancelRequest or at shutdown; the backend calls {@link #check()} at safe points.
 */
public final class Interrupts {
    private final AtomicReference<PgException> terminate = new AtomicReference<>();
    private volatile PgException cancel;
    private volatile Runnable waker = () -> { };

    /**
     * Sets what wakes the session when it must end while it waits for the client (the
     * postmaster shuts the socket's input down, so the blocked read returns end-of-file). A
     * thread interrupt is not used: it would close the socket before the FATAL is sent.
     */
    public void setWaker(Runnable waker) {
        this.waker = waker;
    }

    /** A CancelRequest with the right key: the running statement fails with 57014. */
    public void requestCancel() {
        requestCancel(new PgException(SqlState.QUERY_CANCELED, "canceling statement due to user request"));
    }

    /**
     * Cancels the running statement with the given error (statement_timeout, lock_timeout use
     * their own messages).
     */
    public void requestCancel(PgException reason) {
        cancel = reason;
    }

    /** Ends the session with the given FATAL error at its next safe point. */
    public void requestTerminate(PgException reason) {
        terminate.compareAndSet(null, reason);
        wake();
    }

    public boolean terminateRequested() {
        return terminate.get() != null;
    }

    /** The reason given to {@link #requestTerminate}, or null. */
    public PgException terminateReason() {
        return terminate.get();
    }

    /** Forgets a cancel that arrived while no statement ran (PostgreSQL ignores those too). */
    public void clearCancel() {
        cancel = null;
    }

    /**
     * Throws if the session must stop what it is doing: FATAL for termination, 57014 for a
     * cancel. A cancel is consumed by throwing it.
     */
    public void check() {
        PgException t = terminate.get();
        if (t != null) {
            throw t;
        }
        PgException c = cancel;
        if (c != null) {
            cancel = null;
            throw c;
        }
    }

    private void wake() {
        waker.run();
    }
}
