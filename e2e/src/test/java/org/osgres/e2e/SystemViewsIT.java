package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * System views and administration functions through pgjdbc and psql: pg_settings, pg_sleep
 * stopped by a CancelRequest (Statement.cancel()) and by pg_cancel_backend(), and
 * pg_terminate_backend() ending another session.
 */
class SystemViewsIT extends WithServer {

    static List<List<String>> rows(Connection c, String sql) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    @Test
    void pgSettingsShowsTheSessionsValues() throws Exception {
        try (Connection c = server.connect()) {
            assertEquals(List.of(List.of("work_mem", "4096", "kB", "integer", "user")),
                    rows(c, "SELECT name, setting, unit, vartype, context FROM pg_catalog.pg_settings WHERE name = 'work_mem'"));
            try (Statement s = c.createStatement()) {
                s.execute("SET work_mem = '8MB'");
            }
            assertEquals(List.of(List.of("8192", "session", "4096")),
                    rows(c, "SELECT setting, source, reset_val FROM pg_settings s WHERE s.name = 'work_mem'"));
            // SHOW ALL and pg_settings list the same settings
            int showAll = rows(c, "SHOW ALL").size();
            assertEquals(List.of(List.of(Integer.toString(showAll))), rows(c, "SELECT count(*) FROM pg_settings"));
        }
    }

    @Test
    void textArrayColumnsInTextAndBinary() throws Exception {
        String sql = "SELECT enumvals FROM pg_settings WHERE name = 'default_transaction_isolation'";
        String[] expected = {"serializable", "repeatable read", "read committed", "read uncommitted"};
        try (Connection c = server.connect()) {
            assertEquals("{serializable,\"repeatable read\",\"read committed\",\"read uncommitted\"}",
                    rows(c, sql).get(0).get(0));
        }
        Properties binary = new Properties();
        binary.setProperty("prepareThreshold", "-1");
        binary.setProperty("binaryTransferEnable", "1009");
        try (Connection c = server.connect(binary); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            Array a = rs.getArray(1);
            assertArrayEquals(expected, (Object[]) a.getArray());
        }
    }

    @Test
    void unknownRelationAndColumnErrors() throws Exception {
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            PSQLException e = assertThrows(PSQLException.class, () -> s.executeQuery("SELECT 1 FROM nosuch"));
            assertEquals("42P01", e.getSQLState());
            assertEquals("relation \"nosuch\" does not exist", e.getServerErrorMessage().getMessage());
            assertEquals(15, e.getServerErrorMessage().getPosition());
            e = assertThrows(PSQLException.class, () -> s.executeQuery("SELECT settin FROM pg_settings"));
            assertEquals("42703", e.getSQLState());
            assertEquals("Perhaps you meant to reference the column \"pg_settings.setting\".",
                    e.getServerErrorMessage().getHint());
            // the session goes on
            assertEquals(List.of(List.of("1")), rows(c, "SELECT 1"));
        }
    }

    /** Runs pg_sleep(60) on c in the background; returns the SQLException it ends with. */
    static CompletableFuture<SQLException> sleepInBackground(Connection c) {
        return CompletableFuture.supplyAsync(() -> {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_sleep(60)");
                return null;
            } catch (SQLException e) {
                return e;
            }
        });
    }

    @Test
    void pgSleepStopsOnStatementCancel() throws Exception {
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            long start = System.nanoTime();
            CompletableFuture<SQLException> done = CompletableFuture.supplyAsync(() -> {
                try {
                    s.execute("SELECT pg_sleep(60)");
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            // A cancel that arrives before the backend starts the statement is ignored (as in
            // PostgreSQL), and pgjdbc sends only one per execution: cancel once the statement runs.
            try (Connection watcher = server.connect()) {
                assertTrue(Wait.until(Duration.ofSeconds(20), () -> {
                    try {
                        return rows(watcher, "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                                + "AND query = 'SELECT pg_sleep(60)'").equals(List.of(List.of("1")));
                    } catch (SQLException e) {
                        throw new AssertionError(e);
                    }
                }), "pg_sleep(60) shows as active in pg_stat_activity");
            }
            s.cancel();
            assertTrue(Wait.until(Duration.ofSeconds(20), done::isDone), "the statement ends after the cancel");
            SQLException e = done.get(1, TimeUnit.SECONDS);
            assertNotNull(e, "pg_sleep(60) returned normally");
            assertEquals("57014", e.getSQLState());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(20).toNanos());
            assertEquals(List.of(List.of("1")), rows(c, "SELECT 1"));
        }
    }

    @Test
    void pgCancelBackendAndPgTerminateBackend() throws Exception {
        try (Connection victim = server.connect(); Connection admin = server.connect()) {
            String pid = rows(victim, "SELECT pg_backend_pid()").get(0).get(0);
            CompletableFuture<SQLException> done = sleepInBackground(victim);
            assertTrue(Wait.until(Duration.ofSeconds(20), () -> {
                try {
                    rows(admin, "SELECT pg_cancel_backend(" + pid + ")");
                } catch (SQLException e) {
                    throw new AssertionError(e);
                }
                return done.isDone();
            }));
            assertEquals("57014", done.get(1, TimeUnit.SECONDS).getSQLState());

            assertEquals(List.of(List.of("t")), rows(admin, "SELECT pg_terminate_backend(" + pid + ", 10000)"));
            SQLException e = assertThrows(SQLException.class, () -> rows(victim, "SELECT 1"));
            assertNotNull(e.getSQLState());
            assertTrue(victim.isClosed() || !victim.isValid(5));
            assertEquals(List.of(List.of("f")), rows(admin, "SELECT pg_cancel_backend(" + pid + ")"));
        }
    }

    @Test
    void psqlQueriesPgSettings() throws Exception {
        Cmd.Result r = PsqlIT.psql("127.0.0.1", List.of("-A", "-t", "-c",
                "SELECT name, setting, enumvals FROM pg_settings WHERE name IN ('bytea_output', 'enable_sort') ORDER BY 1"));
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("bytea_output|hex|{escape,hex}", "enable_sort|on|"), r.stdoutLines());
    }
}
