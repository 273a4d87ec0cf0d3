package org.osgres.sql.exec;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.osgres.api.sql.SessionContext;

/**
 * What an expression sees while it runs (PostgreSQL: ExprContext plus the few globals the
 * built-in functions read: the statement's start time, the session, the bound parameters).
 */
public final class EvalContext {
    private final SessionContext session;
    private final Object[] params;
    private final EngineServices services;
    /** The scan row expressions read their Vars from (PostgreSQL: ecxt_scantuple). */
    Object[] row;
    /** The tuples of the queries a running subquery is nested in, innermost last (outer references). */
    final java.util.List<Object[]> outerRows = new java.util.ArrayList<>();

    public EvalContext(SessionContext session, Object[] params) {
        this(session, params, new EngineServices());
    }

    public EvalContext(SessionContext session, Object[] params, EngineServices services) {
        this.session = session;
        this.params = params;
        this.services = services;
    }

    /** The other subsystems' services (role catalog, backend registry, ...). */
    public EngineServices services() {
        return services;
    }

    private org.osgres.api.xact.Snapshot snapshot;

    /**
     * The statement's snapshot (GetTransactionSnapshot at the start of the statement), taken on
     * first use: READ COMMITTED gets a new one per statement, REPEATABLE READ keeps its first.
     */
    public org.osgres.api.xact.Snapshot snapshot() {
        if (snapshot == null) {
            snapshot = Tables.transaction(session).statementSnapshot();
        }
        return snapshot;
    }

    public Object[] row() {
        return row;
    }

    public void setRow(Object[] row) {
        this.row = row;
    }

    public SessionContext session() {
        return session;
    }

    public Object param(int index) {
        return params[index];
    }

    /** now(), current_timestamp, transaction_timestamp(): the start of the transaction. */
    public OffsetDateTime transactionStart() {
        return session.transactionStartTime().withOffsetSameInstant(ZoneOffset.UTC);
    }

    /** statement_timestamp(): the start of the statement. */
    public OffsetDateTime statementStart() {
        return session.statementStartTime().withOffsetSameInstant(ZoneOffset.UTC);
    }

    /** The session's TimeZone, for timestamptz output. */
    public ZoneId zone() {
        return zoneOf(session);
    }

    public static ZoneId zoneOf(SessionContext session) {
        if (session == null) {
            return ZoneOffset.UTC;
        }
        try {
            String tz = session.getSetting("TimeZone");
            return ZoneId.of(tz.equalsIgnoreCase("utc") ? "UTC" : tz);
        } catch (RuntimeException e) {
            return ZoneOffset.UTC;
        }
    }
}
