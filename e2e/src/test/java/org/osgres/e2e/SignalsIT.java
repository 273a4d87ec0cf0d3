package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** postmaster.pid, signals (SIGINT fast, SIGTERM smart, SIGHUP reload) and the lock on the data directory. */
class SignalsIT {

    static String show(OsgresServer s, String setting) throws SQLException {
        try (Connection c = s.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW " + setting)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    @Test
    void postmasterPidFile() throws Exception {
        try (OsgresServer s = OsgresServer.start()) {
            List<String> lines = s.pidFileLines();
            String all = String.join("\n", lines) + "\n" + s.logText();
            assertTrue(lines.size() >= 8, all);
            assertEquals(Long.toString(s.pid()), lines.get(0), "line 1: the server's own pid (the script must exec the JVM)\n" + all);
            assertEquals(s.dataDir().toString(), lines.get(1), all);
            assertTrue(lines.get(2).matches("\\d+"), "line 3: start time in epoch seconds\n" + all);
            assertEquals(Integer.toString(s.port()), lines.get(3), all);
            assertEquals(s.socketDir().toString(), lines.get(4), all);
            assertEquals("ready", lines.get(7).trim(), all);
            s.stop();
        }
    }

    @Test
    void sigintIsFastShutdownEvenWithClients() throws Exception {
        try (OsgresServer s = OsgresServer.start()) {
            Connection c = s.connect();
            assertEquals("on", show(s, "integer_datetimes"));
            s.stop(); // SIGINT, exit code 0, postmaster.pid removed
            assertThrows(SQLException.class, () -> {
                try (Statement st = c.createStatement()) {
                    st.executeQuery("SELECT 1");
                }
            }, "the session ends with a fast shutdown");
            c.close();
        }
    }

    @Test
    void sigtermIsSmartShutdown() throws Exception {
        try (OsgresServer s = OsgresServer.start()) {
            assertEquals("on", show(s, "integer_datetimes"));
            Cmd.kill("TERM", s.pid());
            assertEquals(0, s.awaitExit(), s.logText());
            assertFalse(Files.exists(s.pidFile()), "postmaster.pid removed\n" + s.logText());
        }
    }

    @Test
    void sigquitIsImmediateShutdownAndTheNextStartServes() throws Exception {
        try (OsgresServer s = OsgresServer.start()) {
            Connection c = s.connect();
            assertEquals("on", show(s, "integer_datetimes"));
            Cmd.kill("QUIT", s.pid());
            // Deviation from PostgreSQL (which exits 0 and removes postmaster.pid): the JVM keeps
            // SIGQUIT from Java code, so osgres installs libc's _exit as the handler. The process
            // stops at once with status 3 (the signal number), without any shutdown step, and
            // leaves a stale postmaster.pid that the next start replaces.
            assertEquals(3, s.awaitExit(), "immediate shutdown ends the process at once\n" + s.logText());
            assertFalse(s.logText().contains("database system is shut down"), "no orderly shutdown\n" + s.logText());
            assertTrue(Files.exists(s.pidFile()), "postmaster.pid is left behind\n" + s.logText());
            c.close();
            s.startServer(); // recovers, then serves
            assertEquals("on", show(s, "integer_datetimes"));
            s.stop();
        }
    }

    @Test
    void sighupReloadsAndKeepsServing() throws Exception {
        try (OsgresServer s = OsgresServer.start()) {
            assertEquals("4MB", show(s, "work_mem"));
            Files.writeString(s.dataDir().resolve("postgresql.conf"), "\nwork_mem = '7MB'\n", StandardOpenOption.APPEND);
            Cmd.kill("HUP", s.pid());
            List<String> seen = new ArrayList<>();
            boolean reloaded = Wait.until(Duration.ofSeconds(15), () -> {
                try {
                    String v = show(s, "work_mem");
                    seen.add(v);
                    return v.equals("7MB");
                } catch (SQLException e) {
                    seen.add(e.toString());
                    return false;
                }
            });
            assertTrue(reloaded, "work_mem after SIGHUP: " + seen.subList(Math.max(0, seen.size() - 3), seen.size()) + "\n" + s.logText());
            assertTrue(s.process().isAlive(), s.logText());
            assertEquals("ready", s.pidFileLines().get(7).trim());
            s.stop();
        }
    }

    @Test
    void secondServerOnTheSameDataDirectoryFails() throws Exception {
        Golden golden = Golden.load("lockfile.txt");
        try (OsgresServer s = OsgresServer.start()) {
            List<String> argv = new ArrayList<>(OsgresServer.tool("server", "-D", s.dataDir().toString(),
                    "-p", Integer.toString(OsgresServer.freePort()), "-k", s.socketDir().toString()));
            Cmd.Result r = Cmd.run(argv, Duration.ofSeconds(120));
            assertNotEquals(0, r.exit(), r.toString());
            String output = r.stdout() + r.stderr();
            for (String line : golden.expected()) {
                if (!line.startsWith("stderr ")) continue;
                String want = line.substring("stderr ".length())
                        .replace("{pid}", Long.toString(s.pid()))
                        .replace("{datadir}", s.dataDir().toString());
                assertTrue(output.contains(want), "expected: " + want + "\n" + r);
            }
            // the first server is untouched
            assertEquals(List.of(Long.toString(s.pid())), s.pidFileLines().subList(0, 1));
            assertEquals("on", show(s, "integer_datetimes"));
            s.stop();
        }
    }
}
