package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * pg_hba.conf reloads: SELECT pg_reload_conf() and `osgres ctl reload` put a changed file in force
 * (a new reject line takes effect); a broken file, or one naming a method no installed bundle
 * provides, keeps the old rules and logs "pg_hba.conf was not reloaded"; at startup such a
 * method is FATAL "could not load pg_hba.conf", after a LOG line naming the method and why it is
 * missing.
 */
class AuthReloadIT extends WithServer {
    static final String REJECTED = "28000 FATAL: pg_hba.conf rejects connection for host \"127.0.0.1\", user "
            + "\"reload_role\", database \"postgres\", no encryption";

    static void writeHba(String... lines) throws Exception {
        String su = server.user();
        Files.writeString(server.dataDir().resolve("pg_hba.conf"), "local all " + su + " trust\nhost all " + su
                + " 127.0.0.1/32 trust\n" + String.join("\n", lines) + "\n");
    }

    static String reloadRole() {
        return AuthHelper.jdbc(server, "reload_role", null, "127.0.0.1");
    }

    /** The server log (without marking the run failed, as logText() does). */
    static String log(OsgresServer s) {
        try {
            return Files.readString(s.log());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static int notReloaded() {
        return log(server).split("pg_hba.conf was not reloaded", -1).length - 1;
    }

    static void ctlReload() throws Exception {
        Cmd.Result r = Cmd.run(OsgresServer.tool("ctl", "reload", "-D", server.dataDir().toString()),
                Duration.ofSeconds(60));
        assertEquals(0, r.exit(), r.toString());
        assertEquals("server signaled\n", r.stdout());
    }

    @Test
    void reloadThroughSqlAndCtl() throws Exception {
        AuthHelper.sql(server, "CREATE ROLE reload_role LOGIN");
        writeHba("host all all 127.0.0.1/32 trust");
        ctlReload();
        assertTrue(Wait.until(Duration.ofSeconds(30), () -> reloadRole().equals("ok")), AuthReloadIT::reloadRole);

        // pg_reload_conf(): a reject line before the trust line takes effect
        writeHba("host all reload_role 127.0.0.1/32 reject", "host all all 127.0.0.1/32 trust");
        try (Connection c = server.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_reload_conf()")) {
            assertTrue(rs.next());
            assertTrue(rs.getBoolean(1));
        }
        assertTrue(Wait.until(Duration.ofSeconds(30), () -> reloadRole().equals(REJECTED)), AuthReloadIT::reloadRole);

        // a broken file: the old rules stay
        int before = notReloaded();
        writeHba("hots all all all trust", "host all all 127.0.0.1/32 trust");
        ctlReload();
        assertTrue(Wait.until(Duration.ofSeconds(30), () -> notReloaded() > before), () -> log(server));
        assertConsecutiveLines(log(server), "LOG:  invalid connection type \"hots\"",
                "CONTEXT:  line 3 of configuration file \"" + server.dataDir().resolve("pg_hba.conf") + "\"");
        assertEquals(REJECTED, reloadRole());

        // a method no installed bundle provides: the same, with the method named
        int before2 = notReloaded();
        writeHba("host all all 127.0.0.1/32 radius radiusservers=x radiussecrets=y");
        ctlReload();
        assertTrue(Wait.until(Duration.ofSeconds(30), () -> notReloaded() > before2), () -> log(server));
        assertConsecutiveLines(log(server),
                "LOG:  authentication method \"radius\" is not available: no installed bundle provides it",
                "CONTEXT:  line 3 of configuration file");
        assertEquals(REJECTED, reloadRole());
        try (Connection c = server.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT line_number, auth_method, error FROM pg_hba_file_rules "
                        + "WHERE error IS NOT NULL")) {
            assertTrue(rs.next());
            assertEquals(3, rs.getInt(1));
            assertEquals(null, rs.getString(2));
            assertEquals("authentication method \"radius\" is not available: no installed bundle provides it",
                    rs.getString(3));
        }

        // and a good file again
        writeHba("host all all 127.0.0.1/32 trust");
        ctlReload();
        assertTrue(Wait.until(Duration.ofSeconds(30), () -> reloadRole().equals("ok")), AuthReloadIT::reloadRole);
    }

    @Test
    void startupWithAMissingMethodIsFatal() throws Exception {
        try (OsgresServer other = OsgresServer.initdb()) {
            Files.writeString(other.dataDir().resolve("pg_hba.conf"), "local all all trust\n"
                    + "host all all 127.0.0.1/32 radius radiusservers=x radiussecrets=y\n");
            ProcessBuilder pb = new ProcessBuilder(other.serverCommand())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(other.log().toFile()));
            pb.environment().putAll(OsgresServer.childEnvironment());
            Process p = pb.start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), () -> "the server did not exit\n" + other.logText());
            String log = log(other);
            assertEquals(1, p.exitValue(), log);
            assertConsecutiveLines(log,
                    "LOG:  authentication method \"radius\" is not available: no installed bundle provides it",
                    "CONTEXT:  line 2 of configuration file \"" + other.dataDir().resolve("pg_hba.conf") + "\"");
            assertTrue(log.contains("FATAL:  could not load pg_hba.conf"), log);
            assertFalse(Files.exists(other.pidFile()), "postmaster.pid removed\n" + log);
        }
    }

    /**
     * The log has a line containing first and, right after it, one containing second: each line
     * carries its own log_line_prefix, as in PostgreSQL.
     */
    private static void assertConsecutiveLines(String log, String first, String second) {
        String[] lines = log.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].contains(first) && lines[i + 1].contains(second)) {
                return;
            }
        }
        throw new AssertionError("no line \"" + first + "\" followed by \"" + second + "\" in\n" + log);
    }
}
