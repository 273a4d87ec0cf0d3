package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Cancelling statements end to end: psql's Ctrl-C (SIGINT to the psql process during
 * pg_sleep(30)), pgjdbc's Statement.cancel(), a raw CancelRequest with the right and the wrong
 * key, pg_cancel_backend() and pg_terminate_backend() from another session, and
 * statement_timeout. Each cancel is ERROR 57014 and the session goes on.
 */
class CancelIT extends WithServer {

    /** Waits until some session runs the given query (pg_stat_activity: active, query text). */
    static void awaitActive(String query) throws Exception {
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            boolean seen = Wait.until(Duration.ofSeconds(20), () -> {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = '"
                        + query.replace("'", "''") + "'")) {
                    return rs.next() && rs.getInt(1) > 0;
                } catch (SQLException e) {
                    return false;
                }
            });
            assertTrue(seen, "no session runs " + query);
        }
    }

    static int pidRunning(String query) throws Exception {
        try (Connection c = server.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE state = 'active' AND query = '"
                        + query.replace("'", "''") + "'")) {
            assertTrue(rs.next(), "no session runs " + query);
            return rs.getInt(1);
        }
    }

    @Test
    void psqlCtrlCCancelsTheRunningStatement() throws Exception {
        String sql = "select pg_sleep(30) /* psql ctrl-c */";
        Path out = Files.createTempFile("cancel-psql", ".txt");
        ProcessBuilder pb = new ProcessBuilder("psql", "-X", "-h", server.socketDir().toString(), "-p",
                Integer.toString(server.port()), "-U", OsgresServer.superuser(), "-d", "postgres", "-c", sql)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(OsgresServer.childEnvironment());
        Process psql = pb.start();
        try {
            awaitActive(sql);
            long start = System.nanoTime();
            Cmd.kill("INT", psql.pid());
            assertTrue(psql.waitFor(10, TimeUnit.SECONDS), "psql still waits after Ctrl-C");
            long millis = (System.nanoTime() - start) / 1_000_000;
            String text = Files.readString(out);
            assertEquals(1, psql.exitValue(), text);
            assertTrue(text.contains("Cancel request sent"), text);
            assertTrue(text.contains("ERROR:  canceling statement due to user request"), text);
            assertTrue(millis < 10_000, "cancelled after " + millis + " ms");
        } finally {
            psql.destroyForcibly();
            Files.deleteIfExists(out);
        }
    }

    @Test
    void jdbcStatementCancel() throws Exception {
        String sql = "SELECT pg_sleep(30) /* jdbc cancel */";
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            CompletableFuture<Void> canceller = CompletableFuture.runAsync(() -> {
                try {
                    awaitActive(sql);
                    s.cancel();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            SQLException e = assertThrows(SQLException.class, () -> s.executeQuery(sql));
            assertEquals("57014", e.getSQLState());
            assertTrue(e.getMessage().contains("canceling statement due to user request"), e.getMessage());
            canceller.get(20, TimeUnit.SECONDS);
            try (ResultSet rs = s.executeQuery("SELECT 7")) {
                assertTrue(rs.next());
                assertEquals(7, rs.getInt(1), "the session goes on");
            }
        }
    }

    @Test
    void cancelRequestNeedsTheRightKey() throws Exception {
        try (RawConnection c = new RawConnection(server.port(), 40_000)) {
            int[] key = c.loginWithKey(OsgresServer.superuser());
            String shortSleep = "SELECT pg_sleep(1) /* wrong key */";
            c.query(shortSleep);
            awaitActive(shortSleep);
            RawConnection.cancelRequest(server.port(), key[0], key[1] ^ 0x5a5a5a5a); // wrong secret
            RawConnection.cancelRequest(server.port(), key[0] + 100_000, key[1]); // no such backend
            assertNull(c.untilReady(), "a wrong key cancels nothing: pg_sleep(1) completes");

            String longSleep = "SELECT pg_sleep(30) /* right key */";
            long start = System.nanoTime();
            c.query(longSleep);
            awaitActive(longSleep);
            RawConnection.cancelRequest(server.port(), key[0], key[1]);
            RawConnection.Message m = c.untilReady();
            assertNotNull(m);
            assertEquals("57014", m.sqlState());
            assertEquals("canceling statement due to user request", m.message());
            assertTrue((System.nanoTime() - start) / 1_000_000 < 20_000);
            c.query("SELECT 1");
            assertNull(c.untilReady(), "the session goes on");
        }
    }

    @Test
    void statementTimeout() throws Exception {
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = '300ms'");
            long start = System.nanoTime();
            SQLException e = assertThrows(SQLException.class, () -> s.execute("SELECT pg_sleep(10)"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals("57014", e.getSQLState());
            assertTrue(e.getMessage().contains("canceling statement due to statement timeout"), e.getMessage());
            assertTrue(millis >= 250 && millis < 8000, "timed out after " + millis + " ms");
            // the limit is per statement: three statements of 150 ms each run under a 300 ms limit
            for (int i = 0; i < 3; i++) s.execute("SELECT pg_sleep(0.15)");
            s.execute("SET statement_timeout = 0");
            s.execute("SELECT pg_sleep(0.4)");
        }
    }

    @Test
    void pgCancelBackendAndPgTerminateBackend() throws Exception {
        try (Connection victim = server.connect(); Statement v = victim.createStatement();
                Connection admin = server.connect(); Statement a = admin.createStatement()) {
            String sql = "SELECT pg_sleep(30) /* pg_cancel_backend */";
            CompletableFuture<Boolean> cancel = CompletableFuture.supplyAsync(() -> {
                try {
                    awaitActive(sql);
                    try (ResultSet rs = a.executeQuery("SELECT pg_cancel_backend(" + pidRunning(sql) + ")")) {
                        return rs.next() && rs.getBoolean(1);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            SQLException e = assertThrows(SQLException.class, () -> v.execute(sql));
            assertEquals("57014", e.getSQLState());
            assertTrue(cancel.get(20, TimeUnit.SECONDS));

            int victimPid;
            try (ResultSet rs = v.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                victimPid = rs.getInt(1);
            }
            try (ResultSet rs = a.executeQuery("SELECT pg_terminate_backend(" + victimPid + ")")) {
                assertTrue(rs.next() && rs.getBoolean(1));
            }
            SQLException t = assertThrows(SQLException.class, () -> v.execute("SELECT 1"));
            assertTrue("57P01".equals(t.getSQLState()) || "08006".equals(t.getSQLState()), t.getSQLState() + " " + t);
        }
    }
}
