package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * restart_after_crash and connections during recovery, compared with what PostgreSQL 15 does
 * (golden/crash-restart, recorded by e2e/tools/record-crash-restart.py).
 *
 * <p>A backend PANICs in the middle of a change: osgres through its "heap-insert" injection point
 * (the page holds the new tuple, dirty, and no WAL record says so), PostgreSQL (with
 * -De2e.reference=true) through kill -ABRT of the backend, which is what its PANIC does. Every
 * other session gets WARNING 57P02 and is closed; connections meanwhile get FATAL 57P03 "in
 * recovery mode"; the server process stays up, recovers, and has every committed row and none of
 * the half-made change or of the open transactions.
 */
class CrashRestartIT {
    static final Path GOLDEN = Path.of("src/test/resources/golden/crash-restart");
    static final String VICTIM_SQL = "INSERT INTO crash_me VALUES (1)";

    @Test
    void aPanicEndsEverySessionAndTheServerRecoversInTheSameProcess() throws Exception {
        List<String> golden = lines("log-lines.txt");
        String warning = lines("warning.txt").get(0);
        String inRecovery = lines("refused.txt").get(0);
        try (OsgresServer s = OsgresServer.initdb()) {
            s.startServer(Map.of("JAVA_TOOL_OPTIONS", "-Dosgres.injection_points=heap-insert:crash_me"));
            CatalogReady.await(s);
            String victimSql;
            try (Connection c = s.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE kept (k int PRIMARY KEY, v text)");
                st.execute("INSERT INTO kept SELECT g, 'row ' || g FROM generate_series(1, 1000) g");
                st.execute("CREATE TABLE crash_me (k int)");
            }
            try (RawConnection idle = new RawConnection(s.port(), 60_000);
                    RawConnection victim = new RawConnection(s.port(), 60_000);
                    Connection open = s.connect()) {
                assertEquals('Z', idle.login(s.user()).type());
                open.setAutoCommit(false);
                try (Statement st = open.createStatement()) {
                    st.execute("INSERT INTO kept VALUES (5000, 'never committed')");
                }
                assertEquals('Z', victim.login(s.user()).type());
                victimSql = crash(victim);

                assertEquals(warning, render(idle.read()), "what the idle session hears");
                assertTrue(idle.closedByServer(), "the idle session is closed");
                assertThrows(SQLException.class, () -> {
                    try (Statement st = open.createStatement()) {
                        st.execute("SELECT 1");
                    }
                });

                List<String> refusals = awaitReadyAgain(s);
                for (String r : refusals) {
                    assertEquals(inRecovery, r, "a connection during the crash recovery");
                }
            }
            assertTrue(s.process().isAlive(), "the server process did not exit: the restart was in-process");

            try (Connection c = s.connect(); Statement st = c.createStatement()) {
                assertEquals(1000, count(st, "SELECT count(*) FROM kept"));
                assertEquals(0, count(st, "SELECT count(*) FROM kept WHERE k = 5000"), "the open transaction's row");
                assertEquals(0, count(st, "SELECT count(*) FROM crash_me"), "the half-made insert");
                assertEquals(1, count(st, "SELECT count(*) FROM kept WHERE k = 500"), "through the primary key");
                st.execute("INSERT INTO kept VALUES (1001, 'after the crash')");
                st.execute("INSERT INTO crash_me SELECT 2 WHERE false");
            }

            // the whole log: logText() keeps only the last 200 lines, which refusals during recovery can fill
            String log = s.logTextQuiet();
            List<String> shapes = log.lines().map(CrashRestartIT::shape).filter(l -> !l.isEmpty())
                    .collect(Collectors.toList());
            int at = shapes.indexOf(golden.get(1)); // "server process (PID N) was terminated by signal N: Aborted"
            assertTrue(at >= 0, "the crash is logged as PostgreSQL logs it:\n" + log);
            assertEquals("DETAIL:  Failed process was running: " + victimSql, shapes.get(at + 1));
            assertEquals(golden.get(3), shapes.get(at + 2));
            assertTrue(shapes.subList(at + 3, shapes.size()).contains(golden.get(4)), "reinitializing:\n" + log);
            assertTrue(shapes.subList(at + 3, shapes.size()).contains(golden.get(0)), "ready again:\n" + log);
            int restart = log.indexOf("all server processes terminated; reinitializing");
            assertTrue(log.indexOf("automatic recovery in progress", restart) > 0, "recovery ran:\n" + log);

            s.stop();
            s.startServer();
            try (Connection c = s.connect(); Statement st = c.createStatement()) {
                assertEquals(1001, count(st, "SELECT count(*) FROM kept"), "after a clean restart");
            }
        }
    }

