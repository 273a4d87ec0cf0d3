package org.osgres.logging;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

import org.osgres.api.session.LogContext;

/**
 * log_line_prefix (PostgreSQL: log_line_prefix() in utils/error/elog.c). Escapes: %a application
 * name, %u user, %d database, %r host(port), %h host, %b backend type, %p pid, %t time, %m time
 * with milliseconds, %n epoch with milliseconds, %s process start, %c session id, %l line
 * number, %e SQLSTATE, %i command tag ("SELECT", "idle"), %v virtual xid (empty), %x xid (0), %Q query id
 * (0), %P parallel leader (empty), %q stop here in processes that are not sessions, %% a
 * percent sign. A number between % and the letter pads the value (negative: on the right).
 */
final class LinePrefix {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss zzz", Locale.ROOT);
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS zzz", Locale.ROOT);

    private LinePrefix() {
    }

    /**
     * Formats the prefix.
     *
     * @param context     the logging thread's LogContext (MDC) values; no PID means the postmaster
     * @param postmaster  the postmaster's pid and start (for lines outside sessions and workers)
     * @param lineNumber  this process's log line number (%l)
     */
    static String format(String prefix, Map<String, String> context, Instant now, ZoneId zone, int postmasterPid,
            Instant postmasterStart, long lineNumber) {
        StringBuilder b = new StringBuilder();
        boolean session = context.get(LogContext.REMOTE_HOST) != null; // PostgreSQL: MyProcPort != NULL
        String pid = context.getOrDefault(LogContext.PID, Integer.toString(postmasterPid));
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c != '%') {
                b.append(c);
                continue;
            }
            if (++i >= prefix.length()) {
                break;
            }
            int padding = 0;
            int start = i;
            if (prefix.charAt(i) == '-' || Character.isDigit(prefix.charAt(i))) {
                int j = i + (prefix.charAt(i) == '-' ? 1 : 0);
                while (j < prefix.length() && Character.isDigit(prefix.charAt(j))) {
                    j++;
                }
                if (j >= prefix.length()) {
                    break;
                }
                padding = j > start + (prefix.charAt(i) == '-' ? 1 : 0) ? Integer.parseInt(prefix.substring(start, j)) : 0;
                i = j;
            }
            char e = prefix.charAt(i);
            String value;
            switch (e) {
                case 'a' -> value = sessionValue(session, context.get(LogContext.APPLICATION_NAME));
                case 'u' -> value = sessionValue(session, context.get(LogContext.USER));
                case 'd' -> value = sessionValue(session, context.get(LogContext.DATABASE));
                case 'b' -> value = context.getOrDefault(LogContext.BACKEND_TYPE, "postmaster");
                case 'p' -> value = pid;
                case 'P' -> value = "";
                case 'h' -> value = context.getOrDefault(LogContext.REMOTE_HOST, "");
                case 'r' -> {
                    String host = context.getOrDefault(LogContext.REMOTE_HOST, "");
                    String port = context.get(LogContext.REMOTE_PORT);
                    value = port == null ? host : host + "(" + port + ")";
                }
                case 't' -> value = SECONDS.format(ZonedDateTime.ofInstant(now, zone));
                case 'm' -> value = MILLIS.format(ZonedDateTime.ofInstant(now, zone));
                case 'n' -> value = String.format(Locale.ROOT, "%d.%03d", now.getEpochSecond(), now.getNano() / 1_000_000);
                case 's' -> {
                    String started = context.get(LogContext.SESSION_START);
                    Instant at = started == null ? postmasterStart : Instant.ofEpochSecond(Long.parseLong(started, 16));
                    value = SECONDS.format(ZonedDateTime.ofInstant(at, zone));
                }
                case 'c' -> {
                    String started = context.get(LogContext.SESSION_START);
                    value = (started == null ? Long.toHexString(postmasterStart.getEpochSecond()) : started) + "."
                            + Integer.toHexString(Integer.parseInt(pid));
                }
                case 'l' -> value = Long.toString(lineNumber);
                case 'e' -> value = context.getOrDefault(LogContext.SQLSTATE, "00000");
                case 'i' -> value = context.getOrDefault(LogContext.COMMAND_TAG, "");
                case 'v' -> value = "";
                case 'x', 'Q' -> value = "0";
                case 'q' -> {
                    if (!session) {
                        return b.toString();
                    }
                    continue;
                }
                case '%' -> value = "%";
                default -> value = ""; // PostgreSQL ignores an unknown escape
            }
            pad(b, value == null ? "" : value, padding);
        }
        return b.toString();
    }

    /** PostgreSQL prints "[unknown]" for a session's value it does not know yet, nothing outside sessions. */
    private static String sessionValue(boolean session, String value) {
        if (!session) {
            return "";
        }
        return value == null || value.isEmpty() ? "[unknown]" : value;
    }

    private static void pad(StringBuilder b, String value, int padding) {
        int width = Math.abs(padding);
        if (padding < 0) {
            b.append(value);
            b.append(" ".repeat(Math.max(0, width - value.length())));
        } else {
            b.append(" ".repeat(Math.max(0, width - value.length())));
            b.append(value);
        }
    }
}
