package org.osgres.sql.exec;

import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.osgres.api.auth.ClientAuthentication;
import org.osgres.api.auth.Role;
import org.osgres.api.auth.RoleCatalog;
import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.error.SqlState;
import org.osgres.api.session.BackendRegistry;
import org.osgres.api.session.BackendStatus;
import org.osgres.api.session.ClientAddress;

/*
 * AdminFunctions: the server administration functions (PostgreSQL: utils/adt/misc.c
 * pg_sleep, storage/ipc/signalfuncs.c pg_signal_backend / pg_cancel_backend /
 * pg_terminate_backend / pg_reload_conf, access/transam/xlogfuncs.c pg_is_in_recovery,
 * utils/adt/network.c inet_client_addr / inet_client_port).
 *
 * pg_sleep waits in slices of at most 10 ms and checks the session's interrupts between them,
 * so a CancelRequest, statement_timeout or termination stops it as PostgreSQL's latch wait
 * does. Signalling another backend goes through the BackendRegistry with signalfuncs.c's
 * rules: superusers may signal anyone; others only backends of roles they are members of, and
 * never a superuser's.
 *
 * Entry points: sleep(), cancelBackend(), terminateBackend(), reloadConf(), clientAddr(),
 * clientPort().
 */
public final class AdminFunctions {
    /** The longest single wait of pg_sleep between interrupt checks. */
    static final long SLEEP_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** The value of a void function's result (printed as the empty string). */
    public static final Object VOID = "";

    private AdminFunctions() {
    }

