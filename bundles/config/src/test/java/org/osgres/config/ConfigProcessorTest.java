package org.osgres.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.config.guc.GucTable;

class ConfigProcessorTest {
    private final GucTable table = GucTable.standard();

    @TempDir
    Path dir;

    private ConfigProcessor.Outcome start(String conf, Map<String, String> cmd) throws IOException {
        Files.writeString(dir.resolve("postgresql.conf"), conf);
        return ConfigProcessor.startup(table, dir, cmd);
    }

    private static List<String> log(ConfigProcessor.Outcome o) {
        return o.log().stream().map(Object::toString).toList();
    }

    @Test
    void startupAppliesFileThenCommandLine() throws IOException {
        Map<String, String> cmd = new LinkedHashMap<>();
        cmd.put("port", "5499");
        ConfigProcessor.Outcome o = start("port = 5433\nshared_buffers = 256MB\nwork_mem = '8MB'\nwork_mem = 16MB\n"
                + "myext.flag = on\n", cmd);
        assertTrue(o.ok(), log(o).toString());
        SettingsState s = o.state();
        assertEquals("5499", s.values().get("port"));
        assertEquals("command line", s.sources().get("port"));
        assertEquals("32768", s.values().get("shared_buffers"));
        assertEquals("16384", s.values().get("work_mem"));
        assertEquals("configuration file", s.sources().get("work_mem"));
        assertEquals("on", s.values().get("myext.flag"));
        assertEquals(dir.toAbsolutePath().normalize().toString(), s.values().get("data_directory"));
        assertEquals("override", s.sources().get("data_directory"));
        assertEquals(dir.resolve("pg_hba.conf").toAbsolutePath().normalize().toString(), s.values().get("hba_file"));
        assertEquals("default", s.sources().get("max_connections"));
        assertEquals("15.18 (osgres 0.1.0)", s.values().get("server_version"));
    }

    @Test
    void startupErrorsAreFatal() throws IOException {
        ConfigProcessor.Outcome o = start("port = 5433\nbogus = 1\n", Map.of());
        assertFalse(o.ok());
        String f = dir.toAbsolutePath().normalize().resolve("postgresql.conf").toString();
        assertEquals(List.of("LOG:  unrecognized configuration parameter \"bogus\" in file \"" + f + "\" line 2",
                "FATAL:  configuration file \"" + f + "\" contains errors"), log(o));
        o = start("port = abc\n", Map.of());
        assertEquals(List.of("LOG:  invalid value for parameter \"port\": \"abc\"",
                "FATAL:  configuration file \"" + f + "\" contains errors"), log(o));
        o = start("port 5432 5433\n", Map.of());
        assertEquals("LOG:  syntax error in file \"" + f + "\" line 1, near token \"5433\"", log(o).get(0));
        o = start("", Map.of("nosuch", "1"));
        assertEquals(List.of("FATAL:  unrecognized configuration parameter \"nosuch\""), log(o));
    }

    @Test
    void reloadChangesSighupKeepsPostmaster() throws IOException {
        SettingsState s = start("port = 5433\nwork_mem = 8MB\nlog_min_duration_statement = 1s\n", Map.of()).state();
        Files.writeString(dir.resolve("postgresql.conf"), "port = 5434\nwork_mem = 16MB\ncheckpoint_timeout = 10min\n");
        ConfigProcessor.Outcome o = ConfigProcessor.reload(table, s);
        String f = dir.toAbsolutePath().normalize().resolve("postgresql.conf").toString();
        assertEquals(List.of(
                "LOG:  parameter \"log_min_duration_statement\" removed from configuration file, reset to default",
                "LOG:  parameter \"port\" cannot be changed without restarting the server",
                "LOG:  parameter \"work_mem\" changed to \"16MB\"",
                "LOG:  parameter \"checkpoint_timeout\" changed to \"10min\"",
                "LOG:  configuration file \"" + f + "\" contains errors; unaffected changes were applied"), log(o));
        assertFalse(o.ok());
        assertEquals("5433", o.state().values().get("port"));
        assertEquals("16384", o.state().values().get("work_mem"));
        assertEquals("600", o.state().values().get("checkpoint_timeout"));
        assertEquals("-1", o.state().values().get("log_min_duration_statement"));
        assertEquals("default", o.state().sources().get("log_min_duration_statement"));
    }

    @Test
    void reloadWithSyntaxErrorChangesNothing() throws IOException {
        SettingsState s = start("work_mem = 8MB\n", Map.of()).state();
        Files.writeString(dir.resolve("postgresql.conf"), "work_mem = 16MB\nfoo bar baz\n");
        ConfigProcessor.Outcome o = ConfigProcessor.reload(table, s);
        assertFalse(o.ok());
        assertSame(s, o.state());
        assertTrue(log(o).get(log(o).size() - 1).endsWith("contains errors; no changes were applied"));
    }

    @Test
    void commandLineSurvivesReload() throws IOException {
        SettingsState s = start("work_mem = 8MB\n", Map.of("work_mem", "32MB")).state();
        assertEquals("32768", s.values().get("work_mem"));
        ConfigProcessor.Outcome o = ConfigProcessor.reload(table, s);
        assertTrue(o.ok());
        assertEquals("32768", o.state().values().get("work_mem"));
        assertEquals("command line", o.state().sources().get("work_mem"));
    }

    @Test
    void parseCommandLine() {
        assertEquals(Map.of("port", "5432", "search_path", "a,b=c"),
                ConfigProcessor.parseCommandLine("port=5432\n\nsearch_path=a,b=c\n"));
    }
}
