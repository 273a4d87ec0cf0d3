package org.osgres.api.session;

/**
 * The SLF4J MDC keys through which a backend or background worker tells the server log who is
 * logging (PostgreSQL: the MyProcPid, MyProcPort and MyBackendType globals that elog.c's
 * log_line_prefix escapes read). The postmaster sets them on a session's thread once it knows
 * them; the logging bundle reads them for %p, %u, %d, %a, %h, %r, %c, %b, %i and %e. A thread with
 * no {@link #PID} is the postmaster itself.
 *
 * @since 2.1
 */
public final class LogContext {
    /** The backend's pid-like number (%p). */
    public static final String PID = "osgres.pid";
    /** pg_stat_activity.backend_type (%b): "client backend", "logger", ... */
    public static final String BACKEND_TYPE = "osgres.backend_type";
    /** The session user (%u). */
    public static final String USER = "osgres.user";
    /** The database (%d). */
    public static final String DATABASE = "osgres.database";
    /** application_name (%a). */
    public static final String APPLICATION_NAME = "osgres.application_name";
    /** The client host, "[local]" for a Unix-domain socket (%h). */
    public static final String REMOTE_HOST = "osgres.remote_host";
    /** The client port, absent for a Unix-domain socket (%r adds it in parentheses). */
    public static final String REMOTE_PORT = "osgres.remote_port";
    /** The session's start, epoch seconds in hex, as %c prints its first half. */
    public static final String SESSION_START = "osgres.session_start";
    /**
     * What the process is doing, as PostgreSQL's ps display says it (%i): the running statement's
     * command tag ("SELECT"), or "idle", "idle in transaction"...
     */
    public static final String COMMAND_TAG = "osgres.command_tag";
    /** The SQLSTATE of the error being logged (%e); absent means 00000. */
    public static final String SQLSTATE = "osgres.sqlstate";

    private LogContext() {
    }
}