    /** pg_sleep(seconds). */
    public static Object sleep(double seconds, EvalContext ctx) {
        long end = System.nanoTime() + (long) (Math.max(0, Math.min(seconds, 1e9)) * 1e9);
        BackendStatus me = ownStatus(ctx);
        if (me != null) {
            me.setWait("Timeout", "PgSleep");
        }
        try {
            while (true) {
                ctx.session().interrupts().check();
                long remaining = end - System.nanoTime();
                if (remaining <= 0) {
                    return VOID;
                }
                try {
                    TimeUnit.NANOSECONDS.sleep(Math.min(remaining, SLEEP_SLICE_NANOS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    ctx.session().interrupts().check();
                    throw new PgException(SqlState.QUERY_CANCELED, "canceling statement due to user request");
                }
            }
        } finally {
            if (me != null) {
                me.setWait(null, null);
            }
        }
    }

    private static BackendStatus ownStatus(EvalContext ctx) {
        return status(ctx, ctx.session().backendPid());
    }

    private static BackendStatus status(EvalContext ctx, int pid) {
        BackendRegistry registry = ctx.services().backends();
        if (registry == null) {
            return null;
        }
        for (BackendStatus s : registry.backends()) {
            if (s.pid() == pid) {
                return s;
            }
        }
        return null;
    }

    private enum SignalResult { SUCCESS, ERROR, NOSUPERUSER, NOPERMISSION }

    /** pg_signal_backend(): who may signal whom. */
    private static SignalResult signalBackend(EvalContext ctx, int pid, boolean terminate) {
        BackendStatus target = status(ctx, pid);
        if (target == null || !"client backend".equals(target.backendType())) {
            ctx.session().notice(new PgException(SqlState.WARNING, "PID " + pid
                    + " is not a PostgreSQL backend process").withSeverity(Severity.WARNING));
            return SignalResult.ERROR;
        }
        RoleCatalog catalog = ctx.services().rolesOrNull();
        if (catalog != null && target.user() != null) {
            Optional<Role> me = catalog.find(ctx.session().user());
            boolean iAmSuper = me.map(Role::superuser).orElse(false);
            boolean targetSuper = catalog.find(target.user()).map(Role::superuser).orElse(false);
            if (targetSuper && !iAmSuper) {
                return SignalResult.NOSUPERUSER;
            }
            if (!RoleCommands.isMemberOfRole(catalog, ctx.session().user(), target.user())) {
                return SignalResult.NOPERMISSION;
            }
        }
        BackendRegistry registry = ctx.services().backends();
        boolean done = terminate ? registry.terminate(pid) : registry.cancel(pid);
        if (!done) {
            ctx.session().notice(new PgException(SqlState.WARNING, "could not send signal to process " + pid)
                    .withSeverity(Severity.WARNING));
            return SignalResult.ERROR;
        }
        return SignalResult.SUCCESS;
    }

    /** pg_cancel_backend(pid). */
    public static boolean cancelBackend(int pid, EvalContext ctx) {
        SignalResult r = signalBackend(ctx, pid, false);
        if (r == SignalResult.NOSUPERUSER) {
            throw new PgException(SqlState.INSUFFICIENT_PRIVILEGE, "must be a superuser to cancel superuser query");
        }
        if (r == SignalResult.NOPERMISSION) {
            throw new PgException(SqlState.INSUFFICIENT_PRIVILEGE, "must be a member of the role whose query is being "
                    + "canceled or member of pg_signal_backend");
        }
        return r == SignalResult.SUCCESS;
    }

    /** pg_terminate_backend(pid, timeout): with a timeout, waits for the backend to be gone. */
    public static boolean terminateBackend(int pid, long timeoutMillis, EvalContext ctx) {
        if (timeoutMillis < 0) {
            throw new PgException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "\"timeout\" must not be negative");
        }
        SignalResult r = signalBackend(ctx, pid, true);
        if (r == SignalResult.NOSUPERUSER) {
            throw new PgException(SqlState.INSUFFICIENT_PRIVILEGE,
                    "must be a superuser to terminate superuser process");
        }
        if (r == SignalResult.NOPERMISSION) {
            throw new PgException(SqlState.INSUFFICIENT_PRIVILEGE, "must be a member of the role whose process is "
                    + "being terminated or member of pg_signal_backend");
        }
        if (r != SignalResult.SUCCESS || timeoutMillis == 0 || pid == ctx.session().backendPid()) {
            return r == SignalResult.SUCCESS;
        }
        return waitUntilTermination(pid, timeoutMillis, ctx);
    }

    /** pg_wait_until_termination(): polls every 10 ms (PostgreSQL waits 100 ms at most per round). */
    private static boolean waitUntilTermination(int pid, long timeoutMillis, EvalContext ctx) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (status(ctx, pid) != null) {
            ctx.session().interrupts().check();
            if (System.nanoTime() - end >= 0) {
                ctx.session().notice(new PgException(SqlState.WARNING, "backend with PID " + pid
                        + " did not terminate within " + timeoutMillis + " milliseconds")
                        .withSeverity(Severity.WARNING));
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(SLEEP_SLICE_NANOS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgException(SqlState.QUERY_CANCELED, "canceling statement due to user request");
            }
        }
        return true;
    }

    /** pg_reload_conf(): postgresql.conf and pg_hba.conf are read again, as on SIGHUP. */
    public static boolean reloadConf(EvalContext ctx) {
        RoleCatalog catalog = ctx.services().rolesOrNull();
        if (catalog != null && !catalog.find(ctx.session().user()).map(Role::superuser).orElse(false)) {
            throw new PgException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied for function pg_reload_conf");
        }
        ctx.session().settings().reload();
        ClientAuthentication hba = ctx.services().clientAuthentication();
        if (hba != null) {
            hba.reload();
        }
        return true;
    }

    /** inet_client_addr(): the client's address text, NULL over a Unix-domain socket. */
    public static String clientAddr(EvalContext ctx) {
        ClientAddress a = client(ctx);
        if (a == null || a.isLocal() || a.remote() == null) {
            return null;
        }
        InetAddress addr = a.remote().getAddress();
        return addr == null ? null : addr.getHostAddress();
    }

    /** inet_client_port(). */
    public static Integer clientPort(EvalContext ctx) {
        ClientAddress a = client(ctx);
        return a == null || a.isLocal() || a.remote() == null ? null : a.remote().getPort();
    }

    private static ClientAddress client(EvalContext ctx) {
        BackendStatus me = ownStatus(ctx);
        return me == null ? null : me.client();
    }
}
