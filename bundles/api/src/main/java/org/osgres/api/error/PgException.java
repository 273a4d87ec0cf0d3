package org.osgres.api.error;

import java.util.Objects;

/**
 * An error or notice as PostgreSQL reports it (PostgreSQL: ereport()). Code throws it where the
 * cause is known; only the protocol layer turns it into an ErrorResponse.
 *
 * <p>Build one with the SQLSTATE and the primary message, then add what PostgreSQL adds:
 * <pre>
 * throw new PgException(SqlState.SYNTAX_ERROR, "syntax error at or near \"FROM\"").atPosition(8);
 * </pre>
 */
public class PgException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final SqlState sqlState;
    private Severity severity = Severity.ERROR;
    private String detail;
    private String hint;
    private String logDetail;
    private int position;
    private String context;

    public PgException(SqlState sqlState, String message) {
        super(message);
        this.sqlState = Objects.requireNonNull(sqlState);
    }

    public PgException(SqlState sqlState, String message, Throwable cause) {
        super(message, cause);
        this.sqlState = Objects.requireNonNull(sqlState);
    }

    /** A FATAL error: the session ends after it is sent. */
    public static PgException fatal(SqlState sqlState, String message) {
        return new PgException(sqlState, message).withSeverity(Severity.FATAL);
    }

    public PgException withSeverity(Severity severity) {
        this.severity = Objects.requireNonNull(severity);
        return this;
    }

    public PgException withDetail(String detail) {
        this.detail = detail;
        return this;
    }

    /**
     * A DETAIL for the server log only, never sent to the client (PostgreSQL: errdetail_log()),
     * as authentication failures use to say why without telling the client.
     */
    public PgException withLogDetail(String logDetail) {
        this.logDetail = logDetail;
        return this;
    }

    public PgException withHint(String hint) {
        this.hint = hint;
        return this;
    }

    /**
     * Where it happened, as PostgreSQL's error context callbacks say it (errcontext(): "COPY t,
     * line 3, column a: \"x\""). @since 1.2
     */
    public PgException withContext(String context) {
        this.context = context;
        return this;
    }

    /** The CONTEXT, or null. @since 1.2 */
    public String context() {
        return context;
    }

    /** Sets the cursor position: 1-based, in characters of the query text; 0 means none. */
    public PgException atPosition(int position) {
        this.position = position;
        return this;
    }

    public SqlState sqlState() {
        return sqlState;
    }

    public Severity severity() {
        return severity;
    }

    public String detail() {
        return detail;
    }

    /** The log-only DETAIL, or null. */
    public String logDetail() {
        return logDetail;
    }

    public String hint() {
        return hint;
    }

    public int position() {
        return position;
    }
}
