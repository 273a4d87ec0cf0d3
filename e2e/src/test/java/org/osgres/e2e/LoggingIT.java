package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The server log in PostgreSQL's format: "<log_line_prefix>LEVEL:  message" with the default
 * prefix '%m [%p] ', log_connections, log_disconnections and log_min_duration_statement lines in
 * PostgreSQL 15's words, %q and the session escapes, and the logging collector writing
 * log_directory/log_filename and rotating at log_rotation_size.
 */
class LoggingIT {
    static final String TIME = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} [A-Z]+";

    static boolean hasLine(String log, String regex) {
        Pattern p = Pattern.compile(regex);
        return log.lines().anyMatch(l -> p.matcher(l).matches());
    }

    @Test
    void defaultPrefixAndConnectionLines() throws Exception {
        try (OsgresServer s = OsgresServer.start("log_connections=on", "log_disconnections=on",
                "log_min_duration_statement=0", "log_line_prefix=%m [%p] %q%u@%d/%a ")) {
            Properties p = new Properties();
            p.setProperty("ApplicationName", "logtest");
            try (Connection c = s.connect(p); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 42")) {
                assertTrue(rs.next());
            }
            String u = Pattern.quote(OsgresServer.superuser());
            assertTrue(Wait.until(Duration.ofSeconds(10), () -> s.logTextQuiet().contains("disconnection:")), s.logText());
            String log = s.logTextQuiet();
            assertTrue(hasLine(log, TIME + " \\[\\d+\\] LOG:  database system is ready to accept connections"), s.logText());
            assertTrue(hasLine(log, TIME + " \\[\\d+\\] \\[unknown\\]@\\[unknown\\]/\\[unknown\\] "
                    + "LOG:  connection received: host=127\\.0\\.0\\.1 port=\\d+"), s.logText());
            // pgjdbc sets application_name after the startup packet, so the line names none (as PostgreSQL's)
            assertTrue(hasLine(log, TIME + " \\[\\d+\\] " + u + "@postgres/\\[unknown\\] LOG:  connection authorized: user="
                    + u + " database=postgres"), s.logText());
            assertTrue(hasLine(log, TIME + " \\[\\d+\\] " + u + "@postgres/logtest LOG:  duration: \\d+\\.\\d{3} ms  "
                    + "(statement|execute [^:]+): SELECT 42"), s.logText());
            assertTrue(hasLine(log, TIME + " \\[\\d+\\] " + u + "@postgres/logtest LOG:  disconnection: session time: "
                    + "\\d+:\\d\\d:\\d\\d\\.\\d{3} user=" + u + " database=postgres host=127\\.0\\.0\\.1 port=\\d+"),
                    s.logText());
        }
    }

    @Test
    void psqlStatementDurationAndLocalDisconnection() throws Exception {
        try (OsgresServer s = OsgresServer.start("log_connections=on", "log_disconnections=on",
                "log_min_duration_statement=0", "log_line_prefix=%m %u %d %r %e %i ")) {
            Cmd.Result r = Cmd.run(List.of("psql", "-X", "-h", s.socketDir().toString(), "-p", Integer.toString(s.port()),
                    "-U", OsgresServer.superuser(), "-d", "postgres", "-c", "SELECT 1"), Duration.ofSeconds(30),
                    java.util.Map.of("PGAPPNAME", "psqltest"), null);
            assertEquals(0, r.exit(), r.toString());
            Cmd.Result failed = Cmd.run(List.of("psql", "-X", "-h", s.socketDir().toString(), "-p",
                    Integer.toString(s.port()), "-U", OsgresServer.superuser(), "-d", "postgres", "-c", "SELECT 1/0"),
                    Duration.ofSeconds(30));
            assertEquals(1, failed.exit(), failed.toString());
            String u = Pattern.quote(OsgresServer.superuser());
            assertTrue(Wait.until(Duration.ofSeconds(10), () -> s.logTextQuiet().split("disconnection:").length > 2),
                    s.logText());
            String log = s.logTextQuiet();
            assertTrue(hasLine(log, TIME + " " + u + " postgres \\[local\\] 00000 authentication LOG:  connection authorized: user=" + u
                    + " database=postgres application_name=psqltest"), s.logText());
            assertTrue(hasLine(log, TIME + " " + u + " postgres \\[local\\] 00000 SELECT LOG:  duration: \\d+\\.\\d{3} ms  "
                    + "statement: SELECT 1"), s.logText());
            // an error is logged with its SQLSTATE (%e) and the statement (log_min_error_statement = error)
            assertTrue(hasLine(log, TIME + " " + u + " postgres \\[local\\] 22012 SELECT ERROR:  division by zero"), s.logText());
            assertTrue(hasLine(log, TIME + " " + u + " postgres \\[local\\] 22012 SELECT STATEMENT:  SELECT 1/0"), s.logText());
            assertTrue(hasLine(log, TIME + " " + u + " postgres \\[local\\] 00000 idle LOG:  disconnection: session time: "
                    + "\\d+:\\d\\d:\\d\\d\\.\\d{3} user=" + u + " database=postgres host=\\[local\\]"), s.logText());
        }
    }

    @Test
    void loggingCollectorWritesAndRotatesLogFiles() throws Exception {
        try (OsgresServer s = OsgresServer.start("logging_collector=on", "log_min_duration_statement=0",
                "log_rotation_size=1", "log_filename=osgres-%H%M%S.log")) {
            assertTrue(s.logTextQuiet().contains("LOG:  redirecting log output to logging collector process"), s.logText());
            assertTrue(s.logTextQuiet().contains("HINT:  Future log output will appear in directory \"log\"."), s.logText());
            Path dir = s.dataDir().resolve("log");
            assertTrue(Wait.until(Duration.ofSeconds(10), () -> allLogs(dir).contains("database system is ready")),
                    "no log file in " + dir + "\n" + s.logText());
            // more than 1 kB of log, written across more than one second (file names have seconds)
            try (Connection c = s.connect(); Statement st = c.createStatement()) {
                long until = System.nanoTime() + 2_500_000_000L;
                int i = 0;
                while (System.nanoTime() < until || i < 40) {
                    st.execute("SELECT " + i++ + " AS padding_padding_padding_padding_padding_padding");
                }
            }
            assertTrue(Wait.until(Duration.ofSeconds(10), () -> fileCount(dir) >= 2),
                    "log_rotation_size=1kB: " + fileCount(dir) + " files in " + dir);
            assertTrue(allLogs(dir).contains(": SELECT 3 AS padding"), allLogs(dir));
            assertFalse(s.logTextQuiet().contains(": SELECT 3 AS padding"), "stderr has only the redirect note");
        }
    }

    @Test
    void sighupChangesTheLinePrefix() throws Exception {
        try (OsgresServer s = OsgresServer.start("log_min_duration_statement=0")) {
            Files.writeString(s.dataDir().resolve("postgresql.conf"), "\nlog_line_prefix = 'reloaded[%p] '\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
            Cmd.Result r = Cmd.run(OsgresServer.tool("ctl", "reload", "-D", s.dataDir().toString()), Duration.ofSeconds(30));
            assertEquals(0, r.exit(), r.toString());
            assertTrue(Wait.until(Duration.ofSeconds(20), () -> {
                try (Connection c = s.connect(); Statement st = c.createStatement()) {
                    st.execute("SELECT 'after reload'");
                } catch (Exception e) {
                    return false;
                }
                return hasLine(s.logTextQuiet(), "reloaded\\[\\d+\\] LOG:  duration: .* SELECT 'after reload'");
            }), s.logText());
        }
    }

    static int fileCount(Path dir) {
        try (Stream<Path> f = Files.list(dir)) {
            return (int) f.filter(p -> p.getFileName().toString().startsWith("osgres-")).count();
        } catch (Exception e) {
            return 0;
        }
    }

    static String allLogs(Path dir) {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> f = Files.list(dir)) {
            for (Path p : f.sorted().toList()) b.append(Files.readString(p, StandardCharsets.UTF_8));
        } catch (Exception e) {
            return "";
        }
        return b.toString();
    }
}
