package org.osgres.api.lifecycle;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;

/**
 * elog(PANIC): a thread found shared state it cannot leave half-changed, so the whole server must
 * crash and recover (PostgreSQL: errstart with PANIC, then abort(), and the postmaster's
 * HandleChildCrash with restart_after_crash).
 *
 * <p>{@link #raise} hands the crash to the postmaster's handler, which ends every session,
 * discards shared memory and runs crash recovery in the same process. Meanwhile the raising thread
 * stays parked where it is, holding the content locks it holds, as a dead process would hold its
 * LWLocks: no one can write the half-changed page it holds. Once the old shared memory is gone the
 * thread goes on and the exception unwinds it. Without a handler (unit tests, a server shutting
 * down) the exception is thrown at once.
 *
 * <p>A PgException of severity PANIC that reaches the top of a session or a background worker
 * is handed to the same handler, without the parking.
 */
public final class Panic {
    /** Receives a crash; the future completes when the old shared memory has been discarded. */
    @FunctionalInterface
    public interface Handler {
        CompletableFuture<Void> crashed(String who, PgException cause);
    }

    private static volatile Handler handler;

    private Panic() {
    }

    /** Installs the postmaster's handler (null to remove it). */
    public static void setHandler(Handler h) {
        handler = h;
    }

    /**
     * Hands a PANIC that already unwound (it reached the top of a session or a worker) to the
     * handler, without waiting. False when there is no handler.
     */
    public static boolean report(String who, PgException cause) {
        Handler h = handler;
        if (h == null) {
            return false;
        }
        h.crashed(who, cause);
        return true;
    }

    /**
     * Crashes the server: never returns normally. Throws {@code cause}, as a PANIC, once the
     * postmaster has thrown the shared state away (at once without a handler).
     */
    public static PgException raise(String who, PgException cause) {
        PgException panic = cause.severity() == Severity.PANIC ? cause : cause.withSeverity(Severity.PANIC);
        Handler h = handler;
        if (h != null) {
            CompletableFuture<Void> discarded = h.crashed(who, panic);
            boolean interrupted = false;
            for (;;) {
                try {
                    discarded.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // a dead process does not wake up: wait on
                } catch (ExecutionException e) {
                    break;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        throw panic;
    }
}
