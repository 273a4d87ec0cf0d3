package org.osgres.api.xact;

import java.util.function.IntSupplier;

import org.osgres.api.session.Interrupts;

/**
 * What a lock wait needs from the backend that waits (PostgreSQL: MyProc, the lock_timeout and
 * deadlock_timeout GUCs, CHECK_FOR_INTERRUPTS in ProcSleep): its pid for messages, its interrupt
 * check, and the session's timeouts. A wait calls {@link #checkInterrupts} at least every few
 * milliseconds and gives up with whatever it throws: a wait never ignores a cancel.
 */
public interface WaitContext {
    /** PostgreSQL's default deadlock_timeout: 1 s. */
    int DEFAULT_DEADLOCK_TIMEOUT_MS = 1000;

    /** The backend's pid (as pg_backend_pid()), named in deadlock reports. */
    int pid();

    /** Throws (57014, FATAL...) when the backend must stop waiting (CHECK_FOR_INTERRUPTS). */
    default void checkInterrupts() {
    }

    /** lock_timeout in milliseconds; 0 waits for ever. */
    default int lockTimeoutMs() {
        return 0;
    }

    /** deadlock_timeout in milliseconds: how long to wait before looking for a deadlock. */
    default int deadlockTimeoutMs() {
        return DEFAULT_DEADLOCK_TIMEOUT_MS;
    }

    /**
     * The backend starts waiting for a heavyweight lock (PostgreSQL: pgstat_report_wait_start
     * with PG_WAIT_LOCK): pg_stat_activity shows wait_event_type "Lock" and the tag's
     * {@link LockTag#waitEventName()} until {@link #waitEnded}.
     *
     * @since 1.1
     */
    default void waitStarted(LockTag tag) {
    }

    /** The wait is over, granted or not. @since 1.1 */
    default void waitEnded() {
    }

    /** A context with no interrupts and the default timeouts. */
    static WaitContext of(int pid) {
        return () -> pid;
    }

    /** A session's context: its interrupts, its lock_timeout and deadlock_timeout read at each wait. */
    static WaitContext of(int pid, Interrupts interrupts, IntSupplier lockTimeoutMs, IntSupplier deadlockTimeoutMs) {
        return new WaitContext() {
            @Override
            public int pid() {
                return pid;
            }

            @Override
            public void checkInterrupts() {
                interrupts.check();
            }

            @Override
            public int lockTimeoutMs() {
                return lockTimeoutMs.getAsInt();
            }

            @Override
            public int deadlockTimeoutMs() {
                return deadlockTimeoutMs.getAsInt();
            }
        };
    }
}
