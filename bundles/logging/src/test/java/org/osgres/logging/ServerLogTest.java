package org.osgres.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.BlockingQueue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class ServerLogTest {
    final ServerLog log = ServerLog.INSTANCE;
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    ServerLogTest() {
        log.setStderr(new PrintStream(err, true, StandardCharsets.UTF_8));
        log.configure(new ServerLog.Config("[%p] ", LogLevel.WARNING, ZoneId.of("UTC")));
    }

    @AfterEach
    void reset() {
        log.stopCollecting();
        log.configure(ServerLog.Config.DEFAULTS);
        log.setStderr(System.err);
    }

    String text() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void levelsAreMappedToPostgresNames() {
        assertEquals(LogLevel.LOG, PgLogger.level(Level.INFO));
        assertEquals(LogLevel.WARNING, PgLogger.level(Level.WARN));
        assertEquals(LogLevel.ERROR, PgLogger.level(Level.ERROR));
        assertEquals(LogLevel.DEBUG1, PgLogger.level(Level.DEBUG));
        assertEquals(LogLevel.DEBUG5, PgLogger.level(Level.TRACE));
    }

    @Test
    void messagePrefixGivesTheLevel() {
        assertEquals(LogLevel.FATAL, LogLevel.ofMessagePrefix("FATAL:  x"));
        assertEquals(LogLevel.DEBUG1, LogLevel.ofMessagePrefix("DEBUG1:  x"));
        assertNull(LogLevel.ofMessagePrefix("connection received: host=[local]"));
        assertNull(LogLevel.ofMessagePrefix("x:  y"));
        log.log(LogLevel.LOG, "FATAL:  role \"x\" does not exist", null);
        assertTrue(text().endsWith("FATAL:  role \"x\" does not exist\n"), text());
    }

    @Test
    void formatsDetailAndHintLinesWithThePrefixAndOtherLinesWithATab() {
        String line = log.format(LogLevel.ERROR, "first\nDETAIL:  more\nHINT:  try\nplain", null,
                Map.of(), Instant.now());
        String pid = Long.toString(ProcessHandle.current().pid());
        assertEquals("[" + pid + "] ERROR:  first\n[" + pid + "] DETAIL:  more\n[" + pid + "] HINT:  try\n\tplain\n", line);
        // a line its writer indented already keeps its one tab
        assertEquals("[" + pid + "] LOG:  one\n\ttwo\n", log.format(LogLevel.LOG, "one\n\ttwo", null, Map.of(), Instant.now()));
    }

    @Test
    void logMinMessagesFilters() {
        log.log(LogLevel.DEBUG1, "hidden", null);
        log.log(LogLevel.INFO, "hidden too", null);
        log.log(LogLevel.LOG, "shown", null);
        log.log(LogLevel.WARNING, "also shown", null);
        assertFalse(text().contains("hidden"), text());
        assertTrue(text().contains("LOG:  shown") && text().contains("WARNING:  also shown"), text());
        log.configure(new ServerLog.Config("", LogLevel.FATAL, ZoneId.of("UTC")));
        log.log(LogLevel.ERROR, "error hidden at fatal", null);
        log.log(LogLevel.LOG, "log hidden at fatal", null);
        assertFalse(text().contains("hidden at fatal"));
        log.configure(new ServerLog.Config("", LogLevel.DEBUG1, ZoneId.of("UTC")));
        log.log(LogLevel.DEBUG1, "debug shown", null);
        assertTrue(text().contains("DEBUG1:  debug shown"));
    }

    @Test
    void stackTracesAreIndented() {
        log.log(LogLevel.ERROR, "boom", new IllegalStateException("inner"));
        assertTrue(text().contains("ERROR:  boom\n\tjava.lang.IllegalStateException: inner\n\t\tat "), text());
    }

    @Test
    void theCollectorQueueTakesLinesInsteadOfStderr() throws Exception {
        BlockingQueue<String> q = log.startCollecting();
        log.log(LogLevel.LOG, "to the collector", null);
        assertTrue(q.take().endsWith("LOG:  to the collector\n"));
        assertEquals("", text());
        log.stopCollecting();
        log.log(LogLevel.LOG, "back on stderr", null);
        assertTrue(text().contains("back on stderr"));
    }
}
