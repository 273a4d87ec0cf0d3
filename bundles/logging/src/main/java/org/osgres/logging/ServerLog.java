/*
 * ServerLog: the server log (PostgreSQL: utils/error/elog.c, send_message_to_server_log and
 * write_stderr; postmaster/syslogger.c for the collector's side).
 *
 * Every SLF4J call of every bundle arrives here through PgLogger. A message is filtered by
 * log_min_messages, formatted as "<log_line_prefix>LEVEL:  message" (DETAIL/HINT lines get the
 * prefix too; other continuation lines and stack traces are indented by a tab, as PostgreSQL's
 * append_with_tabs does) and written to stderr, or, with logging_collector on, handed to the
 * logger worker (SysLogger) through a queue.
 *
 * Entry points: INSTANCE.log(), configure(), startCollecting(), stopCollecting().
 * See also: LinePrefix -- the escapes; LoggingSettings -- feeds the settings in; SysLogger --
 * log files and rotation; PgLogger -- the SLF4J side.
 */
package org.osgres.logging;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.slf4j.MDC;

final class ServerLog {
    static final ServerLog INSTANCE = new ServerLog();
    /** Lines the collector may have waiting before writers fall back to stderr. */
    private static final int QUEUE_CAPACITY = 100_000;

    /** The settings that shape each line; replaced whole on SIGHUP. */
    record Config(String linePrefix, LogLevel minMessages, ZoneId zone) {
        static final Config DEFAULTS = new Config("%m [%p] ", LogLevel.WARNING, ZoneId.of("GMT"));
    }

    private volatile Config config = Config.DEFAULTS;
    private volatile BlockingQueue<String> collector;
    private final int postmasterPid = (int) ProcessHandle.current().pid();
    private final Instant postmasterStart = ProcessHandle.current().info().startInstant().orElse(Instant.now());
    private final ThreadLocal<long[]> lineNumbers = ThreadLocal.withInitial(() -> new long[1]);
    private volatile PrintStream stderr = System.err;

    void configure(Config c) {
        config = c;
    }

    Config config() {
        return config;
    }

    /** For tests: where stderr lines go. */
    void setStderr(PrintStream out) {
        stderr = out;
    }

    /** logging_collector: from now on lines go to the returned queue, which SysLogger drains. */
    synchronized BlockingQueue<String> startCollecting() {
        if (collector == null) {
            collector = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
        }
        return collector;
    }

    /** Lines go to stderr again (the collector was stopped). */
    synchronized void stopCollecting() {
        collector = null;
    }

    BlockingQueue<String> collectorQueue() {
        return collector;
    }

    boolean isEnabled(LogLevel level) {
        return level.compareTo(config.minMessages()) >= 0;
    }

    /** Formats and writes one message (PostgreSQL: EmitErrorReport's server-log half). */
    void log(LogLevel level, String message, Throwable thrown) {
        LogLevel explicit = LogLevel.ofMessagePrefix(message);
        if (explicit != null) {
            level = explicit;
            message = message.substring(message.indexOf(":  ") + 3);
        }
        if (!isEnabled(level)) {
            return;
        }
        write(format(level, message, thrown, MDC.getCopyOfContextMap(), Instant.now()));
    }

    String format(LogLevel level, String message, Throwable thrown, Map<String, String> context, Instant now) {
        Config c = config;
        Map<String, String> ctx = context == null ? Map.of() : context;
        long[] n = lineNumbers.get();
        String prefix = LinePrefix.format(c.linePrefix(), ctx, now, c.zone(), postmasterPid, postmasterStart, ++n[0]);
        StringBuilder b = new StringBuilder(prefix).append(level.name()).append(":  ");
        String[] lines = message.split("\n", -1);
        b.append(lines[0]);
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("DETAIL:  ") || line.startsWith("HINT:  ") || line.startsWith("CONTEXT:  ")
                    || line.startsWith("STATEMENT:  ")) {
                b.append('\n').append(prefix).append(line);
            } else if (line.startsWith("\t")) {
                b.append('\n').append(line); // already indented by whoever wrote the message
            } else {
                b.append("\n\t").append(line);
            }
        }
        if (thrown != null) {
            java.io.StringWriter w = new java.io.StringWriter();
            thrown.printStackTrace(new java.io.PrintWriter(w));
            for (String line : w.toString().split("\n")) {
                b.append("\n\t").append(line.stripTrailing());
            }
        }
        return b.append('\n').toString();
    }

    private void write(String text) {
        BlockingQueue<String> q = collector;
        if (q != null && q.offer(text)) {
            return;
        }
        PrintStream out = stderr;
        synchronized (out) {
            out.print(text);
            out.flush();
        }
    }

    /** Writes to stderr whatever the destination (the collector's own start and failure notes). */
    void writeStderr(LogLevel level, String message) {
        PrintStream out = stderr;
        String text = format(level, message, null, MDC.getCopyOfContextMap(), Instant.now());
        synchronized (out) {
            out.print(text);
            out.flush();
        }
    }
}
