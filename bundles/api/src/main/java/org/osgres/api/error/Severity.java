package org.osgres.api.error;

/**
 * Message severities as PostgreSQL sends them in the S and V fields of ErrorResponse and
 * NoticeResponse (elog.h). ERROR ends the statement, FATAL the session, PANIC every session.
 */
public enum Severity {
    DEBUG, LOG, INFO, NOTICE, WARNING, ERROR, FATAL, PANIC;

    /** The text PostgreSQL writes for this severity (the non-localized V field). */
    public String wireName() {
        return name();
    }

    /** True for the severities that are sent as ErrorResponse rather than NoticeResponse. */
    public boolean isError() {
        return compareTo(ERROR) >= 0;
    }
}
