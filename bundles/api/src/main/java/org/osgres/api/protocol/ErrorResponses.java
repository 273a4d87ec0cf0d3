package org.osgres.api.protocol;

import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;

/**
 * Writes ErrorResponse and NoticeResponse messages (PostgreSQL: send_message_to_frontend in
 * elog.c). The postmaster and the backend both report through here, so every error the client
 * sees carries the same fields.
 */
public final class ErrorResponses {
    /** ErrorResponse. */
    public static final char ERROR_RESPONSE = 'E';
    /** NoticeResponse. */
    public static final char NOTICE_RESPONSE = 'N';

    private static final char FIELD_SEVERITY = 'S';
    private static final char FIELD_SEVERITY_NONLOCALIZED = 'V';
    private static final char FIELD_SQLSTATE = 'C';
    private static final char FIELD_MESSAGE = 'M';
    private static final char FIELD_DETAIL = 'D';
    private static final char FIELD_HINT = 'H';
    private static final char FIELD_POSITION = 'P';
    private static final char FIELD_CONTEXT = 'W';
    private static final char FIELD_FILE = 'F';
    private static final char FIELD_LINE = 'L';
    private static final char FIELD_ROUTINE = 'R';

    private ErrorResponses() {
    }

    /** Appends an ErrorResponse, or a NoticeResponse when the severity is below ERROR. */
    public static void write(MessageBuilder out, PgException e) {
        write(out, e.severity(), e);
    }

    /** Appends a message of the given severity carrying the exception's fields. */
    public static void write(MessageBuilder out, Severity severity, PgException e) {
        out.begin(severity.isError() ? ERROR_RESPONSE : NOTICE_RESPONSE);
        field(out, FIELD_SEVERITY, severity.wireName());
        field(out, FIELD_SEVERITY_NONLOCALIZED, severity.wireName());
        field(out, FIELD_SQLSTATE, e.sqlState().code());
        field(out, FIELD_MESSAGE, e.getMessage() == null ? "" : e.getMessage());
        if (e.detail() != null) {
            field(out, FIELD_DETAIL, e.detail());
        }
        if (e.hint() != null) {
            field(out, FIELD_HINT, e.hint());
        }
        if (e.position() > 0) {
            field(out, FIELD_POSITION, Integer.toString(e.position()));
        }
        if (e.context() != null) {
            field(out, FIELD_CONTEXT, e.context());
        }
        StackTraceElement origin = origin(e);
        if (origin != null) {
            field(out, FIELD_FILE, origin.getFileName() == null ? "" : origin.getFileName());
            field(out, FIELD_LINE, Integer.toString(Math.max(0, origin.getLineNumber())));
            field(out, FIELD_ROUTINE, origin.getMethodName());
        }
        out.putByte(0);
        out.end();
    }

    /** Where the error was raised: the first frame outside the error classes themselves. */
    private static StackTraceElement origin(PgException e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            if (!frame.getClassName().startsWith(PgException.class.getPackageName() + ".")) {
                return frame;
            }
        }
        return null;
    }

    private static void field(MessageBuilder out, char code, String value) {
        out.putByte(code);
        out.putCString(value);
    }
}
