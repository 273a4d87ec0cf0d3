package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.PGConnection;
import org.postgresql.PGStatement;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/** pgjdbc against osgres: simple and extended protocol, prepared and binary, errors, transactions. */
class JdbcIT extends WithServer {

    /** Connection properties per protocol mode. */
    static Properties mode(String mode) {
        Properties p = new Properties();
        switch (mode) {
            case "simple" -> p.setProperty("preferQueryMode", "simple");
            case "extended" -> p.setProperty("preferQueryMode", "extended");
            case "prepared" -> p.setProperty("prepareThreshold", "1");
            case "binary" -> {
                p.setProperty("prepareThreshold", "-1"); // server-prepared and binary from the first execution
                p.setProperty("binaryTransfer", "true");
                p.setProperty("binaryTransferEnable", "int2,int4,int8,float4,float8,bool,numeric,text,varchar");
            }
            default -> throw new IllegalArgumentException(mode);
        }
        return p;
    }

    static Connection connect(String mode) throws SQLException {
        return server.connect(mode(mode));
    }

    static Object one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), "one row from " + sql);
            Object o = rs.getObject(1);
            assertFalse(rs.next(), "only one row from " + sql);
            return o;
        }
    }

    static String oneString(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), "one row from " + sql);
            return rs.getString(1);
        }
    }

    static SQLException expectError(Connection c, String sql) {
        return assertThrows(SQLException.class, () -> {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }, sql);
    }

    static TransactionState txState(Connection c) throws SQLException {
        return c.unwrap(BaseConnection.class).getTransactionState();
    }

    @Test
    void versionIsPostgres15() throws Exception {
        try (Connection c = server.connect()) {
            String v = oneString(c, "SELECT version()");
            assertTrue(v.startsWith("PostgreSQL 15"), v);
            String md = c.getMetaData().getDatabaseProductVersion();
            assertTrue(md.startsWith("15"), "ParameterStatus server_version: " + md);
        }
    }

    @Test
    void serverVersionNum() throws Exception {
        try (Connection c = server.connect()) {
            int n = Integer.parseInt(oneString(c, "SHOW server_version_num"));
            assertTrue(n >= 150000 && n < 160000, "server_version_num " + n);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"simple", "extended", "prepared", "binary"})
    void parameters(String mode) throws Exception {
        try (Connection c = connect(mode)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::int + 1")) {
                ps.setInt(1, 41);
                assertEquals(42, single(ps).getInt(1));
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::bigint * 2")) {
                ps.setLong(1, 1L << 40);
                assertEquals(1L << 41, single(ps).getLong(1));
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::text || 'x'")) {
                ps.setString(1, "it's");
                assertEquals("it'sx", single(ps).getString(1));
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::numeric + 1")) {
                ps.setBigDecimal(1, new BigDecimal("1.25"));
                assertEquals(0, new BigDecimal("2.25").compareTo(single(ps).getBigDecimal(1)));
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::float8 / 2")) {
                ps.setDouble(1, 3.0);
                assertEquals(1.5, single(ps).getDouble(1));
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT NOT ?::boolean")) {
                ps.setBoolean(1, true);
                assertFalse(single(ps).getBoolean(1));
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::int IS NULL")) {
                ps.setNull(1, Types.INTEGER);
                assertTrue(single(ps).getBoolean(1));
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::int + ?::int, ?::text")) {
                ps.setInt(1, 2);
                ps.setInt(2, 3);
                ps.setString(3, "héllo ☃");
                ResultSet rs = single(ps);
                assertEquals(5, rs.getInt(1));
                assertEquals("héllo ☃", rs.getString(2));
            }
        }
    }

    private static ResultSet single(PreparedStatement ps) throws SQLException {
        ResultSet rs = ps.executeQuery();
        assertTrue(rs.next(), "a row");
        return rs;
    }

    @Test
    void serverPreparedStatementIsReused() throws Exception {
        try (Connection c = connect("prepared");
             PreparedStatement ps = c.prepareStatement("SELECT ?::int * 10")) {
            for (int i = 0; i < 5; i++) {
                ps.setInt(1, i);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(i * 10, rs.getInt(1));
                }
            }
            assertTrue(ps.unwrap(PGStatement.class).isUseServerPrepare(), "server-prepared after prepareThreshold=1");
        }
    }

    @Test
    void binaryTransferOfResults() throws Exception {
        try (Connection c = connect("binary");
             PreparedStatement ps = c.prepareStatement(
                     "SELECT ?::int4, ?::int8, ?::float8, ?::bool, ?::text, ?::int2")) {
            for (int i = 0; i < 3; i++) {
                ps.setInt(1, -123456 + i);
                ps.setLong(2, 9_000_000_000L + i);
                ps.setDouble(3, 2.5 + i);
                ps.setBoolean(4, i % 2 == 0);
                ps.setString(5, "row" + i);
                ps.setShort(6, (short) (7 + i));
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(-123456 + i, rs.getInt(1));
                    assertEquals(9_000_000_000L + i, rs.getLong(2));
                    assertEquals(2.5 + i, rs.getDouble(3));
                    assertEquals(i % 2 == 0, rs.getBoolean(4));
                    assertEquals("row" + i, rs.getString(5));
                    assertEquals(7 + i, rs.getShort(6));
                    assertFalse(rs.next());
                }
            }
        }
    }

    @Test
    void resultMetaData() throws Exception {
        try (Connection c = server.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1::int AS a, 'x'::text AS b, 2::bigint AS c, true AS d, 1.5::float8 AS e")) {
            ResultSetMetaData md = rs.getMetaData();
            assertEquals(5, md.getColumnCount());
            assertEquals(List.of("a", "b", "c", "d", "e"),
                    List.of(md.getColumnLabel(1), md.getColumnLabel(2), md.getColumnLabel(3), md.getColumnLabel(4), md.getColumnLabel(5)));
            assertEquals(List.of("int4", "text", "int8", "bool", "float8"),
                    List.of(md.getColumnTypeName(1), md.getColumnTypeName(2), md.getColumnTypeName(3), md.getColumnTypeName(4), md.getColumnTypeName(5)));
            assertEquals(List.of(Types.INTEGER, Types.VARCHAR, Types.BIGINT, Types.BIT, Types.DOUBLE),
                    List.of(md.getColumnType(1), md.getColumnType(2), md.getColumnType(3), md.getColumnType(4), md.getColumnType(5)));
            assertTrue(rs.next());
            assertEquals(1, rs.getInt("a"));
            assertEquals("x", rs.getString("b"));
        }
    }

    @Test
    void setShowReset() throws Exception {
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            assertEquals("4MB", oneString(c, "SHOW work_mem"));
            s.execute("SET work_mem = '8MB'");
            assertEquals("8MB", oneString(c, "SHOW work_mem"));
            assertEquals("8MB", oneString(c, "SELECT current_setting('work_mem')"));
            s.execute("RESET work_mem");
            assertEquals("4MB", oneString(c, "SHOW work_mem"));
            s.execute("SET statement_timeout = 1234");
            assertEquals("1234ms", oneString(c, "SHOW statement_timeout"));
            s.execute("SET statement_timeout TO DEFAULT");
            assertEquals("0", oneString(c, "SHOW statement_timeout"));
            SQLException e = expectError(c, "SET no_such_setting = 1");
            assertEquals("42704", e.getSQLState(), e.getMessage());
            assertEquals("1", oneString(c, "SELECT 1"));
        }
    }

    @Test
    void applicationName() throws Exception {
        Properties p = new Properties();
        p.setProperty("ApplicationName", "osgres-e2e app");
        try (Connection c = server.connect(p)) {
            assertEquals("osgres-e2e app", oneString(c, "SELECT current_setting('application_name')"));
            assertEquals("osgres-e2e app", oneString(c, "SHOW application_name"));
        }
    }

    @Test
    void backendPidsAreDistinct() throws Exception {
        Set<Integer> pids = new HashSet<>();
        Connection[] cs = new Connection[3];
        try {
            for (int i = 0; i < cs.length; i++) {
                cs[i] = server.connect();
                int pid = ((Number) one(cs[i], "SELECT pg_backend_pid()")).intValue();
                assertTrue(pid > 0, "pid " + pid);
                assertEquals(pid, cs[i].unwrap(PGConnection.class).getBackendPID(), "BackendKeyData pid = pg_backend_pid()");
                pids.add(pid);
            }
        } finally {
            for (Connection c : cs) if (c != null) c.close();
        }
        assertEquals(3, pids.size(), "distinct pids " + pids);
    }

    @ParameterizedTest
    @ValueSource(strings = {"simple", "extended"})
    void syntaxErrorThenUsable(String mode) throws Exception {
        try (Connection c = connect(mode)) {
            SQLException e = expectError(c, "selec 1");
            assertEquals("42601", e.getSQLState(), e.getMessage());
            assertTrue(e.getMessage().contains("syntax error at or near \"selec\""), e.getMessage());
            assertEquals("3", oneString(c, "SELECT 1 + 2"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"simple", "extended"})
    void undefinedTable(String mode) throws Exception {
        try (Connection c = connect(mode)) {
            SQLException e = expectError(c, "SELECT * FROM nosuchtable");
            assertEquals("42P01", e.getSQLState(), e.getMessage());
            assertTrue(e.getMessage().contains("relation \"nosuchtable\" does not exist"), e.getMessage());
            assertEquals("1", oneString(c, "SELECT 1"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"simple", "extended"})
    void multiStatement(String mode) throws Exception {
        try (Connection c = connect(mode); Statement s = c.createStatement()) {
            assertTrue(s.execute("SELECT 1 AS a; SELECT 'two' AS b, 3 AS c"));
            try (ResultSet rs = s.getResultSet()) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1));
                assertEquals("a", rs.getMetaData().getColumnLabel(1));
            }
            assertTrue(s.getMoreResults());
            try (ResultSet rs = s.getResultSet()) {
                assertTrue(rs.next());
                assertEquals("two", rs.getString(1));
                assertEquals(3, rs.getInt(2));
                assertEquals(2, rs.getMetaData().getColumnCount());
            }
            assertFalse(s.getMoreResults());
            assertEquals(-1, s.getUpdateCount());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"simple", "extended"})
    void emptyQuery(String mode) throws Exception {
        try (Connection c = connect(mode); Statement s = c.createStatement()) {
            assertFalse(s.execute(""));
            assertFalse(s.execute(" ; "));
            assertEquals("1", oneString(c, "SELECT 1"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"simple", "extended"})
    void transactionsWithAutocommitOff(String mode) throws Exception {
        try (Connection c = connect(mode); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            assertEquals(TransactionState.IDLE, txState(c));
            s.execute("SET work_mem = '16MB'");
            assertEquals(TransactionState.OPEN, txState(c));
            c.rollback();
            assertEquals(TransactionState.IDLE, txState(c));
            assertEquals("4MB", oneString(c, "SHOW work_mem"), "SET is undone by ROLLBACK");
            c.commit();
            s.execute("SET work_mem = '16MB'");
            c.commit();
            assertEquals("16MB", oneString(c, "SHOW work_mem"), "SET is kept by COMMIT");
            c.commit();
            assertEquals(TransactionState.IDLE, txState(c));
        }
    }

    /** Waits until clock_timestamp() has passed the given timestamp text, so a later statement starts later. */
    private static void waitForClockTick(Connection c, String after) throws Exception {
        assertTrue(Wait.until(java.time.Duration.ofSeconds(5), () -> {
            try {
                return oneString(c, "SELECT clock_timestamp()::text").compareTo(after) > 0;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }), "the clock moves");
    }

    @ParameterizedTest
    @ValueSource(strings = {"simple", "extended"})
    void explicitTransactionBlocks(String mode) throws Exception {
        try (Connection c = connect(mode); Statement s = c.createStatement()) {
            s.execute("BEGIN");
            assertEquals(TransactionState.OPEN, txState(c));
            // one transaction: now() is its start time (txid_current() comes with transaction ids)
            String t1 = oneString(c, "SELECT now()::text");
            waitForClockTick(c, t1);
            assertEquals(t1, oneString(c, "SELECT now()::text"), "now() is fixed inside a block");
            assertNotEquals(t1, oneString(c, "SELECT statement_timestamp()::text"), "statement_timestamp() moves on");
            s.execute("COMMIT");
            assertEquals(TransactionState.IDLE, txState(c));
            s.execute("START TRANSACTION");
            s.execute("SET LOCAL work_mem = '32MB'");
            assertEquals("32MB", oneString(c, "SHOW work_mem"));
            s.execute("ROLLBACK");
            assertEquals(TransactionState.IDLE, txState(c));
            assertEquals("4MB", oneString(c, "SHOW work_mem"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"simple", "extended"})
    void errorAbortsTransactionUntilRollback(String mode) throws Exception {
        try (Connection c = connect(mode)) {
            c.setAutoCommit(false);
            assertEquals("1", oneString(c, "SELECT 1"));
            SQLException e = expectError(c, "SELECT 1/0");
            assertEquals("22012", e.getSQLState(), e.getMessage());
            assertEquals(TransactionState.FAILED, txState(c));
            for (int i = 0; i < 2; i++) {
                SQLException aborted = expectError(c, "SELECT 2");
                assertEquals("25P02", aborted.getSQLState(), aborted.getMessage());
                assertTrue(aborted.getMessage().contains(
                        "current transaction is aborted, commands ignored until end of transaction block"), aborted.getMessage());
            }
            c.rollback();
            assertEquals(TransactionState.IDLE, txState(c));
            assertEquals("3", oneString(c, "SELECT 3"));
            c.commit();
        }
    }
}