    /** restart_after_crash = off: the server exits with code 1 after the crash; the next start recovers. */
    @Test
    void withRestartAfterCrashOffTheServerExits() throws Exception {
        List<String> golden = lines("off.txt");
        try (OsgresServer s = OsgresServer.initdb()) {
            s.startServer(Map.of("JAVA_TOOL_OPTIONS", "-Dosgres.injection_points=heap-insert:crash_me"),
                    "restart_after_crash=off");
            CatalogReady.await(s);
            try (Connection c = s.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE kept (k int PRIMARY KEY)");
                st.execute("INSERT INTO kept SELECT g FROM generate_series(1, 100) g");
                st.execute("CREATE TABLE crash_me (k int)");
            }
            try (RawConnection victim = new RawConnection(s.port(), 60_000)) {
                assertEquals('Z', victim.login(s.user()).type());
                if (OsgresServer.REFERENCE) {
                    victim.query("SELECT pg_backend_pid()");
                    Cmd.kill("ABRT", backendPid(victim));
                } else {
                    victim.query(VICTIM_SQL);
                }
                assertEquals(golden.get(0), "exit code " + s.awaitExit());
            }
            assertEquals(golden.get(1), "postmaster.pid " + (Files.exists(s.pidFile()) ? "remains" : "removed"));
            List<String> shapes = s.logTextQuiet().lines().map(CrashRestartIT::shape).filter(l -> l.startsWith("LOG:  "))
                    .collect(Collectors.toList());
            int at = shapes.indexOf(golden.get(2));
            assertTrue(at >= 0, s.logText());
            assertEquals(golden.subList(2, golden.size()), shapes.subList(at, Math.min(shapes.size(), at + golden.size() - 2)));

            s.startServer();
            try (Connection c = s.connect(); Statement st = c.createStatement()) {
                assertEquals(100, count(st, "SELECT count(*) FROM kept"));
                assertEquals(0, count(st, "SELECT count(*) FROM crash_me"));
            }
        }
    }

    /** A kill -9 leaves a lot of WAL; while redo runs the port is open and says "starting up". */
    @Test
    void connectionsDuringStartupRecoveryAreRefusedWithStartingUp() throws Exception {
        String startingUp = lines("refused.txt").get(1);
        try (OsgresServer s = OsgresServer.initdb()) {
            s.startServer("checkpoint_timeout=3600", "max_wal_size=4GB");
            CatalogReady.await(s);
            try (Connection c = s.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE big (k int, v text)");
                st.execute("INSERT INTO big SELECT g, repeat('x', 200) FROM generate_series(1, 300000) g");
            }
            Cmd.kill("KILL", s.pid());
            s.awaitExit();
            Files.deleteIfExists(s.pidFile());
            s.launchServer(Map.of());
            List<String> refusals = awaitReadyAgain(s);
            assertFalse(refusals.isEmpty(), "a connection was refused while recovery ran:\n" + s.logTextQuiet());
            for (String r : refusals) {
                assertEquals(startingUp, r);
            }
            s.awaitReady();
            try (Connection c = s.connect(); Statement st = c.createStatement()) {
                assertEquals(300000, count(st, "SELECT count(*) FROM big"));
            }
        }
    }

    /**
     * osgres: the injection point PANICs the insert. PostgreSQL: SIGABRT of the backend while it
     * runs an insert. Returns the statement the crashed backend was running.
     */
    private static String crash(RawConnection victim) throws Exception {
        if (OsgresServer.REFERENCE) {
            victim.query("SELECT pg_backend_pid()");
            int pid = backendPid(victim);
            String sql = "INSERT INTO crash_me SELECT 1 FROM pg_sleep(60)";
            victim.query(sql);
            Thread.sleep(500);
            Cmd.kill("ABRT", pid);
            assertTrue(victim.closedByServer(), "the aborted backend's connection is closed");
            return sql;
        }
        victim.query(VICTIM_SQL);
        RawConnection.Message m = victim.read();
        assertEquals('E', m.type(), m.toString());
        assertEquals("PANIC", m.severity());
        assertEquals("error triggered for injection point heap-insert", m.message());
        assertTrue(victim.closedByServer(), "the PANICked session is closed");
        return VICTIM_SQL;
    }

    private static int backendPid(RawConnection c) throws IOException {
        for (;;) {
            RawConnection.Message m = c.read();
            if (m.type() == 'D') {
                byte[] p = m.payload();
                int len = java.nio.ByteBuffer.wrap(p, 2, 4).getInt();
                int pid = Integer.parseInt(new String(p, 6, len, StandardCharsets.UTF_8));
                while (c.read().type() != 'Z') {
                    // CommandComplete, ReadyForQuery
                }
                return pid;
            }
        }
    }

    /** Tries to connect until a session starts; returns the refusals seen, rendered as the golden files are. */
    private static List<String> awaitReadyAgain(OsgresServer s) throws Exception {
        List<String> refusals = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try (RawConnection c = new RawConnection(s.port(), 10_000)) {
                RawConnection.Message m = c.login(s.user());
                if (m.type() == 'Z') {
                    return refusals;
                }
                refusals.add(render(m));
            } catch (IOException e) {
                Thread.sleep(5); // not listening yet
            }
        }
        throw new AssertionError("not ready again after 120 s; refusals: " + refusals + "\n" + s.logTextQuiet());
    }

    /** type|S=..|V=..|C=..|M=..|D=..|H=.. as record-crash-restart.py writes it. */
    static String render(RawConnection.Message m) {
        StringBuilder b = new StringBuilder().append(m.type());
        Map<Character, String> f = m.fields();
        for (char k : "SVCMDH".toCharArray()) {
            if (f.containsKey(k)) {
                b.append('|').append(k).append('=').append(f.get(k));
            }
        }
        return b.toString();
    }

    /** A log line's "LOG:  ..." part with every number replaced by N; "" for other lines. */
    static String shape(String line) {
        int at = line.indexOf("] ");
        if (at < 0) {
            return "";
        }
        String rest = line.substring(at + 2);
        if (!rest.startsWith("LOG:  ") && !rest.startsWith("DETAIL:  ")) {
            return "";
        }
        return rest.startsWith("DETAIL:  Failed process was running: ") ? rest : rest.replaceAll("\\d+", "N");
    }

    private static List<String> lines(String file) throws IOException {
        return Files.readAllLines(GOLDEN.resolve(file), StandardCharsets.UTF_8);
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
