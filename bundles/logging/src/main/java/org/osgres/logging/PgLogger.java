package org.osgres.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * One SLF4J logger; every logger writes through ServerLog. SLF4J's levels map to PostgreSQL's:
 * ERROR to ERROR, WARN to WARNING, INFO to LOG, DEBUG to DEBUG1, TRACE to DEBUG5. A message that
 * opens with a PostgreSQL level ("FATAL:  ...") is logged at that level.
 */
final class PgLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    PgLogger(String name) {
        this.name = name;
    }

    static LogLevel level(Level level) {
        return switch (level) {
            case ERROR -> LogLevel.ERROR;
            case WARN -> LogLevel.WARNING;
            case INFO -> LogLevel.LOG;
            case DEBUG -> LogLevel.DEBUG1;
            case TRACE -> LogLevel.DEBUG5;
        };
    }

    @Override
    public boolean isTraceEnabled() {
        return ServerLog.INSTANCE.isEnabled(LogLevel.DEBUG5);
    }

    @Override
    public boolean isDebugEnabled() {
        return ServerLog.INSTANCE.isEnabled(LogLevel.DEBUG1);
    }

    @Override
    public boolean isInfoEnabled() {
        return true; // a message may carry its own level ("FATAL:  "), decided in ServerLog
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
            Throwable throwable) {
        String message = MessageFormatter.basicArrayFormat(messagePattern, arguments);
        ServerLog.INSTANCE.log(level(level), message == null ? "" : message, throwable);
    }
}
