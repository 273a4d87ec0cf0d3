package org.osgres.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgres.api.session.LogContext;

class LinePrefixTest {
    static final Instant NOW = Instant.parse("2024-03-05T07:08:09.123Z");
    static final Instant PM_START = Instant.parse("2024-03-05T07:00:00Z");

    static String format(String prefix, Map<String, String> ctx) {
        return LinePrefix.format(prefix, ctx, NOW, ZoneId.of("UTC"), 4242, PM_START, 7);
    }

    static Map<String, String> session() {
        Map<String, String> m = new HashMap<>();
        m.put(LogContext.PID, "4300");
        m.put(LogContext.USER, "alice");
        m.put(LogContext.DATABASE, "postgres");
        m.put(LogContext.APPLICATION_NAME, "psql");
        m.put(LogContext.REMOTE_HOST, "127.0.0.1");
        m.put(LogContext.REMOTE_PORT, "5555");
        m.put(LogContext.BACKEND_TYPE, "client backend");
        m.put(LogContext.SESSION_START, Long.toHexString(PM_START.getEpochSecond() + 60));
        return m;
    }

    @Test
    void defaultPrefix() {
        assertEquals("2024-03-05 07:08:09.123 UTC [4242] ", format("%m [%p] ", Map.of()));
        assertEquals("2024-03-05 07:08:09.123 UTC [4300] ", format("%m [%p] ", session()));
    }

    @Test
    void sessionEscapes() {
        assertEquals("alice@postgres psql 127.0.0.1 127.0.0.1(5555) client backend 7 00000 %",
                format("%u@%d %a %h %r %b %l %e %%", session()));
        assertEquals("2024-03-05 07:08:09 UTC 1709622489.123", format("%t %n", session()));
        assertEquals(Long.toHexString(PM_START.getEpochSecond() + 60) + ".10cc", format("%c", session()));
        assertEquals("2024-03-05 07:01:00 UTC", format("%s", session()));
    }

    @Test
    void qStopsOutsideSessionsAndUnknownValuesAreMarked() {
        assertEquals("[4242] ", format("[%p] %q%u@%d ", Map.of()));
        assertEquals("[4300] alice@postgres ", format("[%p] %q%u@%d ", session()));
        Map<String, String> startup = Map.of(LogContext.REMOTE_HOST, "[local]");
        assertEquals("[unknown]@[unknown] [local] postmaster", format("%u@%d %r %b", startup));
    }

    @Test
    void padding() {
        assertEquals("[ alice|postgres  ]", format("[%6u|%-10d]", session()));
        assertEquals("x", format("x%", Map.of()), "a trailing % is dropped");
        assertEquals("0|||0", format("%x|%i|%v|%Q", Map.of()));
        assertEquals("SELECT", format("%i", Map.of(LogContext.COMMAND_TAG, "SELECT")));
    }
}
