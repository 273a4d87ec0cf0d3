package org.osgres.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.error.PgException;
import org.osgres.config.guc.GucTable;

class SettingsServiceTest {

    @Test
    void getSourceParseDisplay(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("postgresql.conf"), "shared_buffers = 128MB\ncheckpoint_timeout = 5min\n");
        SettingsState st = ConfigProcessor.startup(GucTable.standard(), dir, Map.of("port", "5444")).state();
        // the round trip through Configuration Admin's properties
        SettingsService s = new SettingsService(SettingsConfig.toProperties(st));
        assertEquals("16384", s.get("shared_buffers"));
        assertEquals("128MB", s.display("shared_buffers", s.get("SHARED_BUFFERS")));
        assertEquals("5min", s.display("checkpoint_timeout", s.get("checkpoint_timeout")));
        assertEquals("4MB", s.display("work_mem", "4096"));
        assertEquals("-1", s.display("log_min_duration_statement", "-1"));
        assertEquals("ISO, MDY", s.display("datestyle", s.get("DateStyle")));
        assertEquals(5444, s.getInt("port"));
        assertEquals("command line", s.source("port"));
        assertEquals("configuration file", s.source("shared_buffers"));
        assertEquals("default", s.source("work_mem"));
        assertEquals("override", s.source("data_directory"));
        assertEquals(dir.toAbsolutePath().normalize(), s.dataDirectory());
        assertEquals("TimeZone", s.displayName("timezone"));
        assertEquals("timezone", s.definition("TimeZone").orElseThrow().name());
        assertTrue(s.definitions().size() >= 358);
        assertEquals("65536", s.parse("work_mem", "64MB"));
        assertEquals("hello", s.parse("myext.x", "hello"));
        PgException e = assertThrows(PgException.class, () -> s.parse("foo", "1"));
        assertEquals("42704", e.sqlState().code());
        assertEquals("unrecognized configuration parameter \"foo\"", e.getMessage());
        e = assertThrows(PgException.class, () -> s.get("foo"));
        assertEquals("42704", e.sqlState().code());
        e = assertThrows(PgException.class, () -> s.parse("port", "abc"));
        assertEquals("invalid value for parameter \"port\": \"abc\"", e.getMessage());
    }

    @Test
    void reloadUpdatesInPlace(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("postgresql.conf"), "work_mem = 8MB\n");
        SettingsService s = new SettingsService(
                ConfigProcessor.startup(GucTable.standard(), dir, Map.of()).state());
        Files.writeString(dir.resolve("postgresql.conf"), "work_mem = 16MB\n");
        assertTrue(s.reload());
        assertEquals("16384", s.get("work_mem"));
        Files.writeString(dir.resolve("postgresql.conf"), "work_mem = 32MB\nsyntax error here\n");
        assertEquals(false, s.reload());
        assertEquals("16384", s.get("work_mem"));
    }
}
