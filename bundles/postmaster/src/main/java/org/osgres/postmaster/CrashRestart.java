/*
 * CrashRestart: what the postmaster does when a backend or a worker PANICs (PostgreSQL:
 * HandleChildCrash, LogChildExit and the reinitialisation in PostmasterStateMachine, with
 * restart_after_crash).
 *
 * The crashed process's shared state may be half-changed, so nothing of it may reach disk. The
 * postmaster logs the crash as PostgreSQL logs a child killed by SIGABRT, tells every other session
 * "terminating connection because of crash of another server process" (WARNING 57P02, then the
 * connection closes, as quickdie does) and waits for them to end, closing the sockets of any that
 * has not after five seconds. Then it has the shmem bundle throw the shared memory away and make a
 * new one (SharedMemoryReset): every storage component stops without writing and starts again,
 * crash recovery first. Until recovery is done new connections get FATAL 57P03 "the database
 * system is in recovery mode". With restart_after_crash off the server exits instead.
 *
 * A PANIC raised by Panic.raise keeps its thread parked, holding its locks, until the old shared
 * memory is gone; the crash's future completes then.
 *
 * Entry points: crashed() (the Panic.Handler), isReported().
 * See also: Postmaster -- its states; org.osgres.shmem.SharedMemoryResetter.
 */
package org.osgres.postmaster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.osgres.api.config.Settings;
import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.session.LogContext;
import org.osgres.api.shmem.CrashShutdown;
import org.osgres.api.shmem.SharedMemoryReset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

final class CrashRestart {
    private static final Logger LOG = LoggerFactory.getLogger(CrashRestart.class);
    /** PostgreSQL's SIGKILL_CHILDREN_AFTER_SECS: how long sessions get to end by themselves. */
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** What the postmaster lends: its slots, settings, the reset service, and its state changes. */
    interface Owner {
        BackendSlots slots();

        Settings settings();

        SharedMemoryReset shmemReset();

        /** The crash is being handled: refuse connections with "in recovery mode". */
        boolean enterCrashRecovery();

        /** The new shared memory exists: recovery runs; readiness follows when it is done. */
        void reinitialized();

        /** restart_after_crash is off: the process ends. */
        void exitAfterCrash();
    }

    private final Owner owner;
    private PgException lastCause;
    /** The restart under way, or the last one; read without the lock by the postmaster's state changes. */
    private volatile CompletableFuture<Void> inProgress;

    CrashRestart(Owner owner) {
        this.owner = owner;
    }

    /** Whether a restart is under way (the old shared memory is not gone yet). */
    boolean inProgress() {
        CompletableFuture<Void> f = inProgress;
        return f != null && !f.isDone();
    }

    /** Whether this PANIC was handed over already (a parked thread's, unwinding after the restart). */
    synchronized boolean isReported(PgException cause) {
        return cause == lastCause;
    }

    /**
     * A PANIC in the calling thread (a session or a worker; its MDC says which): logs it, starts
     * the restart on a thread of its own and returns the future that completes when the old shared
     * memory is gone. A PANIC during a restart, or while the server shuts down, joins that.
     */
    CompletableFuture<Void> crashed(String who, PgException cause) {
        CompletableFuture<Void> future;
        synchronized (this) {
            if (cause == lastCause || inProgress()) {
                return inProgress;
            }
            lastCause = cause;
            future = new CompletableFuture<>();
            inProgress = future;
        }
        if (!owner.enterCrashRecovery()) {
            future.complete(null); // shutting down: nothing to restart
            return future;
        }
        LOG.error("PANIC:  {}", cause.getMessage());
        int pid = parsePid(MDC.get(LogContext.PID));
        String type = MDC.get(LogContext.BACKEND_TYPE);
        String process = type == null || BackendSlots.CLIENT_BACKEND.equals(type) ? "server process" : type + " process";
        BackendSlots.Slot slot = pid == 0 ? null : owner.slots().find(pid);
        String query = slot == null ? "" : slot.status().query();
        Thread.ofPlatform().name("postmaster-crash").start(() -> {
            MDC.clear(); // the postmaster's lines, not the crashed backend's
            try {
                restart(pid, process, query, future);
            } catch (RuntimeException | Error e) {
                LOG.error("could not reinitialize after the crash: {}", e.toString(), e);
                owner.exitAfterCrash();
            } finally {
                future.complete(null);
            }
        });
        return future;
    }

    private void restart(int pid, String process, String query, CompletableFuture<Void> future) {
        LOG.info("{} (PID {}) was terminated by signal 6: Aborted{}", process, pid,
                query == null || query.isEmpty() ? "" : "\nDETAIL:  Failed process was running: " + query);
        LOG.info("terminating any other active server processes");
        BackendSlots slots = owner.slots();
        for (BackendSlots.Slot s : slots.active()) {
            if (s.key().pid() != pid) {
                s.interrupts().requestTerminate(crashWarning());
            }
        }
        try {
            if (!slots.awaitOnly(pid, System.nanoTime() + GRACE_NANOS)) {
                for (BackendSlots.Slot s : slots.active()) {
                    if (s.key().pid() != pid) {
                        s.channel().close();
                    }
                }
                slots.awaitOnly(pid, System.nanoTime() + GRACE_NANOS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!owner.settings().getBool("restart_after_crash")) {
            LOG.info("shutting down because restart_after_crash is off");
            owner.exitAfterCrash();
            return;
        }
        SharedMemoryReset reset = owner.shmemReset();
        if (reset == null) {
            LOG.info("shutting down because shared memory cannot be reinitialized in this server");
            owner.exitAfterCrash();
            return;
        }
        LOG.info("all server processes terminated; reinitializing");
        reset.reinitialize();
        future.complete(null); // the old shared memory is gone: a parked PANIC may unwind
        owner.reinitialized();
    }

    /** quickdie's message (sent as a WARNING, then the connection closes). */
    static PgException crashWarning() {
        return CrashShutdown.error(Severity.WARNING);
    }

    private static int parsePid(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
